"""The report form, which citizens fill in on / and agents on the call
console: the category (with its search words), the place (a point or area
from the map, a chosen place, or an address looked up when the form is
sent), the description and contact, and every category's own questions.

The pages decide what happens with it (frontend/pages/report.py and
desk.py); this module only reads and shows what was sent.
"""

from __future__ import annotations

import json
import uuid

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geocases.areas.services import place_in_city_check
from geocases.categories.models import Category, PlaceKind
from geocases.core.errors import ApplicationError
from geocases.core.geometry import place_from_geojson, place_from_lat_lon
from geocases.core.i18n import translated, translated_choice
from geocases.geocoding.selectors import place_search_one


class CategorySelect(forms.Select):
    """The categories, each option with its search words (``data-keywords``)
    for the category search above it."""

    keywords: dict[str, str] = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if self.keywords.get(str(value)):
            option["attrs"]["data-keywords"] = self.keywords[str(value)]
        return option


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("What is the problem?"), widget=CategorySelect)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    area = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=gettext_lazy("Address or place"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("e.g. Birger Jarlsgatan 23, or mark the place on the map"),
    )
    # The places offered when the address named several (radio buttons).
    place_choice = forms.CharField(label=gettext_lazy("Choose the place"), required=False)
    # The address a marked point stands for (a suggestion chosen, an address
    # found): when the address is changed after, the point no longer says
    # where, and the new words are looked up instead.
    placed_for = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    description = forms.CharField(
        label=gettext_lazy("Describe the problem"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        help_text=gettext_lazy("We send you the case number and a link to follow the case."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=40)
    duplicates_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # One per form shown: the same report sent twice (a double tap, a resend
    # after a lost answer) makes one case.
    submission = forms.CharField(
        required=False, max_length=100, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )

    place_unfound = False  # the address was looked up and not found

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for category in categories:
            groups.setdefault(category.group.name, []).append((category.code, category.name))
        self.fields["category"].choices = [("", _("Choose…")), *groups.items()]
        self.fields["category"].widget.keywords = {
            category.code: category.keywords for category in categories
        }

    def clean(self):
        # lat and lon are hidden, so their own errors would show nowhere.
        if {"lat", "lon"} & set(self.errors):
            for name in ("lat", "lon"):
                self.errors.pop(name, None)
            self.add_error(
                "address", _("The place marked on the map cannot be used; mark it again.")
            )
        return super().clean()


class CitizenReportForm(ReportForm):
    """The report form as citizens fill it in on /: their own details, which
    the browser may fill in, a place they may give in words, and photos the
    page holds while it asks them something."""

    # Offered when the address cannot be found: the report goes with the
    # place in words, for customer service to place (no map needed).
    place_in_words = forms.BooleanField(
        label=gettext_lazy("I cannot find the place: send the report with the place as I wrote it"),
        required=False,
    )
    # How many photos the page said it keeps (see citizen_report_photos_hold).
    photos_held = forms.IntegerField(
        required=False, min_value=0, max_value=100, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, purpose in (("name", "name"), ("email", "email"), ("phone", "tel")):
            self.fields[name].widget.attrs["autocomplete"] = purpose
        self.fields["phone"].widget.input_type = "tel"


def report_text() -> dict[str, str]:
    """What report.js says, in the reader's language."""
    return {
        "marked": _("The place is marked on the map."),
        "locating": _("Finding your position…"),
        "located": _("Your position is marked on the map."),
        "not_located": _("Your position could not be found; tap the map or write an address."),
        "drawing": _(
            "Tap the corners of the area; tap the first corner again, or “Finish the area”."
        ),
        "too_few_corners": _("An area needs at least three corners."),
        "search_failed": _(
            "The address search is not answering; write the address, it is looked up when you send."
        ),
        "offline": _(
            "No connection: nothing was sent. "
            "Your report is still here; send it when you are online."
        ),
        "drawn": _("The area is marked on the map."),
        "suggestions": _("Suggested places"),
        "unmarked": _(
            "The place is no longer marked: choose one of the suggestions, or mark the map."
        ),
        "one_place": _("1 place found: press the down arrow to choose it."),
        "places": _("%(n)s places found: press the down arrow to choose."),
        "one_category": _("1 category matches: press Enter to choose it."),
        "categories": _("%(n)s categories match."),
        "no_categories": _("No category matches; try another word."),
        "no_places": _(
            "No places match; check the spelling, write only the street, or mark the map."
        ),
    }


def categories_for_report():
    return (
        Category.objects.filter(is_active=True)
        .select_related("group")
        .prefetch_related("fields")
        .order_by("group__order", "order", "code")
    )


def extra_values(request: HttpRequest, category: Category) -> dict:
    """The posted values of the chosen category's extra fields
    (``extra-<category>-<field>``), empty ones left out."""
    values = {}
    for field in category.fields.all():
        name = f"extra-{category.code}-{field.code}"
        raw = (
            request.POST.getlist(name)
            if field.datatype == "multivaluelist"
            else request.POST.get(name, "")
        )
        if raw not in ("", []):
            values[field.code] = raw
    return values


def place_resolve(form: ReportForm, category: Category, *, public: bool = True):
    """The place from the map (an area or a point), or else from the address;
    from the ``public``, only if it lies in the city (staff register what a
    caller says wherever it is: routing flags it). Adds errors to ``form``
    and returns ``(location, candidates)``."""
    location, candidates = _place_given(form, category)
    try:
        if public:
            place_in_city_check(location=location, field="address")
    except ApplicationError as error:
        form.add_error("address", error.message)
        return None, []
    return location, candidates


def _place_given(form: ReportForm, category: Category):
    data = form.cleaned_data
    if category.place_kind == PlaceKind.NONE:
        return None, []
    if data.get("area"):
        try:
            return place_from_geojson(json.loads(data["area"])), []
        except (ValueError, RecursionError, ApplicationError):  # RecursionError: nested too deep
            form.add_error("address", _("The area drawn on the map cannot be used; draw it again."))
            return None, []
    address = data.get("address", "").strip()
    placed_for = data.get("placed_for", "").strip()
    # A point stands for itself (a tap, a position), or for the address it
    # was found for: once those words are changed, they are looked up instead.
    pointed = data.get("lat") is not None and data.get("lon") is not None
    if pointed and placed_for in ("", address):
        return place_from_lat_lon(data["lat"], data["lon"]), []
    if data.get("place_choice"):
        try:
            lat, lon, label = data["place_choice"].split("|", 2)
            form.cleaned_data["address"] = form.cleaned_data["placed_for"] = label
            return place_from_lat_lon(lat, lon), []
        except (ValueError, ApplicationError):
            pass
    if not address:
        form.add_error("address", _("Mark the place on the map or write an address."))
        return None, []
    found, hits = place_search_one(query=address)
    if found is not None:
        form.cleaned_data["address"] = form.cleaned_data["placed_for"] = found.label
        return found.point, []
    if not hits:
        if data.get("place_in_words"):
            return None, []  # customer service places it from the words
        form.place_unfound = True  # the page then offers to send it in words
        form.add_error(
            "address",
            _(
                "We could not find “%(address)s”. Check the spelling or write only the street, "
                "mark the place on the map, or send the report with the place as you wrote it."
            )
            % {"address": address},
        )
        return None, []
    form.add_error("place_choice", _("Several places match: choose one."))
    return None, hits


INPUT_TYPES = {
    "number": "number",
    "datetime": "datetime-local",
    "text": "textarea",
    "singlevaluelist": "radio",
    "multivaluelist": "checkbox",
}


def extra_sections(categories, data, errors: dict[str, list[str]]) -> list[dict]:
    """Every category's extra fields, as the form shows them (with what was
    posted and the messages for it)."""
    sections = []
    for category in categories:
        fields = []
        for field in category.fields.all():
            name = f"extra-{category.code}-{field.code}"
            posted = data.getlist(name) if data else []
            typed = INPUT_TYPES.get(field.datatype, "text") not in ("radio", "checkbox")
            fields.append(
                {
                    "name": name,
                    "label": translated(field, "label"),
                    "required": field.required,
                    "input": INPUT_TYPES.get(field.datatype, "text"),
                    "value": posted[0] if posted and typed else "",
                    "choices": [
                        {
                            "key": c["key"],
                            "name": translated_choice(c),
                            "checked": c["key"] in posted,
                        }
                        for c in field.choices or []
                    ],
                    "errors": errors.get(name, []),
                }
            )
        if fields:
            sections.append({"code": category.code, "name": category.name, "fields": fields})
    return sections
