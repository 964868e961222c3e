"""Field service rules (issue 13): job statuses and what each needs, half-open overlaps, the end
from a job type's duration, the pool's order, skills, holidays and leave as refused targets, and
where a job's block sits on the dispatch board."""

from datetime import date, datetime, timedelta

import pytest

from korus_crm.rules import field_service as rules


def at(day: int, hour: int, minute: int = 0) -> datetime:
	return datetime(2026, 6, day, hour, minute)


class TestTransitions:
	def test_every_status_has_its_moves(self):
		assert set(rules.TRANSITIONS) == set(rules.STATUSES)
		for targets in rules.TRANSITIONS.values():
			assert targets <= set(rules.STATUSES)

	def test_a_pool_job_is_scheduled_or_cancelled(self):
		assert rules.transition_problem(rules.NEW, rules.SCHEDULED) is None
		assert rules.transition_problem(rules.NEW, rules.CANCELLED) is None
		assert rules.transition_problem(rules.NEW, rules.COMPLETED) == "not_allowed"
		assert rules.transition_problem(rules.NEW, rules.IN_PROGRESS) == "not_allowed"

	def test_work_starts_from_a_scheduled_or_dispatched_job(self):
		assert rules.transition_problem(rules.SCHEDULED, rules.IN_PROGRESS) is None
		assert rules.transition_problem(rules.DISPATCHED, rules.IN_PROGRESS) is None
		assert rules.transition_problem(rules.IN_PROGRESS, rules.COMPLETED) is None

	def test_a_started_job_is_not_cancelled_nor_sent_back_to_the_pool(self):
		assert rules.transition_problem(rules.IN_PROGRESS, rules.CANCELLED) == "not_allowed"
		assert rules.transition_problem(rules.IN_PROGRESS, rules.NEW) == "not_allowed"

	def test_completed_and_cancelled_jobs_stay_as_they_are(self):
		for final in rules.FINAL:
			for status in rules.STATUSES:
				if status != final:
					assert rules.transition_problem(final, status) == "final"
			assert rules.transition_problem(final, final) is None

	def test_a_held_job_resumes(self):
		assert rules.transition_problem(rules.IN_PROGRESS, rules.ON_HOLD) is None
		assert rules.transition_problem(rules.ON_HOLD, rules.IN_PROGRESS) is None
		assert rules.transition_problem(rules.ON_HOLD, rules.NEW) is None

	def test_a_new_job_starts_in_the_pool_or_scheduled(self):
		assert rules.transition_problem(None, rules.NEW) is None
		assert rules.transition_problem(None, rules.SCHEDULED) is None
		assert rules.transition_problem(None, rules.COMPLETED) == "not_allowed"

	def test_an_unknown_status_is_refused(self):
		assert rules.transition_problem(rules.NEW, "Done") == "unknown"


class TestRequirements:
	def test_a_pool_job_has_no_technician(self):
		assert rules.requirement_problems(rules.JobState(rules.NEW)) == []
		assert rules.requirement_problems(rules.JobState(rules.NEW, technician="T1")) == [
			"technician_in_pool"
		]

	def test_scheduled_needs_a_technician_and_a_start_and_end(self):
		assert rules.requirement_problems(rules.JobState(rules.SCHEDULED)) == ["technician", "schedule"]
		ok = rules.JobState(rules.SCHEDULED, "T1", at(1, 9), at(1, 10))
		assert rules.requirement_problems(ok) == []
		assert rules.requirement_problems(rules.JobState(rules.DISPATCHED, "T1", at(1, 9))) == ["schedule"]

	def test_a_schedule_ends_after_it_starts(self):
		job = rules.JobState(rules.SCHEDULED, "T1", at(1, 10), at(1, 10))
		assert rules.requirement_problems(job) == ["schedule_order"]

	def test_completed_needs_actual_times_and_the_work_done(self):
		job = rules.JobState(rules.COMPLETED, "T1", at(1, 9), at(1, 10))
		assert rules.requirement_problems(job) == ["actual_start", "actual_end", "work_done"]
		done = rules.JobState(rules.COMPLETED, "T1", at(1, 9), at(1, 10), at(1, 9), at(1, 11), "Fixed")
		assert rules.requirement_problems(done) == []
		backwards = rules.JobState(rules.COMPLETED, "T1", None, None, at(1, 11), at(1, 9), "Fixed")
		assert rules.requirement_problems(backwards) == ["actual_order"]

	def test_blank_work_done_is_missing(self):
		job = rules.JobState(rules.COMPLETED, "T1", None, None, at(1, 9), at(1, 10), "  ")
		assert rules.requirement_problems(job) == ["work_done"]


class TestActualTimes:
	def test_starting_stamps_the_start(self):
		now = at(1, 9, 5)
		assert rules.actual_times(rules.DISPATCHED, rules.IN_PROGRESS, None, None, now) == (now, None)

	def test_a_typed_start_is_kept(self):
		typed = at(1, 8, 55)
		assert rules.actual_times(rules.DISPATCHED, rules.IN_PROGRESS, typed, None, at(1, 9))[0] == typed

	def test_completing_stamps_the_end_and_a_missing_start(self):
		now = at(1, 12)
		assert rules.actual_times(rules.IN_PROGRESS, rules.COMPLETED, at(1, 9), None, now) == (at(1, 9), now)
		assert rules.actual_times(rules.ON_HOLD, rules.COMPLETED, None, None, now) == (now, now)

	def test_a_start_typed_after_now_never_ends_before_it(self):
		start, end = rules.actual_times(rules.IN_PROGRESS, rules.COMPLETED, at(1, 13), None, at(1, 12))
		assert end >= start


class TestScheduleStatus:
	def test_a_dropped_pool_job_is_scheduled(self):
		assert rules.status_after_schedule(rules.NEW) == rules.SCHEDULED
		assert rules.status_after_schedule(rules.ON_HOLD) == rules.SCHEDULED

	def test_a_move_keeps_the_status(self):
		assert rules.status_after_schedule(rules.SCHEDULED) == rules.SCHEDULED
		assert rules.status_after_schedule(rules.DISPATCHED) == rules.DISPATCHED

	def test_dispatching_on_drop(self):
		assert rules.status_after_schedule(rules.NEW, dispatch=True) == rules.DISPATCHED

	def test_started_and_final_jobs_cannot_be_moved(self):
		for status in (rules.IN_PROGRESS, rules.COMPLETED, rules.CANCELLED):
			with pytest.raises(ValueError):
				rules.status_after_schedule(status)


class TestOverlap:
	def test_intervals_are_half_open(self):
		assert not rules.overlaps(at(1, 9), at(1, 10), at(1, 10), at(1, 11))
		assert not rules.overlaps(at(1, 10), at(1, 11), at(1, 9), at(1, 10))

	def test_any_shared_moment_overlaps(self):
		assert rules.overlaps(at(1, 9), at(1, 10, 1), at(1, 10), at(1, 11))
		assert rules.overlaps(at(1, 9), at(1, 12), at(1, 10), at(1, 11))  # contains
		assert rules.overlaps(at(1, 10), at(1, 11), at(1, 9), at(1, 12))  # inside
		assert rules.overlaps(at(1, 9), at(1, 10), at(1, 9), at(1, 10))  # the same

	def test_clashes_names_the_overlapping_jobs(self):
		others = [("A", at(1, 8), at(1, 9)), ("B", at(1, 9, 30), at(1, 10, 30)), ("C", None, None)]
		assert rules.clashes(at(1, 9), at(1, 10), others) == ["B"]


class TestDuration:
	def test_the_end_is_the_start_plus_the_types_duration(self):
		assert rules.default_end(at(1, 9), 90) == at(1, 10, 30)

	def test_without_a_duration_a_job_takes_an_hour(self):
		assert rules.default_end(at(1, 9), None) == at(1, 10)
		assert rules.default_end(at(1, 9), 0) == at(1, 10)

	def test_duration_in_minutes(self):
		assert rules.duration_minutes(at(1, 9), at(1, 10, 45)) == 105
		assert rules.duration_minutes(at(1, 9), None) == 0
		assert rules.duration_minutes(at(1, 10), at(1, 9)) == 0

	def test_snap_to_a_quarter_hour(self):
		assert rules.snap(at(1, 9, 7)) == at(1, 9, 0)
		assert rules.snap(at(1, 9, 8)) == at(1, 9, 15)
		assert rules.snap(datetime(2026, 6, 1, 23, 53)) == at(2, 0)


class TestPool:
	def test_priority_first_then_age(self):
		jobs = [
			("old low", "Low", at(1, 8)),
			("new urgent", "Urgent", at(3, 8)),
			("old urgent", "Urgent", at(2, 8)),
			("medium", "Medium", at(1, 9)),
		]
		ordered = sorted(jobs, key=lambda j: rules.pool_key(j[1], j[2]))
		assert [j[0] for j in ordered] == ["old urgent", "new urgent", "medium", "old low"]

	def test_an_unknown_priority_ranks_as_medium(self):
		assert rules.priority_rank(None) == rules.priority_rank("Medium") == 3
		assert rules.priority_rank("Urgent") == 1
		assert rules.priority_rank("Low") == 4


class TestSkills:
	def test_a_technician_covers_a_job_type_with_every_required_skill(self):
		assert rules.covers(["Gas", "Electrics"], ["Electrics", "Gas", "Plumbing"])
		assert rules.covers([], [])

	def test_the_missing_skills_are_named(self):
		assert rules.missing_skills(["Gas", "Electrics", "Roofing"], ["Gas"]) == ["Electrics", "Roofing"]

	def test_taking_a_job_needs_a_taking_role(self):
		assert rules.may_take(["Korus Technician"], ["Korus Technician"])
		assert not rules.may_take(["Sales User"], ["Korus Technician"])


class TestAbsences:
	def test_a_holiday_is_its_whole_day(self):
		h = rules.holiday(date(2026, 6, 2), "Bank holiday")
		assert (h.start, h.end) == (at(2, 0), at(3, 0))

	def test_leave_covers_its_days_and_half_days(self):
		whole = rules.leave(date(2026, 6, 2), date(2026, 6, 3))
		assert (whole.start, whole.end) == (at(2, 0), at(4, 0))
		halves = rules.leave(date(2026, 6, 2), date(2026, 6, 3), from_half_day=True, to_half_day=True)
		assert (halves.start, halves.end) == (at(2, 12), at(3, 12))

	def test_a_job_touching_an_absence_is_refused(self):
		absences = [rules.holiday(date(2026, 6, 3)), rules.leave(date(2026, 6, 2), date(2026, 6, 2), True)]
		assert rules.blocking_absence(at(2, 9), at(2, 11), absences) is None  # morning before half-day leave
		assert rules.blocking_absence(at(2, 11), at(2, 13), absences).kind == rules.LEAVE
		assert rules.blocking_absence(at(2, 23), at(3, 1), absences).kind == rules.LEAVE
		assert rules.blocking_absence(at(3, 9), at(3, 10), absences).kind == rules.HOLIDAY

	def test_a_job_ending_when_a_holiday_starts_is_allowed(self):
		assert rules.blocking_absence(at(2, 22), at(3, 0), [rules.holiday(date(2026, 6, 3))]) is None


class TestBoard:
	def test_a_day_has_its_working_hours_as_columns(self):
		cols = rules.columns(rules.DAY, date(2026, 6, 3))
		assert len(cols) == rules.DAY_END_HOUR - rules.DAY_START_HOUR
		assert cols[0] == rules.Column(at(3, 7), at(3, 8))
		assert cols[-1].end == at(3, 19)

	def test_a_week_has_seven_days_from_monday(self):
		cols = rules.columns(rules.WEEK, date(2026, 6, 3))  # a Wednesday
		assert len(cols) == 7
		assert cols[0] == rules.Column(at(1, 7), at(1, 19))  # Monday 1 June
		assert cols[6].start.date() == date(2026, 6, 7)

	def test_a_week_may_start_on_sunday(self):
		assert rules.week_start(date(2026, 6, 3), first_weekday=6) == date(2026, 5, 31)

	def test_the_board_reads_whole_days(self):
		assert rules.board_range(rules.DAY, date(2026, 6, 3)) == (at(3, 0), at(4, 0))
		assert rules.board_range(rules.WEEK, date(2026, 6, 3)) == (at(1, 0), at(8, 0))

	def test_a_block_in_the_day_view(self):
		cols = rules.columns(rules.DAY, date(2026, 6, 3))
		assert rules.place(at(3, 9, 30), at(3, 11), cols) == rules.Placement(2.5, 1.5)

	def test_a_block_in_the_week_view_sits_in_its_day(self):
		cols = rules.columns(rules.WEEK, date(2026, 6, 3))
		placed = rules.place(at(2, 13), at(2, 16), cols)  # Tuesday 13:00-16:00, 12 working hours a day
		assert placed == rules.Placement(1.5, 0.25)

	def test_a_block_across_a_night_spans_two_days(self):
		cols = rules.columns(rules.WEEK, date(2026, 6, 3))
		placed = rules.place(at(1, 17), at(2, 9), cols)
		assert placed.left == pytest.approx(10 / 12, abs=1e-4)
		assert placed.left + placed.width == pytest.approx(1 + 2 / 12, abs=1e-4)

	def test_a_block_is_clipped_to_the_grid(self):
		cols = rules.columns(rules.DAY, date(2026, 6, 3))
		placed = rules.place(at(3, 6), at(3, 8), cols)
		assert placed == rules.Placement(0.0, 1.0, clipped_start=True)
		placed = rules.place(at(3, 18), at(3, 21), cols)
		assert placed == rules.Placement(11.0, 1.0, clipped_end=True)

	def test_a_job_outside_the_working_hours_of_a_shown_day_is_narrow(self):
		cols = rules.columns(rules.DAY, date(2026, 6, 3))
		assert rules.place(at(3, 20), at(3, 21), cols) == rules.Placement(12.0, 0.0, False, True)

	def test_a_job_of_another_day_is_not_placed(self):
		cols = rules.columns(rules.DAY, date(2026, 6, 3))
		assert rules.place(at(4, 9), at(4, 10), cols) is None
		assert rules.place(at(2, 9), at(2, 10), cols) is None

	def test_absences_grey_their_columns(self):
		cols = rules.columns(rules.WEEK, date(2026, 6, 3))
		absences = [rules.holiday(date(2026, 6, 3)), rules.leave(date(2026, 6, 5), date(2026, 6, 6))]
		assert rules.blocked_columns(cols, absences) == [2, 4, 5]
		day = rules.columns(rules.DAY, date(2026, 6, 2))
		half = [rules.leave(date(2026, 6, 2), date(2026, 6, 2), from_half_day=True)]
		assert rules.blocked_columns(day, half) == list(range(12 - 7, 19 - 7))

	def test_a_board_asks_for_a_known_view_and_a_bounded_number_of_rows(self):
		assert rules.range_problem(rules.DAY, 10) is None
		assert rules.range_problem("month", 10) == "view"
		assert rules.range_problem(rules.WEEK, rules.BOARD_TECHNICIAN_LIMIT + 1) == "technicians"

	def test_bad_working_hours_are_refused(self):
		with pytest.raises(ValueError):
			rules.columns(rules.DAY, date(2026, 6, 3), start_hour=19, end_hour=7)


class TestBilling:
	def test_only_billable_lines_with_a_quantity_are_invoiced(self):
		lines = [
			rules.Line("LABOUR", 2, 50),
			rules.Line("FILTER", 1, 10, billable=False, is_stock_item=True),
			rules.Line("VALVE", 0, 10, is_stock_item=True),
		]
		assert [line.item_code for line in rules.billable_lines(lines)] == ["LABOUR"]
		assert not rules.needs_stock(lines)
		assert rules.needs_stock([*lines, rules.Line("PIPE", 3, is_stock_item=True)])

	def test_stock_leaves_from_the_technicians_warehouse_else_the_branchs(self):
		assert rules.invoice_warehouse("Van 1 - K", "Main - K") == "Van 1 - K"
		assert rules.invoice_warehouse(None, "Main - K") == "Main - K"
		assert rules.invoice_warehouse("", None) is None


def test_day_range():
	assert rules.day_range(date(2026, 6, 3)) == (at(3, 0), at(3, 0) + timedelta(days=1))
