"""What the desk needs at boot: the lead statuses' board colours (for list indicators)."""

from korus_crm.boards.lead_status_config import get_config
from korus_crm.rules.boards import nearest_indicator


def boot_session(bootinfo) -> None:
	config = get_config()
	bootinfo.korus_lead_statuses = [
		{"name": r.name, "indicator": nearest_indicator(r.color), "color": r.color, "is_final": r.is_final}
		for r in config.rows
	]
