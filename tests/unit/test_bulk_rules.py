"""Rules of bulk actions on deals: the selection's size, what each action needs, when the work goes
to a background job, labels, progress points."""

from korus_crm.rules import bulk as rules


class TestSelection:
	def test_a_selection_is_not_empty_nor_too_large(self):
		assert rules.names_problem([]) == "empty"
		assert rules.names_problem(["CRM-OPP-1"]) is None
		assert rules.names_problem(["x"] * (rules.MAX_NAMES + 1)) == "too many"
		assert rules.names_problem(["CRM-OPP-1", " "]) == "blank"

	def test_repeated_names_count_once(self):
		assert rules.unique_names(["b", "a", "b ", "a"]) == ["b", "a"]


class TestActions:
	def test_each_action_says_what_it_needs(self):
		assert rules.missing_arguments(rules.ASSIGN, {}) == ["owner"]
		assert rules.missing_arguments(rules.ASSIGN, {"owner": "u@example.com"}) == []
		assert rules.missing_arguments(rules.CHANGE_STAGE, {"stage": " "}) == ["stage"]
		assert rules.missing_arguments(rules.ADD_LABEL, {}) == ["label"]
		assert rules.missing_arguments(rules.DELETE, {}) == []
		assert set(rules.NEEDS) == set(rules.ACTIONS)

	def test_large_selections_go_to_the_background_except_exports(self):
		assert not rules.runs_in_background(rules.ASSIGN, rules.INLINE_LIMIT)
		assert rules.runs_in_background(rules.ASSIGN, rules.INLINE_LIMIT + 1)
		assert not rules.runs_in_background(rules.EXPORT, rules.MAX_NAMES)


class TestLabels:
	def test_a_label_is_short_text_without_commas(self):
		assert rules.label_problem("Hot") is None
		assert rules.label_problem("  ") == "empty"
		assert rules.label_problem("a,b") == "comma"
		assert rules.label_problem("x" * (rules.MAX_LABEL_LENGTH + 1)) == "long"


class TestProgress:
	def test_progress_every_few_deals_and_at_the_end(self):
		assert rules.progress_points(60, every=25) == {25, 50, 60}
		assert rules.progress_points(50, every=25) == {25, 50}
		assert rules.progress_points(0) == set()
