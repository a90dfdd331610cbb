from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from geocases.areas.imports import ALLOWED_SUFFIXES
from geocases.deadlines.forms import business_hours_fields


class ServiceAreaImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("GeoJSON, a zipped Shapefile, GeoPackage, KML, GML or FlatGeobuf."),
    )
    layer = forms.CharField(
        label=_("Layer"), initial="0", help_text=_("Name or number; 0 is the first.")
    )
    srid = forms.IntegerField(
        label=_("EPSG code"),
        required=False,
        min_value=1,
        help_text=_("Only if the file does not say which coordinate system it uses."),
    )
    replace = forms.BooleanField(
        label=_("Delete the service areas that are not in the file"), required=False
    )
    repair = forms.BooleanField(
        label=_("Repair invalid geometries (otherwise reject the file)"),
        required=False,
        initial=True,
    )
    dry_run = forms.BooleanField(label=_("Check only, save nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(tuple(ALLOWED_SUFFIXES)):
            raise forms.ValidationError(
                _("Send one of these kinds of file: %(kinds)s.")
                % {"kinds": ", ".join(sorted(ALLOWED_SUFFIXES))}
            )
        return upload


class ServiceAreaAdminForm(forms.ModelForm):
    """The contract's own response targets entered as business hours (see
    deadlines.forms); the admin makes the form for the model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        business_hours_fields(
            self,
            empty=gettext("Empty: the category's target."),
        )
