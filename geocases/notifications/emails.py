"""Every e-mail geocases sends is one pair of templates — plain text and
HTML — under ``notifications/email/``, so that a mail program that shows
only text and one that shows HTML tell the same thing."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def email_render(*, template: str, context: dict) -> tuple[str, str]:
    """The text and the HTML body of ``template`` (``message``, ``followup``)
    in the active language."""
    context = {
        "site_name": "geocases · " + _("Stockholm city"),
        "LANGUAGE_CODE": get_language(),
        **context,
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return text.strip() + "\n", html


def case_facts(case, *, staff: bool) -> list[tuple[str, str]]:
    """What an e-mail shows of a case: never the reporter's personal data."""
    facts = [(_("Case number"), case.number), (_("Category"), case.category.name)]
    if staff:
        facts.append((_("Title"), case.title))
    if case.address:
        facts.append((_("Place"), case.address))
    if staff and case.responsible_unit_id:
        facts.append((_("Responsible"), case.responsible_unit.name))
    return facts


def case_staff_link(case) -> str:
    """The case's page in the staff web: the field view for a contractor."""
    unit = case.responsible_unit
    name = "frontend:field-case" if unit and unit.is_contractor else "frontend:desk-case"
    return settings.GEOCASES_SITE_URL.rstrip("/") + reverse(name, args=[case.number])
