# Copyright (c) 2026, Korus CRM developers and contributors
# For license information, please see license.txt

"""A category of the knowledge base: a tree (Frappe's nested set), shown at
/app/knowledge-category/view/tree. Categories without a parent are the top of the tree."""

from frappe.utils.nestedset import NestedSet

from korus_crm.boundary import CheckedDocument


class KnowledgeCategory(CheckedDocument, NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		description: DF.SmallText | None
		is_group: DF.Check
		lft: DF.Int
		old_parent: DF.Link | None
		parent_knowledge_category: DF.Link | None
		rgt: DF.Int
	# end: auto-generated types

	nsm_parent_field = "parent_knowledge_category"

	def validate(self):
		self.category_name = (self.category_name or "").strip()
