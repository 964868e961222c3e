// The Organisation page (/app/organisation): company → branches → departments → employees, with
// each person's login and roles; an administrator adds people and moves them.
frappe.pages["organisation"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Organisation"), single_column: true });
	wrapper.organisation = new korus_crm.Organisation(page);
};

frappe.pages["organisation"].on_page_show = function (wrapper) {
	wrapper.organisation.load();
};

frappe.provide("korus_crm");

korus_crm.Organisation = class Organisation {
	constructor(page) {
		this.page = page;
		this.$body = $(`<div class="korus-organisation"></div>`).appendTo(page.main);
		page.set_secondary_action(__("Refresh"), () => this.load());
		page.add_inner_button(__("Branches"), () => frappe.set_route("List", "Branch"));
		page.add_inner_button(__("Departments"), () => frappe.set_route("Tree", "Department"));
		page.add_inner_button(__("Data Scope"), () => frappe.set_route("List", "Korus Role Scope"));
		this.$body.on("click", "[data-action='move']", (e) => this.edit($(e.currentTarget).data("employee")));
		this.$body.on("click", "[data-action='add']", (e) => {
			const $t = $(e.currentTarget);
			this.edit(null, { company: $t.data("company"), branch: $t.data("branch"), department: $t.data("department") });
		});
	}

	load() {
		return frappe.xcall("korus_crm.api.organisation.get_organisation").then((data) => {
			this.data = data;
			if (data.can_edit) {
				this.page.set_primary_action(__("Add Person"), () => this.edit(null, {}));
			}
			this.render();
		});
	}

	render() {
		const esc = frappe.utils.escape_html;
		const person = (e) => `
			<li class="korus-person" data-employee="${esc(e.name)}">
				<a href="/app/employee/${encodeURIComponent(e.name)}">${esc(e.employee_name || e.name)}</a>
				${e.designation ? `<span class="text-muted small"> · ${esc(__(e.designation))}</span>` : ""}
				${e.user_id
					? `<span class="korus-login small"> · ${esc(e.user_id)}</span> ${e.roles.map((r) => `<span class="badge korus-role">${esc(__(r))}</span>`).join(" ")}`
					: `<span class="text-muted small"> · ${__("no login")}</span>`}
				${this.data.can_edit ? `<button class="btn btn-xs btn-link" data-action="move" data-employee="${esc(e.name)}">${__("Move")}</button>` : ""}
			</li>`;
		const add = (company, branch, department) =>
			this.data.can_edit
				? `<button class="btn btn-xs btn-link" data-action="add" data-company="${esc(company)}" data-branch="${esc(branch || "")}" data-department="${esc(department || "")}">${__("Add person")}</button>`
				: "";
		const department = (company, branch, d) => `
			<li class="korus-department" data-department="${esc(d.name)}">
				<span class="korus-node-title">${esc(d.department_name || d.name)}</span>
				${d.korus_head ? `<span class="text-muted small"> · ${__("Head")}: ${esc(d.korus_head)}</span>` : ""}
				${add(company, branch, d.name)}
				<ul>${d.employees.map(person).join("")}${d.children.map((c) => department(company, branch, c)).join("")}</ul>
			</li>`;
		const branch = (company, b) => `
			<li class="korus-branch" data-branch="${esc(b.name)}">
				<span class="korus-node-title">${b.name ? esc(b.name) : `<em>${__("No branch")}</em>`}</span>
				${b.manager ? `<span class="text-muted small"> · ${__("Manager")}: ${esc(b.manager)}</span>` : ""}
				${b.is_active === 0 ? `<span class="badge">${__("Inactive")}</span>` : ""}
				${add(company, b.name)}
				<ul>${b.employees.map(person).join("")}${b.departments.map((d) => department(company, b.name, d)).join("")}</ul>
			</li>`;
		this.$body.html(
			this.data.companies
				.map(
					(c) => `<div class="korus-company" data-company="${esc(c.name)}">
						<h4>${esc(c.name)}</h4><ul class="korus-tree">${c.branches.map((b) => branch(c.name, b)).join("")}</ul>
					</div>`
				)
				.join("") || `<p class="text-muted">${__("No company yet.")}</p>`
		);
	}

	edit(employee, defaults = {}) {
		const existing = employee ? this.find(employee) : null;
		const fields = [];
		if (!existing) {
			fields.push(
				{ fieldname: "first_name", fieldtype: "Data", label: __("First Name"), reqd: 1 },
				{ fieldname: "last_name", fieldtype: "Data", label: __("Last Name") },
				{ fieldname: "gender", fieldtype: "Link", options: "Gender", label: __("Gender"), reqd: 1 },
				{ fieldname: "date_of_birth", fieldtype: "Date", label: __("Date of Birth"), reqd: 1 },
				{ fieldname: "date_of_joining", fieldtype: "Date", label: __("Date of Joining"), default: frappe.datetime.get_today() },
				{ fieldname: "company", fieldtype: "Link", options: "Company", label: __("Company"), default: defaults.company },
				{ fieldtype: "Section Break" }
			);
		}
		fields.push(
			{ fieldname: "branch", fieldtype: "Link", options: "Branch", label: __("Branch"), default: existing ? existing.branch : defaults.branch },
			{ fieldname: "department", fieldtype: "Link", options: "Department", label: __("Department"), default: existing ? existing.department : defaults.department },
			{ fieldname: "designation", fieldtype: "Link", options: "Designation", label: __("Designation"), default: existing && existing.designation },
			{ fieldname: "reports_to", fieldtype: "Link", options: "Employee", label: __("Reports To"), default: existing && existing.reports_to },
			{
				fieldname: "user",
				fieldtype: "Link",
				options: "User",
				label: __("Login (User)"),
				default: existing && existing.user_id,
				description: __("Leave empty for a person without a login."),
			}
		);
		const dialog = new frappe.ui.Dialog({
			title: existing ? __("Move {0}", [existing.employee_name]) : __("Add a person"),
			fields,
			primary_action_label: __("Save"),
			primary_action: (values) => {
				frappe
					.xcall("korus_crm.api.organisation.save_employee", { ...values, employee, user: values.user || "" })
					.then(() => {
						dialog.hide();
						this.load();
					});
			},
		});
		dialog.show();
	}

	find(employee) {
		let found = null;
		const walk = (list) =>
			(list || []).forEach((node) => {
				(node.employees || []).forEach((e) => e.name === employee && (found = e));
				walk(node.children);
				walk(node.departments);
			});
		this.data.companies.forEach((c) => walk(c.branches));
		return found;
	}
};
