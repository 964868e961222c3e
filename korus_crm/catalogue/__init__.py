"""The catalogue (seeds 001 and 003): ERPNext Items with their buying and selling Item Prices,
margin and stock (docs/catalogue.md)."""
