"""The kinds of change the activity log records. :func:`duban.core.audit.record` takes only these, so every
entry has a kind with a label in the reader's language and no raw code reaches a page or a CSV export."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SOURCE_CREATE = "source.create", _("imported a source document")
    SOURCE_UPDATE = "source.update", _("imported a revised source document")
    TASK_UNITS = "task.units", _("changed the responsible units")
    TASK_DISPATCH = "task.dispatch", _("dispatched the task")
    TASK_ACKNOWLEDGE = "task.acknowledge", _("acknowledged the task")
    TASK_STATUS = "task.status", _("status changed")
    TASK_CLOSE = "task.close", _("closed the task (销号)")
    TASK_REOPEN = "task.reopen", _("reopened the task")
    TASK_SUSPEND = "task.suspend", _("suspended the task")
    TASK_RESUME = "task.resume", _("resumed the task")
    REQUEST_REASSIGN = "request.reassign", _("asked to reassign")
    REQUEST_EXTENSION = "request.extension", _("asked for an extension")
    REQUEST_COMPLETION = "request.completion", _("reported completion")
    REQUEST_APPROVED = "request.approved", _("approved a request")
    REQUEST_REJECTED = "request.rejected", _("rejected a request")
    REPORT_SUBMIT = "report.submit", _("submitted a progress report")
    REPORT_APPROVE = "report.approve", _("approved a progress report")
    REPORT_ACCEPT = "report.accept", _("accepted a progress report")
    REPORT_RETURN = "report.return", _("returned a progress report")
    DOCUMENT_GENERATE = "document.generate", _("generated a document")
    BRIEFING_CREATE = "briefing.create", _("compiled a briefing")
    EXPORT_REQUEST = "export.request", _("requested an export")
    EXPORT_DOWNLOAD = "export.download", _("downloaded an export")
    DEMO_GENERATE = "demo.generate", _("generated synthetic data")
    LETTER_ISSUE = "letter.issue", _("issued a letter")
    LETTER_ACKNOWLEDGE = "letter.acknowledge", _("acknowledged a letter")
    AUTH_LOGIN = "auth.login", _("logged in")
    AUTH_LOGOUT = "auth.logout", _("logged out")
    AUTH_FAILED = "auth.failed", _("failed to log in")
    AUTH_PASSWORD = "auth.password", _("changed the password")
    AUTH_OTP_ADDED = "auth.otp_added", _("set up the authenticator app")
    AUTH_OTP_REMOVED = "auth.otp_removed", _("removed the authenticator app")
    USER_PERMISSIONS = "user.permissions", _("changed roles or permissions")
    NOTIFY_SEND = "notify.send", _("sent a notification")
    NOTIFY_READ = "notify.read", _("read a notification")
    NOTIFY_READ_ALL = "notify.read_all", _("read all notifications")
    NOTIFY_PREFERENCES = "notify.preferences", _("changed notification settings")
    NOTIFY_ROBOT = "notify.robot", _("configured a group robot")
    NOTIFY_REQUEUE = "notify.requeue", _("queued a message again")
    NOTIFY_FAILED = "notify.failed", _("a message could not be delivered")
    IMPORT_UPLOAD = "import.upload", _("uploaded a document for import")
    IMPORT_EDIT = "import.edit", _("corrected the proposed tasks")
    IMPORT_APPLY = "import.apply", _("confirmed an import")
    IMPORT_DISCARD = "import.discard", _("discarded an import")
    TASK_CREATE = "task.create", _("created the task")
    TASK_UPDATE = "task.update", _("changed the task")
    TASK_COMMENT = "task.comment", _("commented")
    INDICATOR_CREATE = "indicator.create", _("added an indicator")
    UNIT_CREATE = "unit.create", _("created a unit")
    UNIT_ALIAS = "unit.alias", _("added unit aliases")
    USER_CREATE = "user.create", _("created an account")
    REPORT_CREATE = "report.create", _("recorded a progress report")
    TOKEN_CREATE = "token.create", _("issued an API token")
    TOKEN_REVOKE = "token.revoke", _("revoked an API token")
    AUDIT_PURGE = "audit.purge", _("purged old audit log entries")
    ASSESSMENT_SCHEME_CREATE = "assessment.scheme.create", _("created an assessment scheme")
    ASSESSMENT_SCHEME_CHANGE = "assessment.scheme.change", _("changed an assessment scheme")
    ASSESSMENT_RUN = "assessment.run", _("scored the units")
    ASSESSMENT_BONUS = "assessment.bonus", _("set a bonus or deduction")
    TASK_INDICATORS = "task.indicators", _("changed the indicators")
    TASK_MILESTONES = "task.milestones", _("changed the milestones")
    TASK_REGISTER = "task.register", _("registered a matter by hand (立项)")
    # The office and its settings
    OFFICE_SETUP = "office.setup", _("set up the office")
    OFFICE_UPDATE = "office.update", _("changed the office's details")
    # Bulk actions on the task list (批量操作)
    TASK_DELETE = "task.delete", _("deleted the task")


def action_label(code: str) -> str:
    """The label of a recorded kind; entries written before a kind was renamed read as a plain "change"."""
    try:
        return str(Action(code).label)
    except ValueError:
        return str(_("changed a record"))
