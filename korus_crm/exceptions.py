"""Korus CRM's exception classes, in one place.

Each is a frappe.ValidationError (or another 4xx class), so that `frappe.throw(_(...), Cls)` gives
the API a 417/4xx answer, never a 500, and tests can assert the class.
"""

import frappe


class InvalidInputError(frappe.ValidationError):
	"""A value that does not suit the argument or field it was given for (korus_crm.boundary)."""


class DefaultStatusError(frappe.ValidationError):
	"""The "exactly one default, never final" rule of lead statuses."""


class StatusInUseError(frappe.LinkExistsError):
	"""A status (or another configuration record) that cannot be deleted while in use."""


class DuplicateEmailError(frappe.DuplicateEntryError):
	"""An email that must be unique (a lead's contact email, a company's office email) is taken."""


class InactiveRecordError(frappe.ValidationError):
	"""An inactive lead source, company or customer group was chosen for a new record."""


class LeadConvertedError(frappe.ValidationError):
	"""A converted lead cannot leave its converted status."""


class CompanyInUseError(frappe.LinkExistsError):
	"""A company (Customer of type Company) with contacts or deals cannot be deleted."""


class CustomerGroupInUseError(frappe.LinkExistsError):
	"""A customer group with customers cannot be deleted."""


class DuplicateCodeError(frappe.DuplicateEntryError):
	"""A customer group code is taken."""


class InvalidStagesError(frappe.ValidationError):
	"""A pipeline's stages break a rule (unique names, one default/won/lost stage...)."""


class StageInUseError(frappe.LinkExistsError):
	"""A pipeline or stage with deals (or the default one) cannot be removed."""


class DealInUseError(frappe.LinkExistsError):
	"""A deal with an approved contract order cannot be deleted."""


class StageNotInPipelineError(frappe.ValidationError):
	"""A deal can only take stages of its own pipeline."""


class LostReasonRequiredError(frappe.ValidationError):
	"""A deal reaching a lost stage needs a lost reason."""


class LeadAlreadyConvertedError(frappe.ValidationError):
	"""A lead converts once."""


class OfferApprovalError(frappe.PermissionError):
	"""Approving (an offer above the discount threshold, a contract order) needs the approver role."""


class OfferStateError(frappe.ValidationError):
	"""A price offer or contract order cannot make that lifecycle move (e.g. accepting an expired offer)."""


class EmailNotConfiguredError(frappe.ValidationError):
	"""Sending needs an outgoing Email Account, which the site does not have."""


class FulfilmentExistsError(frappe.LinkExistsError):
	"""A contract order cannot be cancelled once ERPNext has recorded payments or deliveries."""


class ApiKeyRefusedError(frappe.AuthenticationError):
	"""A request's Korus API Key is unknown, has a wrong secret, is revoked or expired (HTTP 401)."""


class ApiKeyChangeError(frappe.ValidationError):
	"""An API key's user, key, secret or expiry cannot change after creation; an off key stays off."""


class ApiKeyExpiryError(frappe.ValidationError):
	"""A new API key's expiry date must be after today."""


class FinancialSettingsError(frappe.ValidationError):
	"""Financial Interface Settings with a value that cannot work (address, timeout, missing data)."""


# --- approvals (issue 10) ---


class ApprovalRouteError(frappe.ValidationError):
	"""A form type's route that cannot work, or a request whose route names nobody for a step."""


class ApprovalConflictError(frappe.ValidationError):
	"""A decision on a step that is no longer waiting for the user (another approver was quicker,
	or the request was decided or withdrawn meanwhile)."""


class ApprovalRequestError(frappe.ValidationError):
	"""A request whose values cannot be approved (dates, amounts, lines, its travel request)."""


class ApprovalPostingError(frappe.ValidationError):
	"""An expense or loan that cannot be booked: its form type's accounts are missing or wrong."""


# --- tasks (issue 10) ---


class TaskDatesError(frappe.ValidationError):
	"""A task's due time is before its start."""


class TaskReminderError(frappe.ValidationError):
	"""A task's reminder minutes are negative or too many."""


class TaskAssigneeError(frappe.ValidationError):
	"""A task is assigned to a user or to a user group (with enabled members): not to none, not to both."""


class TaskAssignmentError(frappe.PermissionError):
	"""A user may assign tasks only to themselves and their subordinates (managers: to anyone)."""


class TaskReferenceError(frappe.ValidationError):
	"""A task is about a lead, deal, customer, contract order, price offer or sales order (type and name)."""


# --- announcements and work reports (issue 10) ---


class AnnouncementDateError(frappe.ValidationError):
	"""An announcement that would expire before (or when) it is published."""


class AnnouncementAudienceError(frappe.ValidationError):
	"""An announcement for branches or departments that names none."""


class WorkReportPeriodError(frappe.ValidationError):
	"""A work report's period that ends before it starts, is not the period of its kind, or has not
	started yet."""


class WorkReportExistsError(frappe.DuplicateEntryError):
	"""The author already has a work report of that kind for that period (HTTP 409)."""


class WorkReportRecipientsError(frappe.ValidationError):
	"""A work report that nobody would receive, or that names too many recipients."""


# --- knowledge base and documents (issue 10) ---


class KnowledgeSearchError(frappe.ValidationError):
	"""A knowledge base search with nothing to search for (no word, only common words)."""


class DocumentLinkError(frappe.ValidationError):
	"""A document linked to a record of a doctype documents cannot be linked to, or half-linked."""


class DocumentTemplateError(frappe.ValidationError):
	"""A document template that cannot be used: a Jinja syntax error, a name or field it may not use,
	a template for another kind of record, a disabled template, or a value that fails when filled in."""


class PrivateAttachmentError(frappe.ValidationError):
	"""A public file attached to a knowledge article or a document (their files are private)."""


# --- customer pool and profile (issue 11) ---


class PoolSetupError(frappe.ValidationError):
	"""A customer pool's members, rules or limits that cannot work."""


class ClaimRefusedError(frappe.ValidationError):
	"""A claim the pool's limits or rules refuse (owned, daily, previous owner), or a customer that
	is no longer in the pool (someone else claimed it first)."""


class PoolPermissionError(frappe.PermissionError):
	"""Claiming from a pool the user is not a member of, or assigning/transferring without being
	its administrator, the owner's manager or a Sales Manager."""


# --- follow-ups, scheduled contacts, followed customers (issue 11) ---


class FollowUpDatesError(frappe.ValidationError):
	"""A follow-up dated in the future, or whose next contact is not after it."""


class FollowUpLinkError(frappe.ValidationError):
	"""A follow-up's or scheduled contact's contact or deal that is not the customer's."""


class ContactAssigneeError(frappe.ValidationError):
	"""A scheduled contact assigned to a disabled user."""


class ContactStateError(frappe.ValidationError):
	"""Marking done a scheduled contact that was cancelled."""


# --- recycle bin and duplicates (issue 11) ---


class RecycleBinError(frappe.ValidationError):
	"""A record that is not in the recycle bin (or already is), or a doctype without a bin."""


class DuplicateMergeError(frappe.ValidationError):
	"""Two records that cannot be merged (the same record, or one that does not exist)."""


# --- calendar, labels and bulk actions (issue 11) ---


class CalendarRangeError(frappe.ValidationError):
	"""A calendar request whose range is not a pair of dates, ends before it starts or is too long;
	a person or event type it does not know; a reschedule to a time that is not one."""


class BulkActionError(frappe.ValidationError):
	"""A bulk action on deals with an empty or too large selection, or without what it needs (the
	new owner, the stage, the label)."""


class ApprovedOrderLockedError(frappe.ValidationError):
	"""A change to an approved contract order (any field, standard or custom): it can only be
	cancelled."""


# --- targets and statistics (issue 12) ---


class SalesTargetError(frappe.ValidationError):
	"""A sales target without whom it is for, for someone of another company, or a second target of
	the same person, department or company, fiscal year and metric."""


# --- field service (issue 13) ---


class JobStatusError(frappe.ValidationError):
	"""A service job's status move that is not allowed, or a status whose needs the job does not
	meet (a technician and times to be scheduled, the work done to be completed...)."""


class DoubleBookingError(frappe.ValidationError):
	"""A service job that overlaps another job of the same technician (or helper)."""


class TechnicianUnavailableError(frappe.ValidationError):
	"""A service job on a technician's holiday or leave, or given to an inactive technician."""


class SkillMismatchError(frappe.ValidationError):
	"""A service job given to a technician without every skill its job type requires."""


class DispatchBoardError(frappe.ValidationError):
	"""A dispatch board request with an unknown view, a bad date or too many technicians; a job
	dragged to a time that is not one."""


class TakeJobRefusedError(frappe.PermissionError):
	"""A user taking a job from the pool who is not an active technician or whose role does not
	allow it, or a job no longer in the pool."""


class JobBillingError(frappe.ValidationError):
	"""A completed job whose Sales Invoice or Maintenance Visit cannot be made (no company, no
	warehouse for its stock items, no service person for the visit)."""


# --- first login (issue 14) ---
class EmailNotSentError(frappe.ValidationError):
	"""A test email that cannot be sent: the email account does not send, the user has no email
	address, or the mail server refused it."""


# --- vehicles (issue 14) ---


class MileageLogError(frappe.ValidationError):
	"""A mileage log whose odometer readings are missing or negative, whose end reading is below its
	start, whose fuel or cost is negative, or whose service job is for another customer."""


# --- finance (issue 14) ---


class FinanceCategoryError(frappe.ValidationError):
	"""A cost or revenue category whose account is not an active ledger account of its company, or
	not of its kind (an expense account for costs, an income account for revenues)."""


class FinanceEntryError(frappe.ValidationError):
	"""A cost or revenue entry whose amount is not positive, whose category is disabled or of the
	other kind, or whose bank or cash account, cost center or branch does not fit its company."""


# --- catalogue (issue 14) ---


class CatalogueError(frappe.ValidationError):
	"""A bulk action on catalogue items with no item, an unknown item, a price change without its
	price, mode or value, a decrease of more than 100 % or a negative price; or a percentage change
	of an item without a price."""


# --- invoices (issue 14) ---


class CorrectionReasonRequiredError(frappe.ValidationError):
	"""A correction invoice (a Sales Invoice returned against another) without a reason."""


class ProFormaNumberError(frappe.ValidationError):
	"""A pro forma number asked for a document that has no pro forma invoice (not a Sales Order or
	Contract Order) or that does not exist."""
