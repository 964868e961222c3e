"""Invoice rules: how a correction invoice shows its lines and totals before and after, the reason
it needs, the heading it gets (korus_crm.rules.invoices)."""

from korus_crm.rules import invoices as rules

ORIGINAL = [
	{
		"name": "row-a",
		"idx": 1,
		"item_code": "A",
		"item_name": "Apple",
		"uom": "Nos",
		"qty": 3,
		"rate": 200,
		"amount": 600,
	},
	{
		"name": "row-b",
		"idx": 2,
		"item_code": "B",
		"item_name": "Pear",
		"uom": "Kg",
		"qty": 2,
		"rate": 50,
		"amount": 100,
	},
]


def test_a_return_of_part_of_a_line_shows_the_line_before_and_after():
	[line] = rules.correction_lines(
		ORIGINAL,
		[],
		[{"sales_invoice_item": "row-a", "item_code": "A", "qty": -1, "rate": 200, "amount": -200}],
	)
	assert (line["before_qty"], line["before_rate"], line["before_amount"]) == (3, 200, 600)
	assert (line["change_qty"], line["change_amount"]) == (-1, -200)
	assert (line["after_qty"], line["after_rate"], line["after_amount"]) == (2, 200, 400)
	assert (line["item_name"], line["uom"], line["original_line"]) == ("Apple", "Nos", 1)


def test_a_second_correction_starts_from_the_line_as_the_first_left_it():
	earlier = [{"sales_invoice_item": "row-a", "qty": -1, "amount": -200}]
	[line] = rules.correction_lines(
		ORIGINAL, earlier, [{"sales_invoice_item": "row-a", "qty": -2, "rate": 200, "amount": -400}]
	)
	assert (line["before_qty"], line["before_amount"], line["before_rate"]) == (2, 400, 200)
	assert (line["after_qty"], line["after_amount"], line["after_rate"]) == (0, 0, 200)


def test_a_price_correction_changes_the_rate_after():
	[line] = rules.correction_lines(
		ORIGINAL, [], [{"sales_invoice_item": "row-b", "qty": -2, "rate": 10, "amount": -20}]
	)
	# ERPNext's return takes quantity and amount off: after = what is left of the line
	assert (line["after_qty"], line["after_amount"]) == (0, 80)
	assert line["after_rate"] == 50  # nothing left: the rate stays the one before


def test_a_line_that_corrects_no_original_line_starts_from_nothing():
	[line] = rules.correction_lines(ORIGINAL, [], [{"item_code": "C", "qty": -1, "rate": 5, "amount": -5}])
	assert (line["before_qty"], line["before_amount"], line["after_qty"], line["after_amount"]) == (
		0,
		0,
		-1,
		-5,
	)
	assert line["original_line"] is None


def test_totals_before_include_earlier_corrections():
	totals = rules.correction_totals(
		{"net_total": 700, "total_taxes_and_charges": 140, "grand_total": 840},
		[{"net_total": -200, "total_taxes_and_charges": -40, "grand_total": -240}],
		{"net_total": -100, "total_taxes_and_charges": -20, "grand_total": -120},
	)
	assert totals["grand_total"] == {"before": 600, "change": -120, "after": 480}
	assert totals["net_total"] == {"before": 500, "change": -100, "after": 400}


def test_a_correction_needs_a_reason_an_invoice_does_not():
	assert rules.reason_missing(1, "")
	assert rules.reason_missing(1, "   ")
	assert rules.reason_missing(True, None)
	assert not rules.reason_missing(1, "Two units damaged")
	assert not rules.reason_missing(0, None)


def test_a_correction_gets_korus_heading_unless_another_was_chosen():
	assert rules.heading_for_return(None) == rules.CORRECTION_HEADING
	assert rules.heading_for_return("Credit Note") == rules.CORRECTION_HEADING
	assert rules.heading_for_return("Our Own Heading") is None


def test_both_pro_forma_formats_share_one_series():
	assert set(rules.PROFORMA_FORMATS) == {"Sales Order", "Contract Order"}
	assert rules.PROFORMA_SERIES.startswith("PF-.YYYY.-")
