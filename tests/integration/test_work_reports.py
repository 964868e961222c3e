"""Work reports (工作报告): the period from kind and date, one report per author, kind and period; sent
on submit to the author's supervisor and chosen colleagues (in-app and by email through the queue),
who see it unread until they open it; read by its author, recipients and the author's supervisors
up the chain, in lists, counts and by name; "my subordinates' reports" by period; the print format;
bad input refused with nothing written."""

from __future__ import annotations

import json
from unittest.mock import patch

import frappe
import pytest
from frappe.utils import add_days, getdate, today

from korus_crm import notify, people
from korus_crm.exceptions import WorkReportExistsError, WorkReportPeriodError, WorkReportRecipientsError
from korus_crm.office import work_reports
from korus_crm.rules import work_reports as rules
from tests.integration.org_setup import make_employee
from tests.integration.support import ApiClient, make_user, new_user

DOCTYPE = "Work Report"
URL = f"/api/resource/{DOCTYPE}"
# a past Wednesday: its week and month have started
DAY = getdate("2026-06-17")


@pytest.fixture
def org():
	"""ceo > manager > clerk (reports_to); colleague and stranger report to nobody."""
	u = frappe._dict(
		ceo=new_user("Sales Manager"),
		manager=new_user("Sales Manager", "Sales User"),
		clerk=new_user("Sales User"),
		colleague=new_user("Korus Office Staff"),
		stranger=new_user("Sales User"),
		admin=new_user("Korus Administrator"),
		outsider=new_user(),
	)
	ceo = make_employee(u.ceo, None, None)
	manager = make_employee(u.manager, None, None, reports_to=ceo)
	make_employee(u.clerk, None, None, reports_to=manager)
	make_employee(u.colleague, None, None)
	people.forget()
	return u


def write_report(author: str, submit: bool = True, **values):
	frappe.set_user(author)
	try:
		doc = frappe.get_doc(
			{
				"doctype": DOCTYPE,
				"kind": values.pop("kind", rules.DAILY),
				"report_date": values.pop("report_date", DAY),
				"done": values.pop("done", "<p>Called five customers.</p>"),
				"planned": values.pop("planned", "<p>Send two offers.</p>"),
				**values,
			}
		).insert()
		if submit:
			doc.submit()
		return doc
	finally:
		frappe.set_user("Administrator")


def visible_to(user: str, **filters) -> set[str]:
	frappe.set_user(user)
	try:
		return set(frappe.get_list(DOCTYPE, filters=filters, pluck="name", limit_page_length=0))
	finally:
		frappe.set_user("Administrator")


def may(user: str, name: str, ptype: str = "read") -> bool:
	return frappe.has_permission(DOCTYPE, ptype, doc=frappe.get_doc(DOCTYPE, name), user=user)


class TestPeriod:
	@pytest.mark.parametrize(
		("kind", "start", "end"),
		[
			(rules.DAILY, "2026-06-17", "2026-06-17"),
			(rules.WEEKLY, "2026-06-15", "2026-06-21"),
			(rules.MONTHLY, "2026-06-01", "2026-06-30"),
		],
	)
	def test_the_period_comes_from_the_kind_and_the_date(self, org, kind, start, end):
		doc = write_report(org.clerk, submit=False, kind=kind)
		assert (doc.period_start, doc.period_end) == (getdate(start), getdate(end))
		assert doc.author == org.clerk and doc.employee
		assert doc.title.endswith(rules.period_label(kind, getdate(start)))

	def test_a_period_ending_before_it_starts_is_refused(self, org):
		before = frappe.db.count(DOCTYPE)
		with pytest.raises(WorkReportPeriodError):
			write_report(org.clerk, report_date=None, period_start="2026-06-17", period_end="2026-06-16")
		with pytest.raises(WorkReportPeriodError):
			write_report(org.clerk, kind=rules.WEEKLY, period_start="2026-06-16", period_end="2026-06-22")
		with pytest.raises(WorkReportPeriodError):
			write_report(org.clerk, report_date=add_days(today(), 1))
		assert frappe.db.count(DOCTYPE) == before

	def test_the_form_shows_the_period_before_saving(self):
		assert work_reports.period(rules.WEEKLY, getdate("2026-06-17")) == {
			"period_start": getdate("2026-06-15"),
			"period_end": getdate("2026-06-21"),
			"label": "2026-W25",
		}

	def test_a_report_without_a_date_is_for_today(self, org):
		doc = write_report(org.clerk, submit=False, report_date=None)
		assert getdate(doc.report_date) == getdate(today()) == doc.period_start

	def test_a_given_period_of_the_kind_is_taken(self, org):
		doc = write_report(
			org.clerk,
			submit=False,
			kind=rules.WEEKLY,
			report_date=None,
			period_start="2026-06-08",
			period_end="2026-06-14",
		)
		assert doc.report_date == getdate("2026-06-08")
		assert (doc.period_start, doc.period_end) == (getdate("2026-06-08"), getdate("2026-06-14"))

	def test_changing_the_kind_of_a_draft_derives_the_period_again(self, org):
		doc = write_report(org.clerk, submit=False)
		frappe.set_user(org.clerk)
		doc.kind = rules.MONTHLY
		doc.save()
		assert (doc.period_start, doc.period_end) == (getdate("2026-06-01"), getdate("2026-06-30"))


class TestOnePerPeriod:
	def test_a_second_report_of_the_same_kind_and_period_is_refused(self, org):
		first = write_report(org.clerk, kind=rules.WEEKLY, report_date="2026-06-15")
		with pytest.raises(WorkReportExistsError) as refused:
			write_report(org.clerk, kind=rules.WEEKLY, report_date="2026-06-19")
		assert first.name in str(refused.value)
		# another kind, another period or another author is another report
		write_report(org.clerk, kind=rules.DAILY, report_date="2026-06-15")
		write_report(org.clerk, kind=rules.WEEKLY, report_date="2026-06-08")
		write_report(
			org.stranger, kind=rules.WEEKLY, report_date="2026-06-15", recipients=[{"user": org.clerk}]
		)

	def test_the_database_holds_one_live_report_per_period_even_past_the_check(self, org):
		first = write_report(org.clerk, submit=False)
		second = write_report(org.clerk, submit=False, report_date=add_days(DAY, -1))
		with pytest.raises(Exception) as refused:  # the database's own refusal, past any check
			frappe.db.set_value(DOCTYPE, second.name, "period_key", first.period_key)
		assert frappe.db.is_unique_key_violation(refused.value)

	def test_a_cancelled_report_can_be_amended(self, org):
		first = write_report(org.clerk)
		frappe.set_user(org.clerk)
		first.cancel()
		amended = frappe.copy_doc(first)
		amended.amended_from = first.name
		amended.docstatus = 0
		amended.insert()
		amended.submit()
		assert amended.period_start == first.period_start


class TestRecipients:
	def test_the_supervisor_and_the_chosen_colleagues_receive_it(self, org):
		doc = write_report(
			org.clerk,
			submit=False,
			recipients=[{"user": org.colleague}, {"user": org.colleague}, {"user": org.clerk}],
		)
		assert [(r.user, r.via) for r in doc.recipients] == [
			(org.manager, rules.SUPERVISOR),
			(org.colleague, rules.COLLEAGUE),
		]

	def test_a_report_nobody_would_receive_cannot_be_submitted(self, org):
		with pytest.raises(WorkReportRecipientsError):
			write_report(org.stranger)  # no supervisor, no colleagues
		assert not frappe.db.exists(DOCTYPE, {"author": org.stranger, "docstatus": 1})

	def test_a_colleague_without_a_korus_role_is_refused(self, org):
		with pytest.raises(WorkReportRecipientsError):
			write_report(org.clerk, recipients=[{"user": org.outsider}])
		with pytest.raises(frappe.LinkValidationError):
			write_report(org.clerk, recipients=[{"user": "nobody@example.invalid"}])

	def test_at_most_so_many_people_receive_a_report(self, org):
		with patch.object(rules, "MAX_RECIPIENTS", 1), pytest.raises(WorkReportRecipientsError):
			write_report(org.clerk, recipients=[{"user": org.colleague}])

	def test_the_form_learns_the_supervisor_and_whether_it_is_unread(self, org):
		draft = write_report(org.clerk, submit=False)
		frappe.set_user(org.clerk)
		draft = frappe.get_doc(DOCTYPE, draft.name)
		draft.run_method("onload")
		assert draft.get_onload().supervisor == org.manager
		doc = write_report(org.clerk, report_date=add_days(DAY, -1))
		frappe.set_user(org.manager)
		doc = frappe.get_doc(DOCTYPE, doc.name)
		doc.run_method("onload")
		assert doc.get_onload().unread is True

	def test_read_flags_are_the_servers(self, org):
		doc = write_report(org.clerk, submit=False, recipients=[{"user": org.colleague, "is_read": 1}])
		assert not any(r.is_read for r in doc.recipients)

	def test_submitting_tells_each_recipient_in_app_and_by_email(self, org, outgoing_email_account):
		doc = write_report(org.clerk, recipients=[{"user": org.colleague}])
		logs = frappe.get_all(
			"Notification Log",
			filters={"document_type": DOCTYPE, "document_name": doc.name},
			pluck="for_user",
		)
		assert sorted(logs) == sorted([org.manager, org.colleague])
		queued = frappe.get_all(
			"Email Queue", filters={"reference_doctype": DOCTYPE, "reference_name": doc.name}, pluck="name"
		)
		assert len(queued) == 1
		to = frappe.get_all("Email Queue Recipient", filters={"parent": queued[0]}, pluck="recipient")
		assert sorted(to) == sorted([org.manager, org.colleague])

	def test_without_outgoing_email_the_notification_is_in_app_only(self, org):
		with patch.object(notify.EmailAccount, "find_outgoing", return_value=None):
			doc = write_report(org.clerk)
		assert frappe.db.count("Notification Log", {"document_name": doc.name}) == 1
		assert frappe.db.count("Email Queue", {"reference_name": doc.name}) == 0


class TestReading:
	def test_author_recipients_and_supervisors_up_the_chain_read_it(self, org):
		doc = write_report(org.clerk, recipients=[{"user": org.colleague}])
		for user in (org.clerk, org.manager, org.ceo, org.colleague, org.admin):
			assert doc.name in visible_to(user), user
			assert may(org.clerk if user == org.clerk else user, doc.name), user
		assert doc.name not in visible_to(org.stranger)
		assert not may(org.stranger, doc.name)
		assert not may(org.outsider, doc.name)

	def test_a_draft_is_its_authors_only(self, org):
		draft = write_report(org.clerk, submit=False, recipients=[{"user": org.colleague}])
		assert draft.name in visible_to(org.clerk)
		for user in (org.manager, org.ceo, org.colleague):
			assert draft.name not in visible_to(user)
			assert not may(user, draft.name)
		assert draft.name in visible_to(org.admin)

	def test_only_the_author_changes_it(self, org):
		draft = write_report(org.clerk, submit=False)
		assert may(org.clerk, draft.name, "write")
		assert not may(org.admin, draft.name, "write")
		doc = write_report(org.clerk, report_date=add_days(DAY, -1))
		assert may(org.clerk, doc.name, "cancel")
		for user in (org.manager, org.ceo, org.admin):
			assert not may(user, doc.name, "cancel") and not may(user, doc.name, "write")

	def test_a_reader_may_comment(self, org):
		from frappe.desk.form.utils import add_comment

		doc = write_report(org.clerk)
		frappe.set_user(org.manager)
		comment = add_comment(DOCTYPE, doc.name, "Good week", org.manager, "Manager")
		assert comment.reference_name == doc.name
		frappe.set_user(org.stranger)
		with pytest.raises(frappe.PermissionError):
			add_comment(DOCTYPE, doc.name, "Hello", org.stranger, "Stranger")


class TestUnread:
	def test_a_recipient_sees_it_unread_until_they_open_it(self, org):
		doc = write_report(org.clerk, recipients=[{"user": org.colleague}])
		other = write_report(org.clerk, report_date=add_days(DAY, -1))
		frappe.set_user(org.manager)
		assert work_reports.unread_count() == 2
		assert set(work_reports.unread_among([doc.name, other.name, "WR-NONE"])) == {doc.name, other.name}
		assert set(
			frappe.get_list(DOCTYPE, filters=work_reports.unread_filters(org.manager), pluck="name")
		) == {
			doc.name,
			other.name,
		}
		modified = frappe.db.get_value(DOCTYPE, doc.name, "modified")

		assert work_reports.mark_read(doc.name)["is_read"] == 1
		assert work_reports.unread_count() == 1
		assert work_reports.unread_among([doc.name, other.name]) == [other.name]
		assert frappe.db.get_value(DOCTYPE, doc.name, "modified") == modified
		# the colleague's own flag is theirs
		frappe.set_user(org.colleague)
		assert work_reports.unread_count() == 1
		assert work_reports.unread_among([doc.name]) == [doc.name]

	def test_a_supervisor_who_is_not_a_recipient_has_nothing_unread(self, org):
		doc = write_report(org.clerk)
		frappe.set_user(org.ceo)
		assert work_reports.unread_count() == 0
		assert work_reports.mark_read(doc.name)["is_read"] is None

	def test_unread_for_me_is_read_through_an_index(self, org):
		query = frappe.get_list(DOCTYPE, filters=work_reports.unread_filters(org.manager), run=False)
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		assert any("user_is_read_parent_index" in (row.possible_keys or "") for row in plan), plan


class TestSubordinates:
	def test_a_supervisor_lists_the_reports_below_them_by_period(self, org):
		clerk_week = write_report(org.clerk, kind=rules.WEEKLY, report_date="2026-06-08")
		clerk_day = write_report(org.clerk, report_date="2026-06-16")
		manager_day = write_report(org.manager, report_date="2026-06-16")
		write_report(org.colleague, recipients=[{"user": org.ceo}])  # to the ceo, not below them
		write_report(org.clerk, submit=False, report_date="2026-06-12")  # a draft

		frappe.set_user(org.ceo)
		rows = work_reports.subordinates_reports()
		assert [r.name for r in rows] == [clerk_day.name, manager_day.name, clerk_week.name] or [
			r.name for r in rows
		] == [manager_day.name, clerk_day.name, clerk_week.name]
		assert [r.name for r in work_reports.subordinates_reports(kind=rules.WEEKLY)] == [clerk_week.name]
		assert {r.name for r in work_reports.subordinates_reports(from_date=getdate("2026-06-10"))} == {
			clerk_day.name,
			manager_day.name,
		}
		assert [r.name for r in work_reports.subordinates_reports(to_date=getdate("2026-06-10"))] == [
			clerk_week.name
		]
		assert sorted(work_reports.my_subordinates()) == sorted([org.manager, org.clerk])

		frappe.set_user(org.manager)
		assert [r.name for r in work_reports.subordinates_reports()] == [clerk_day.name, clerk_week.name]
		frappe.set_user(org.clerk)
		assert work_reports.subordinates_reports() == []

	def test_my_subordinates_reports_are_read_through_an_index(self, org):
		query = frappe.get_list(
			DOCTYPE, filters=[["author", "in", [org.clerk, org.manager]], ["docstatus", "=", 1]], run=False
		)
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		assert any("author_period_start_index" in (row.possible_keys or "") for row in plan), plan


def test_the_print_format_shows_the_report(org):
	doc = write_report(org.clerk, problems="<p>The printer is broken.</p>")
	html = frappe.get_print(DOCTYPE, doc.name, print_format="Korus Work Report")
	assert "Called five customers." in html and "The printer is broken." in html
	assert frappe.get_meta(DOCTYPE).default_print_format == "Korus Work Report"


# --- over REST: the request path a user takes ---


@pytest.fixture
def rest_org(committed):
	users = {}
	for key in ("boss", "clerk", "stranger"):
		users[key] = make_user(["Sales User"])
		committed.add("User", users[key][0])
	boss = make_employee(users["boss"][0], None, None)
	clerk = make_employee(users["clerk"][0], None, None, reports_to=boss)
	committed.add("Employee", boss)
	committed.add("Employee", clerk)
	frappe.db.commit()
	clients = {}
	for key, credentials in users.items():
		clients[key] = ApiClient(frappe.local.site)
		clients[key].login(*credentials)
	return frappe._dict(clients)


def test_over_rest_a_report_is_sent_read_and_refused_to_others(rest_org, committed):
	clerk, boss, stranger = rest_org.clerk, rest_org.boss, rest_org.stranger
	body = {"kind": "Daily", "report_date": str(DAY), "done": "<p>Visited a customer.</p>"}
	created = clerk.post(URL, body)
	assert created.status_code == 200, created
	name = created.data["name"]
	committed.add(DOCTYPE, name)
	assert created.data["author"] == clerk.user
	assert [r["user"] for r in created.data["recipients"]] == [boss.user]

	# a draft is the author's only
	assert boss.get(f"{URL}/{name}").status_code == 403

	submitted = clerk.post("/api/method/frappe.client.submit", {"doc": {**created.data, "doctype": DOCTYPE}})
	assert submitted.status_code == 200, submitted
	for log in frappe.get_all("Notification Log", filters={"document_name": name}, pluck="name"):
		committed.add("Notification Log", log)
	for mail in frappe.get_all("Email Queue", filters={"reference_name": name}, pluck="name"):
		committed.add("Email Queue", mail)

	assert boss.get(f"{URL}/{name}").status_code == 200
	refused = stranger.get(f"{URL}/{name}")
	assert refused.status_code == 403 and refused.exc_type == "PermissionError"
	assert name not in {r["name"] for r in stranger.get(URL, {"limit_page_length": 0}).data}
	count = stranger.get(
		"/api/method/frappe.desk.reportview.get_count",
		{"doctype": DOCTYPE, "filters": json.dumps({"name": name})},
	)
	assert count.status_code == 200 and count.data == 0

	unread = boss.get("/api/method/korus_crm.office.work_reports.unread_count")
	assert unread.status_code == 200 and unread.data == 1
	assert boss.post("/api/method/korus_crm.office.work_reports.mark_read", {"name": name}).status_code == 200
	assert boss.get("/api/method/korus_crm.office.work_reports.unread_count").data == 0
	assert (
		stranger.post("/api/method/korus_crm.office.work_reports.mark_read", {"name": name}).status_code
		== 403
	)
	# a recipient cannot change it
	assert boss.put(f"{URL}/{name}", {"done": "<p>Nothing</p>"}).status_code in (403, 417)

	duplicate = clerk.post(URL, body)
	assert duplicate.status_code == 409, duplicate
	assert duplicate.exc_type == "WorkReportExistsError"
	assert duplicate.messages


def test_over_rest_bad_input_is_a_4xx_and_nothing_is_written(rest_org):
	clerk = rest_org.clerk
	frappe.db.rollback()
	before = frappe.db.count(DOCTYPE)
	done = "<p>x</p>"
	for body, exc_type in (
		(
			{"kind": "Daily", "period_start": "2026-06-10", "period_end": "2026-06-09", "done": done},
			"WorkReportPeriodError",
		),
		(
			{
				"kind": "Weekly",
				"report_date": "2026-06-17",
				"period_start": "2026-06-16",
				"period_end": "2026-06-22",
				"done": done,
			},
			"WorkReportPeriodError",
		),
		({"kind": "Yearly", "report_date": "2026-06-17", "done": done}, "ValidationError"),
		({"kind": "Daily", "report_date": "not-a-date", "done": done}, "InvalidInputError"),
		({"kind": "Daily", "report_date": "2026-06-17", "done": {"a": 1}}, "InvalidInputError"),
		(
			{
				"kind": "Daily",
				"report_date": "2026-06-17",
				"done": done,
				"recipients": [{"user": "nobody@example.invalid"}],
			},
			"LinkValidationError",
		),
		(
			{"kind": "Daily", "report_date": "2026-06-17", "done": done, "recipients": "everyone"},
			"InvalidInputError",
		),
	):
		answer = clerk.post(URL, body)
		assert 400 <= answer.status_code < 500, (body, answer)
		assert answer.exc_type == exc_type, (body, answer)
		assert answer.messages, answer
	frappe.db.rollback()
	assert frappe.db.count(DOCTYPE) == before
