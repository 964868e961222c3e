"""Rules of the CRM dashboard's figures."""

from korus_crm.rules.dashboard import Total, deal_figures, summed, with_rest


def test_deals_are_open_won_or_lost_by_their_stage():
	by_stage = {"q": Total(3, 300.0, 30.0), "won": Total(2, 500.0, 500.0), "lost": Total(1, 50.0, 0.0)}
	figures = deal_figures(by_stage, won={"won"}, lost={"lost"})
	assert figures.total == Total(6, 850.0, 530.0)
	assert figures.open == Total(3, 300.0, 30.0)
	assert figures.won == Total(2, 500.0, 500.0)
	assert figures.lost == Total(1, 50.0, 0.0)
	assert figures.average_value == 850.0 / 6


def test_no_deals_average_nothing():
	assert deal_figures({}, set(), set()).average_value == 0.0


def test_totals_add_up():
	assert summed([Total(1, 2.0, 3.0), Total(2, 3.0, 4.0)]) == Total(3, 5.0, 7.0)


def test_records_without_a_value_are_shown_as_the_rest():
	assert with_rest({"Web": 3, "Fair": 0}, 5, "Not set") == {"Web": 3, "Not set": 2}
	assert with_rest({"Web": 3}, 3, "Not set") == {"Web": 3}
