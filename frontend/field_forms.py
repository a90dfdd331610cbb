"""The forms on a field case card (frontend/pages/field.py): feedback to
the citizen, the resolution, and notes, each with a photo where it helps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

# The photo widgets: a phone offers its camera first.
PHOTO = forms.ClearableFileInput(attrs={"accept": "image/*"})
PHOTO_PUBLIC_HELP = gettext_lazy(
    "Then anyone can see it with the case in the city's open data (Open311). Leave it "
    "unticked if the photo shows people, cars or number plates."
)


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the citizen"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(label=gettext_lazy("Photo (optional)"), required=False, widget=PHOTO)
    photo_public = forms.BooleanField(
        label=gettext_lazy("The citizen may see the photo"),
        required=False,
        help_text=PHOTO_PUBLIC_HELP,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    public = forms.BooleanField(label=gettext_lazy("The citizen may read it"), required=False)
    photo = forms.FileField(label=gettext_lazy("Photo (optional)"), required=False, widget=PHOTO)
    photo_public = forms.BooleanField(
        label=gettext_lazy("The citizen may see the photo"),
        required=False,
        help_text=PHOTO_PUBLIC_HELP,
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the resolve form on the same card has a photo too.
        super().__init__(*args, auto_id="id_note_%s", **kwargs)
