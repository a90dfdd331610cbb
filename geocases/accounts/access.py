"""Who may do what: the one permission matrix, for the API and the pages alike.

Every view names the action it serves (``Action``); ``user_may`` answers from
``MATRIX`` and nothing else, and ``scope_of`` says how much of the cases a
role sees. The README's permission table is this table (a test compares
them). Object permissions follow from the scope: views read cases only
through ``Case.objects.visible_to(user)``, which asks ``scope_of``, so a
contractor asking for another organisation's case by number gets a 404,
the same answer as for a case that does not exist.

Citizens have no account: they are anyone not logged in (or logged in
without a role) and reach their own case only through its private tracking
link (192 random bits, revocable), never by its number.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from geocases.accounts.models import Role

CITIZEN = "citizen"  # not a stored role: anyone without one


class Action(StrEnum):
    PUBLIC_READ = "public_read"  # public map and cases, categories, areas, places, routing
    REPORT = "report"  # report a problem (web form, API, Open311 with a key)
    TRACK = "track"  # follow a case with its tracking link
    CASE_REGISTER = "case_register"  # register a case for a caller, choose channel
    CASE_LIST = "case_list"  # list and search cases beyond the public ones
    CASE_PERSONAL = "case_personal"  # open a case with its personal data
    CASE_CONTACT = "case_contact"  # the reporter's name, e-mail and phone
    CASE_WORK = "case_work"  # change, move along the lifecycle, notes, photos
    DESK = "desk"  # the call console, work queues, e-mails received
    KNOWLEDGE_READ = "knowledge_read"  # read the knowledge base
    KNOWLEDGE_WRITE = "knowledge_write"  # write it
    FIELD = "field"  # the field view on a phone
    FOLLOWUP = "followup"  # the daily follow-up lists
    INSIGHTS = "insights"  # the dashboard: map aggregates, statistics
    EXPORT = "export"  # anonymised CSV/XLSX of the cases behind the figures
    STAFF_DIRECTORY = "staff_directory"  # colleagues by name and unit
    ADMINISTER = "administer"  # the administration: users, categories, areas
    AUDIT_READ = "audit_read"  # the audit log
    PRIVACY = "privacy"  # data-subject requests: export and erasure


class Scope(StrEnum):
    """How much of the cases a role sees."""

    PUBLIC = "public"  # public categories, without personal data
    OWN = "own"  # cases the user's organisation (or the user) is responsible for
    ANONYMISED = "anonymised"  # all cases, without personal data, homes blurred
    ALL = "all"


ROLES = [CITIZEN, Role.AGENT, Role.HANDLER, Role.CONTRACTOR, Role.PLANNER, Role.ADMINISTRATOR]

SCOPES = {
    CITIZEN: Scope.PUBLIC,
    Role.AGENT: Scope.ALL,
    Role.HANDLER: Scope.ALL,
    Role.CONTRACTOR: Scope.OWN,
    Role.PLANNER: Scope.ANONYMISED,
    Role.ADMINISTRATOR: Scope.ALL,
}

_EVERYONE = set(ROLES)
_STAFF = _EVERYONE - {CITIZEN}
_CUSTOMER_SERVICE = {Role.AGENT, Role.HANDLER, Role.ADMINISTRATOR}

# Action -> the roles allowed; what they then see is limited by their scope.
MATRIX: dict[Action, set[str]] = {
    Action.PUBLIC_READ: _EVERYONE,
    Action.REPORT: _EVERYONE,
    Action.TRACK: _EVERYONE,
    Action.CASE_REGISTER: _CUSTOMER_SERVICE,
    Action.CASE_LIST: _STAFF,
    Action.CASE_PERSONAL: _CUSTOMER_SERVICE | {Role.CONTRACTOR},
    Action.CASE_CONTACT: _CUSTOMER_SERVICE,
    Action.CASE_WORK: _CUSTOMER_SERVICE | {Role.CONTRACTOR},
    Action.DESK: _CUSTOMER_SERVICE,
    Action.KNOWLEDGE_READ: _STAFF,
    Action.KNOWLEDGE_WRITE: _CUSTOMER_SERVICE,
    Action.FIELD: {Role.CONTRACTOR, Role.HANDLER, Role.ADMINISTRATOR},
    Action.FOLLOWUP: _CUSTOMER_SERVICE | {Role.CONTRACTOR},
    Action.INSIGHTS: _STAFF,
    Action.EXPORT: _STAFF,
    Action.STAFF_DIRECTORY: _STAFF,
    Action.ADMINISTER: {Role.ADMINISTRATOR},
    Action.AUDIT_READ: {Role.ADMINISTRATOR},
    Action.PRIVACY: {Role.ADMINISTRATOR},
}

# Actions over cases, limited by the role's scope.
CASE_SCOPED = {
    Action.CASE_LIST,
    Action.CASE_PERSONAL,
    Action.CASE_WORK,
    Action.FOLLOWUP,
    Action.INSIGHTS,
    Action.EXPORT,
}

DESCRIPTIONS = {
    Action.PUBLIC_READ: _("public map and cases, categories, areas, places, routing preview"),
    Action.REPORT: _("report a problem"),
    Action.TRACK: _("follow a case with its tracking link"),
    Action.CASE_REGISTER: _("register a case for a caller"),
    Action.CASE_LIST: _("list and search cases"),
    Action.CASE_PERSONAL: _("open a case with its free text, photos, notes and history"),
    Action.CASE_CONTACT: _("see the reporter's name, e-mail and phone"),
    Action.CASE_WORK: _("change a case, move it along, notes and photos"),
    Action.DESK: _("call console, work queues, e-mails received"),
    Action.KNOWLEDGE_READ: _("read the knowledge base"),
    Action.KNOWLEDGE_WRITE: _("write the knowledge base"),
    Action.FIELD: _("field view"),
    Action.FOLLOWUP: _("daily follow-up"),
    Action.INSIGHTS: _("dashboard, map aggregates, statistics"),
    Action.EXPORT: _("anonymised CSV and XLSX export"),
    Action.STAFF_DIRECTORY: _("staff directory"),
    Action.ADMINISTER: _("administration"),
    Action.AUDIT_READ: _("audit log"),
    Action.PRIVACY: _("data-subject requests (export, erasure)"),
}


def role_of(user) -> str:
    """The user's role, or ``CITIZEN`` for anyone without one (not logged
    in, deactivated, or an account with no role). A superuser without a
    role (``createsuperuser``) is an administrator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return CITIZEN
    role = getattr(user, "role", "")
    if not role and getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    return role or CITIZEN


def user_may(user, action: Action) -> bool:
    return role_of(user) in MATRIX[action]


def scope_of(user) -> Scope:
    return SCOPES[role_of(user)]


def is_staff_member(user) -> bool:
    return role_of(user) != CITIZEN


def matrix_rows() -> list[tuple[Action, list[str]]]:
    """The matrix as the README shows it: per action, for each role in
    ``ROLES`` order, ``yes``, ``own`` (only their organisation's cases),
    ``anonymised`` or ``no``."""
    marks = {Scope.OWN: "own", Scope.ANONYMISED: "anonymised"}
    rows = []
    for action, allowed in MATRIX.items():
        cells = []
        for role in ROLES:
            if role not in allowed:
                cells.append("no")
            elif action in CASE_SCOPED:
                cells.append(marks.get(SCOPES[role], "yes"))
            else:
                cells.append("yes")
        rows.append((action, cells))
    return rows
