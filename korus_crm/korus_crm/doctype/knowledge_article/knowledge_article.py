# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""An article of the knowledge base (korus_crm.office.knowledge: who reads it, and its search).

On save the article keeps two derived columns: `restricted` (it has audience rows), which lets the
permission query pass unrestricted articles without looking at the audience tables, and
`search_text`, the article's title and text as the FULLTEXT index takes them
(korus_crm.rules.knowledge.index_text)."""

import frappe
from frappe import _

from korus_crm.boundary import CheckedDocument
from korus_crm.rules import knowledge as rules

FULLTEXT_INDEX = "korus_knowledge_search"


class KnowledgeArticle(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from korus_crm.korus_crm.doctype.knowledge_article_department.knowledge_article_department import (
			KnowledgeArticleDepartment,
		)
		from korus_crm.korus_crm.doctype.knowledge_article_role.knowledge_article_role import (
			KnowledgeArticleRole,
		)

		category: DF.Link | None
		content: DF.TextEditor | None
		published: DF.Check
		restricted: DF.Check
		search_text: DF.LongText | None
		title: DF.Data
		visible_to_departments: DF.TableMultiSelect[KnowledgeArticleDepartment]
		visible_to_roles: DF.TableMultiSelect[KnowledgeArticleRole]
	# end: auto-generated types

	def validate(self):
		self.title = (self.title or "").strip()
		if not self.title:
			frappe.throw(_("Give the article a title."), frappe.MandatoryError)
		self.drop_duplicate_audience()
		self.restricted = 1 if (self.visible_to_roles or self.visible_to_departments) else 0
		self.search_text = rules.index_text(self.title, rules.plain_text(self.content))

	def drop_duplicate_audience(self):
		for table, field in (("visible_to_roles", "role"), ("visible_to_departments", "department")):
			seen, rows = set(), []
			for row in self.get(table):
				if row.get(field) and row.get(field) not in seen:
					seen.add(row.get(field))
					rows.append(row)
			self.set(table, rows)


def on_doctype_update():
	"""After Frappe syncs the doctype: the FULLTEXT index of the search (Frappe makes none)."""
	exists = frappe.db.sql(
		"show index from `tabKnowledge Article` where Key_name = %s", FULLTEXT_INDEX, as_dict=True
	)
	if not exists:
		frappe.db.sql_ddl(
			f"alter table `tabKnowledge Article` add fulltext index `{FULLTEXT_INDEX}` (`search_text`)"
		)
