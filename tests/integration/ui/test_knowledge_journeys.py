"""Desk journeys of the knowledge base and documents: a sales user searches the knowledge base and
finds only what they may read; from a lead's form they open its Documents, write a new document from
a template and print it."""

import frappe

from tests.integration.factories import make_lead, unique
from tests.integration.ui.desk import custom_button, dialog, goto_desk, open_form, wait_idle, wait_until


def test_a_sales_user_searches_the_knowledge_base_and_finds_only_what_they_may_read(desk_as, committed):
	marker = frappe.generate_hash(length=8).lower()
	public = frappe.get_doc(
		{"doctype": "Knowledge Article", "title": f"Expense policy {marker}", "content": f"<p>{marker}</p>"}
	).insert()
	hidden = frappe.get_doc(
		{
			"doctype": "Knowledge Article",
			"title": f"Salary bands {marker}",
			"content": f"<p>{marker}</p>",
			"visible_to_roles": [{"role": "Accounts Manager"}],
		}
	).insert()
	frappe.db.commit()
	committed.add("Knowledge Article", public.name)
	committed.add("Knowledge Article", hidden.name)

	page = desk_as("Sales User")
	goto_desk(page, "/app/knowledge-base")
	page.fill("input[data-fieldname='query']", marker)
	page.keyboard.press("Enter")
	wait_until(lambda: page.locator(".korus-kb-article").count() > 0, what="a search result")
	wait_idle(page)
	results = page.locator(".korus-kb-results").inner_text()
	assert public.title in results
	assert hidden.title not in results


def test_a_sales_user_writes_a_document_for_a_lead_from_a_template(desk_as, committed):
	lead = make_lead(first_name=unique("Journey"), last_name="Documents")
	template = frappe.get_doc(
		{
			"doctype": "Korus Document Template",
			"template_name": unique("Journey Letter"),
			"reference_doctype": "Lead",
			"content": "<p>Dear {{ doc.lead_name }},</p><p>thank you.</p>",
		}
	).insert()
	frappe.db.commit()
	committed.add("Lead", lead.name)
	committed.add("Korus Document Template", template.name)

	page = desk_as("Sales User")
	made = []
	try:
		open_form(page, "Lead", lead.name)
		custom_button(page, "Documents").click()
		modal = dialog(page, "Documents")
		modal.locator(".modal-footer .btn-primary:visible").first.click()  # New Document
		page.wait_for_function(
			"() => window.cur_frm && cur_frm.doctype === 'Korus Document' && cur_frm.is_new()"
		)
		assert page.evaluate("() => [cur_frm.doc.reference_doctype, cur_frm.doc.reference_name]") == [
			"Lead",
			lead.name,
		]
		page.evaluate(
			"([title, template]) => cur_frm.set_value('title', title).then(() => cur_frm.set_value('template', template))",
			[f"Letter to {lead.lead_name}", template.name],
		)
		wait_until(
			lambda: lead.lead_name in page.evaluate("() => cur_frm.doc.content || ''"),
			what="the template's text",
		)
		page.evaluate("() => cur_frm.save()")
		page.wait_for_function("() => window.cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
		name = page.evaluate("() => cur_frm.doc.name")
		made.append(name)
		goto_desk(page, f"/app/print/Korus Document/{name}")
		wait_until(lambda: any(lead.lead_name in f.content() for f in page.frames), what="the print preview")
	finally:
		frappe.db.rollback()
		for name in made or frappe.get_all(
			"Korus Document", filters={"reference_doctype": "Lead", "reference_name": lead.name}, pluck="name"
		):
			committed.add("Korus Document", name)
	document = frappe.get_doc("Korus Document", made[0])
	assert (document.reference_doctype, document.reference_name, document.template) == (
		"Lead",
		lead.name,
		template.name,
	)
	assert f"Dear {lead.lead_name}" in document.content
