"""Rules of the maintained board column counts."""

from korus_crm.rules.counts import Delta, Placement, column_deltas, counter_key

NEW = Placement("", "New", 100.0)


def test_an_inserted_record_adds_one_and_its_amount():
	assert column_deltas(None, NEW) == [Delta("", "New", 1, 100.0)]


def test_a_deleted_record_removes_one_and_its_amount():
	assert column_deltas(NEW, None) == [Delta("", "New", -1, -100.0)]


def test_a_move_takes_one_from_the_old_column_and_gives_it_to_the_new():
	assert column_deltas(NEW, Placement("", "Won", 120.0)) == [
		Delta("", "New", -1, -100.0),
		Delta("", "Won", 1, 120.0),
	]


def test_a_move_between_boards_counts_as_one():
	assert column_deltas(Placement("A", "New", 5), Placement("B", "New", 5)) == [
		Delta("A", "New", -1, -5),
		Delta("B", "New", 1, 5),
	]


def test_a_new_amount_in_the_same_column_changes_only_the_total():
	assert column_deltas(NEW, Placement("", "New", 130.0)) == [Delta("", "New", 0, 30.0)]


def test_nothing_changes_for_a_record_that_stays():
	assert column_deltas(NEW, Placement("", "New", 100.0)) == []


def test_records_without_a_column_are_not_counted():
	assert column_deltas(None, Placement("", None, 10)) == []
	assert column_deltas(Placement("", None, 10), NEW) == [Delta("", "New", 1, 100.0)]


def test_counter_keys_are_stable_and_fit_a_name():
	assert counter_key("Lead", "lead_status", "", "New") == "Lead|lead_status||New"
	long = counter_key("Opportunity", "deal_stage", "P" * 100, "S" * 100)
	assert len(long) == 140
	assert long == counter_key("Opportunity", "deal_stage", "P" * 100, "S" * 100)
	assert long != counter_key("Opportunity", "deal_stage", "P" * 100, "S" * 99 + "T")


def test_a_weighted_value_moves_with_the_record():
	old = Placement("Sales", "Proposal", 1000.0, 600.0)
	new = Placement("Sales", "Won", 1000.0, 1000.0)
	assert column_deltas(old, new) == [
		Delta("Sales", "Proposal", -1, -1000.0, -600.0),
		Delta("Sales", "Won", 1, 1000.0, 1000.0),
	]


def test_a_new_probability_in_the_same_column_changes_only_the_weighted_total():
	old = Placement("Sales", "Proposal", 1000.0, 600.0)
	assert column_deltas(old, Placement("Sales", "Proposal", 1000.0, 700.0)) == [
		Delta("Sales", "Proposal", 0, 0.0, 100.0)
	]


def test_a_record_counts_in_its_column_total_and_in_each_of_its_dimensions():
	lead = Placement(
		"", "New", 50.0, dims=(("branch", "Paris"), ("korus_department", ""), ("lead_owner", "ann"))
	)
	assert column_deltas(None, lead) == [
		Delta("", "New", 1, 50.0),
		Delta("", "New", 1, 50.0, 0.0, "branch", "Paris"),
		Delta("", "New", 1, 50.0, 0.0, "lead_owner", "ann"),
	]


def test_an_owner_change_moves_only_the_dimension_counters():
	before = Placement("", "New", 50.0, dims=(("branch", "Paris"), ("lead_owner", "ann")))
	after = Placement("", "New", 50.0, dims=(("branch", "Lyon"), ("lead_owner", "bob")))
	assert sorted(column_deltas(before, after), key=lambda d: (d.dimension, d.value)) == [
		Delta("", "New", 1, 50.0, 0.0, "branch", "Lyon"),
		Delta("", "New", -1, -50.0, -0.0, "branch", "Paris"),
		Delta("", "New", -1, -50.0, -0.0, "lead_owner", "ann"),
		Delta("", "New", 1, 50.0, 0.0, "lead_owner", "bob"),
	]


def test_dimension_counters_have_keys_of_their_own():
	assert (
		counter_key("Lead", "lead_status", "", "New", "branch", "Paris")
		== "Lead|lead_status||New|branch=Paris"
	)


# --- the dashboard's counters (issue 12) ---


def test_the_month_of_a_date_a_datetime_or_their_text():
	import datetime

	from korus_crm.rules.counts import month_key

	assert month_key(datetime.date(2026, 3, 31)) == "2026-03"
	assert month_key(datetime.datetime(2026, 12, 1, 23, 59)) == "2026-12"
	assert month_key("2025-01-05 10:00:00") == "2025-01"
	assert month_key(None) is None
	assert month_key("") is None


def test_a_check_counts_as_empty_or_one_and_names_as_themselves():
	from korus_crm.rules.counts import as_key

	assert as_key(0) == "" and as_key(None) == "" and as_key("") == ""
	assert as_key(1) == "1" and as_key("Company") == "Company"


def test_the_last_months_run_oldest_first_across_a_year():
	import datetime

	from korus_crm.rules.counts import last_months

	assert last_months(datetime.date(2026, 2, 14), 6) == [
		"2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02",
	]  # fmt: skip


def test_a_board_of_several_fields_is_their_values_joined_and_split_back():
	from korus_crm.rules.counts import scope_key, split_scope

	assert scope_key(["Won|Stage", "a@x.com"]) == "Won|Stage|a@x.com"
	assert split_scope("Won|Stage|a@x.com", 2) == ("Won|Stage", "a@x.com")
	assert scope_key([None, "a@x.com"]) == "|a@x.com"
	assert split_scope("|a@x.com", 2) == ("", "a@x.com")
	assert scope_key(["S", None]) == "S|"
	assert scope_key([0]) == "" and scope_key(["P"]) == "P" and scope_key([]) == ""
