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
