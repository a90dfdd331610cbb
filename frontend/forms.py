"""Form pieces shared by the pages: someone from the staff directory, and a
refusal's messages shown beside the fields they are about."""

from __future__ import annotations

from django import forms

from geocases.accounts.models import User
from geocases.accounts.selectors import staff_search
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError


class StaffChoiceField(forms.ModelChoiceField):
    """Someone from the staff directory, listed by unit: "Unit: Name, job title"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=staff_search(), **kwargs)

    def label_from_instance(self, user: User) -> str:
        title = f", {user.job_title}" if user.job_title else ""
        name = f"{user.get_full_name() or user.username}{title}"
        return f"{user.unit.name}: {name}" if user.unit_id else name


def refusal_show(error: ApplicationError, *, form, category: Category, context: dict) -> None:
    """A refusal's messages beside the fields they are about: the form's own,
    the category's questions (``extra_errors``) and the photos
    (``photo_errors``); the rest above the form."""
    for name, messages in error.fields.items():
        target = name if name in form.fields else _extra_field_name(category, name)
        for message in messages:
            if target in form.fields:
                form.add_error(target, message)
            elif target == "photos":
                context.setdefault("photo_errors", []).append(message)
            elif target.startswith("extra-"):
                context.setdefault("extra_errors", {}).setdefault(target, []).append(message)
            else:
                form.add_error(None, message)
    if not error.fields:
        form.add_error(None, error.message)
    context["form_errors"] = True


def _extra_field_name(category: Category, name: str) -> str:
    """``extra.count`` as the form's input name; places map to the address."""
    if name.startswith("extra."):
        return f"extra-{category.code}-{name.removeprefix('extra.')}"
    if name == "location":
        return "address"
    return name
