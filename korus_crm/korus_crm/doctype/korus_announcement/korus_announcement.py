# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""An announcement (公告): its audience, dates and status are checked and set here; who reads it,
publishing, announcing and read receipts are in korus_crm.office.announcements."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from korus_crm.boundary import CheckedDocument
from korus_crm.exceptions import AnnouncementAudienceError, AnnouncementDateError
from korus_crm.office import announcements
from korus_crm.rules import announcements as rules


class KorusAnnouncement(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.korus_announcement_branch.korus_announcement_branch import (
			KorusAnnouncementBranch,
		)
		from korus_crm.korus_crm.doctype.korus_announcement_department.korus_announcement_department import (
			KorusAnnouncementDepartment,
		)

		audience: DF.Literal["Everyone", "Branches", "Departments"]
		branches: DF.TableMultiSelect[KorusAnnouncementBranch]
		content: DF.TextEditor
		departments: DF.TableMultiSelect[KorusAnnouncementDepartment]
		expires_on: DF.Datetime | None
		notified_on: DF.Datetime | None
		pinned: DF.Check
		publish_on: DF.Datetime
		read_by_html: DF.HTML
		status: DF.Literal["Draft", "Scheduled", "Published"]
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		self.title = (self.title or "").strip()
		self.keep_server_fields()
		self.keep_audience_rows()
		self.set_status()
		self.check_dates_and_audience()

	def keep_server_fields(self):
		"""When it was announced is the server's to record (a caller's value is ignored)."""
		before = self.get_doc_before_save()
		self.notified_on = before.notified_on if before else None

	def keep_audience_rows(self):
		"""Only the rows of the chosen audience, each branch or department once."""
		for field, audience, link in (
			("branches", rules.BRANCHES, "branch"),
			("departments", rules.DEPARTMENTS, "department"),
		):
			seen, rows = set(), []
			for row in self.get(field) or []:
				if self.audience == audience and row.get(link) and row.get(link) not in seen:
					seen.add(row.get(link))
					rows.append(row)
			self.set(field, rows)

	def set_status(self):
		"""Asking to publish (status Published or Scheduled) publishes now or schedules, by the publish
		date; a draft published later than its publish date goes out with today's date."""
		if not self.publish_on:
			return  # mandatory: Frappe refuses the save
		now = now_datetime()
		before = self.get_doc_before_save()
		was_draft = before is None or before.status == rules.DRAFT
		if was_draft and self.status in (rules.SCHEDULED, rules.PUBLISHED) and not self.is_new():
			if get_datetime(self.publish_on) < now:
				self.publish_on = now
		self.status = rules.status_for(self.status, get_datetime(self.publish_on), now)

	def check_dates_and_audience(self):
		found = rules.problems(
			self.audience,
			[row.branch for row in self.branches],
			[row.department for row in self.departments],
			get_datetime(self.publish_on) if self.publish_on else None,
			get_datetime(self.expires_on) if self.expires_on else None,
		)
		if rules.EXPIRES_BEFORE_PUBLISH in found:
			frappe.throw(_("An announcement must expire after it is published."), AnnouncementDateError)
		if rules.NO_BRANCHES in found:
			frappe.throw(_("Choose the branches the announcement is for."), AnnouncementAudienceError)
		if rules.NO_DEPARTMENTS in found:
			frappe.throw(_("Choose the departments the announcement is for."), AnnouncementAudienceError)

	def on_update(self):
		if rules.should_notify(self.status, self.notified_on):
			announcements.schedule_notification(self.name)

	def on_trash(self):
		frappe.db.delete(announcements.READ, {"announcement": self.name})

	def onload(self):
		user = frappe.session.user
		self.set_onload("read_on", announcements.read_on(self.name, user))
		self.set_onload("may_see_readers", announcements.may_see_readers(self, user))


def on_doctype_update():
	# the publishing job reads the due rows; the workspace reads the published ones by date
	frappe.db.add_index("Korus Announcement", ["status", "publish_on"])
	# the publishing job finds published ones not announced yet (a lost job)
	frappe.db.add_index("Korus Announcement", ["status", "notified_on"])
