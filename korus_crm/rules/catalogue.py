"""Rules of the catalogue (seeds 001 "Produkty i usługi" and 003 catalogue items): which Item Price
is an item's buying or selling price, the margin between them, how a bulk price change computes the
new price and what it refuses, and how the catalogue is paged.

Prices are ERPNext's Item Prices of the price lists named in Buying and Selling Settings; the price of
an item is its general one (no customer, supplier or batch), valid today, in the item's stock unit
(or in no unit), the latest valid from first. Bulk work reuses the deals' bulk rules
(korus_crm.rules.bulk): the selection's limits and when it goes to a background job.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

CHANGE_PRICE = "change_price"
ARCHIVE = "archive"
UNARCHIVE = "unarchive"
EXPORT = "export"  # the same action name as the deals' export (rules.bulk.EXPORT)
ACTIONS: tuple[str, ...] = (CHANGE_PRICE, ARCHIVE, UNARCHIVE, EXPORT)

BUYING = "buying"
SELLING = "selling"
PRICES: tuple[str, ...] = (BUYING, SELLING)
DEFAULT_PRICE_LIST = {BUYING: "Standard Buying", SELLING: "Standard Selling"}

PERCENT = "percent"
VALUE = "value"
MODES: tuple[str, ...] = (PERCENT, VALUE)
MIN_PERCENT = -100.0

ACTIVE = "Active"
ARCHIVED = "Archived"
ALL = "All"
STATUSES: tuple[str, ...] = (ACTIVE, ARCHIVED, ALL)

PAGE_SIZE = 500
MAX_PAGE_SIZE = 2000


def change_problem(price: str | None, mode: str | None, value: float | None) -> str | None:
	"""Why a price change cannot run: "price" (which price is not said), "mode", "value" (missing),
	"percent" (a decrease of more than 100 %) or "negative" (a negative price)."""
	if price not in PRICES:
		return "price"
	if mode not in MODES:
		return "mode"
	if value is None:
		return "value"
	if mode == PERCENT and value < MIN_PERCENT:
		return "percent"
	if mode == VALUE and value < 0:
		return "negative"
	return None


def new_price(current: float | None, mode: str, value: float, precision: int = 2) -> float | None:
	"""The price after the change: the current one changed by `value` % or `value` itself, rounded
	half up to `precision` decimals; None when a percentage is asked of an item without a price."""
	if mode == VALUE:
		return _round(value, precision)
	if current is None:
		return None
	return max(0.0, _round(current * (1 + value / 100), precision))


def _round(value: float, precision: int) -> float:
	step = Decimal(1).scaleb(-precision)
	return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


def margin(
	buying: float | None, selling: float | None, buying_currency: str | None, selling_currency: str | None
) -> tuple[float | None, float | None]:
	"""(sale - purchase, that as a % of the sale price); None where it cannot be told: a price is
	missing or the two are in different currencies (the % also when the sale price is 0)."""
	if buying is None or selling is None or (buying_currency or "") != (selling_currency or ""):
		return None, None
	amount = _round(selling - buying, 6)
	percent = _round(amount * 100 / selling, 2) if selling else None
	return amount, percent


def pick_price(rows: list[dict], stock_uom: str | None, today: datetime.date) -> dict | None:
	"""The item's price among its general Item Prices of one price list (`rows`: uom, valid_from,
	valid_upto, packing_unit, name): valid today, in the stock unit or none (the stock unit first),
	without a packing unit first, the latest valid from first, then the name."""

	def valid(r: dict) -> bool:
		start, end = _date(r.get("valid_from")), _date(r.get("valid_upto"))
		return (start is None or start <= today) and (end is None or end >= today)

	candidates = [r for r in rows if valid(r) and (r.get("uom") or "") in ("", stock_uom or "")]
	if not candidates:
		return None
	return min(
		candidates,
		key=lambda r: (
			0 if (r.get("uom") or "") == (stock_uom or "") and stock_uom else 1,
			1 if r.get("packing_unit") else 0,
			-(_date(r.get("valid_from")) or datetime.date.min).toordinal(),
			r.get("name") or "",
		),
	)


def _date(value) -> datetime.date | None:
	if not value:
		return None
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	return datetime.date.fromisoformat(str(value)[:10])


def page_bounds(page: int | None, page_size: int | None) -> tuple[int, int]:
	"""(offset, limit) of a page of the catalogue (pages from 1; the size at most MAX_PAGE_SIZE)."""
	size = min(max(int(page_size or PAGE_SIZE), 1), MAX_PAGE_SIZE)
	return (max(int(page or 1), 1) - 1) * size, size
