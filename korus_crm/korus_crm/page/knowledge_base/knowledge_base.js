// The knowledge base (/app/knowledge-base): a search box (MariaDB FULLTEXT through
// korus_crm.office.knowledge.search_articles: every word, prefixes, accents ignored, Chinese too),
// the category tree to browse by, and the newest articles. Only articles the user may read appear.
frappe.pages["knowledge-base"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Knowledge Base"), single_column: false });
	wrapper.knowledge_base = new korus_crm.KnowledgeBase(page);
};

frappe.pages["knowledge-base"].on_page_show = function (wrapper) {
	const options = frappe.route_options || {};
	frappe.route_options = null;
	wrapper.knowledge_base.show(options);
};

frappe.provide("korus_crm");

korus_crm.KnowledgeBase = class KnowledgeBase {
	constructor(page) {
		this.page = page;
		this.category = null;
		this.query = "";
		this.start = 0;
		this.search_field = page.add_field({
			fieldtype: "Data",
			fieldname: "query",
			label: __("Search"),
			placeholder: __("Search articles"),
			change: () => this.search(this.search_field.get_value() || ""),
		});
		this.category_field = page.add_field({
			fieldtype: "Link",
			fieldname: "category",
			options: "Knowledge Category",
			label: __("Category"),
			change: () => {
				this.category = this.category_field.get_value() || null;
				this.load(0);
			},
		});
		if (frappe.model.can_create("Knowledge Article")) {
			page.set_primary_action(__("New Article"), () =>
				frappe.new_doc("Knowledge Article", this.category ? { category: this.category } : {})
			);
		}
		page.add_inner_button(__("Categories"), () => frappe.set_route("Tree", "Knowledge Category"));
		page.add_inner_button(__("All Articles"), () => frappe.set_route("List", "Knowledge Article"));
		this.$tree = $(`<div class="korus-kb-categories"></div>`).appendTo(page.sidebar);
		this.$body = $(`<div class="korus-kb"></div>`).appendTo(page.main);
		this.$body.on("click", "[data-action='more']", () => this.load(this.start + 20, true));
		this.$tree.on("click", "[data-category]", (e) => {
			e.preventDefault();
			this.category_field.set_value($(e.currentTarget).attr("data-category") || "");
		});
		this.load_categories();
	}

	show(options) {
		if (options.category !== undefined && options.category !== this.category) {
			this.category_field.set_value(options.category || "");
		} else if (options.query) {
			this.search_field.set_value(options.query);
		} else {
			this.load(0);
		}
	}

	search(query) {
		this.query = query.trim();
		this.load(0);
	}

	load_categories() {
		frappe
			.xcall("frappe.client.get_list", {
				doctype: "Knowledge Category",
				fields: ["name", "category_name", "parent_knowledge_category", "lft"],
				order_by: "lft asc",
				limit_page_length: 500,
			})
			.then((rows) => {
				const esc = frappe.utils.escape_html;
				const children = {};
				rows.forEach((r) => (children[r.parent_knowledge_category || ""] ||= []).push(r));
				const branch = (parent) =>
					(children[parent] || [])
						.map(
							(r) => `<li><a href="#" data-category="${esc(r.name)}">${esc(r.category_name || r.name)}</a>
								${children[r.name] ? `<ul>${branch(r.name)}</ul>` : ""}</li>`
						)
						.join("");
				this.$tree.html(`
					<div class="sidebar-label">${__("Categories")}</div>
					<ul class="list-unstyled korus-kb-tree"><li><a href="#" data-category="">${__("All Categories")}</a></li>${branch("")}</ul>`);
			});
	}

	load(start, append = false) {
		this.start = start;
		const method = this.query
			? "korus_crm.office.knowledge.search_articles"
			: "korus_crm.office.knowledge.get_articles";
		const args = { category: this.category, start, page_length: 20 };
		if (this.query) args.query = this.query;
		return frappe.xcall(method, args).then((data) => this.render(data, append));
	}

	render(data, append) {
		const esc = frappe.utils.escape_html;
		const highlight = (text) => {
			let html = esc(text || "");
			(data.terms || []).forEach((term) => {
				if (!term) return;
				const pattern = new RegExp(`(${term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`, "gi");
				html = html.replace(pattern, "<mark>$1</mark>");
			});
			return html;
		};
		const rows = data.results
			.map(
				(r) => `<div class="korus-kb-article" style="padding: 10px 0; border-bottom: 1px solid var(--border-color)">
					<a class="bold" href="/app/knowledge-article/${encodeURIComponent(r.name)}">${esc(r.title || r.name)}</a>
					${r.published ? "" : `<span class="indicator-pill orange">${__("Draft")}</span>`}
					<div class="text-muted small">${esc(r.category || __("No category"))} · ${esc(frappe.user.full_name(r.owner))} · ${frappe.datetime.comment_when(r.modified)}</div>
					${r.excerpt ? `<div class="small">${highlight(r.excerpt)}</div>` : ""}
				</div>`
			)
			.join("");
		const heading = this.query
			? __("Articles with {0}", [esc(this.query)])
			: this.category
			? __("Newest articles in {0}", [esc(this.category)])
			: __("Newest articles");
		if (!append) {
			this.$body.html(`<h5 class="korus-kb-heading">${heading}</h5><div class="korus-kb-results"></div>
				<div class="korus-kb-more"></div>`);
		}
		this.$body.find(".korus-kb-results").append(rows || (append ? "" : `<p class="text-muted">${__("No articles found.")}</p>`));
		this.$body
			.find(".korus-kb-more")
			.html(data.has_more ? `<button class="btn btn-default btn-sm" data-action="more">${__("More")}</button>` : "");
	}
};
