"""Administration of districts and service areas, with the import page.

Every change of a service area requests a re-routing run, so the open cases
follow the new contract map (see ``geocases.routing``).
"""

import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from geocases.areas.forms import ServiceAreaAdminForm, ServiceAreaImportForm
from geocases.areas.imports import ServiceAreaImportError, service_areas_import
from geocases.areas.models import District, ServiceArea
from geocases.core.admin import GeoAdmin
from geocases.core.errors import ApplicationError
from geocases.routing.services import reroute_request


@admin.register(District)
class DistrictAdmin(GeoAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(GeoAdmin):
    form = ServiceAreaAdminForm
    list_display = [
        "name",
        "code",
        "unit",
        "valid_from",
        "valid_to",
        "season_start",
        "season_end",
        "priority",
    ]
    list_filter = ["unit", "categories"]
    search_fields = ["name", "code", "unit__name"]
    filter_horizontal = ["categories"]
    readonly_fields = ["size_m2"]
    change_list_template = "admin/areas/servicearea/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="areas_servicearea_import"), *super().get_urls()]

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        report, form = None, ServiceAreaImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = self._import(request, form)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import service areas"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/areas/servicearea/import.html", context)

    def _import(self, request, form):
        upload = form.cleaned_data["file"]
        layer = form.cleaned_data["layer"].strip()
        with tempfile.TemporaryDirectory(prefix="geocases-import-") as folder:
            saved = Path(folder) / get_valid_filename(Path(upload.name).name)
            with saved.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = service_areas_import(
                    path=saved,
                    layer=int(layer) if layer.isdigit() else layer,
                    source_srid=form.cleaned_data["srid"],
                    replace=form.cleaned_data["replace"],
                    repair=form.cleaned_data["repair"],
                    dry_run=form.cleaned_data["dry_run"],
                    requested_by=request.user,
                )
            except ServiceAreaImportError as error:
                messages.error(request, _("Nothing was imported."))
                return error.report
            except ApplicationError as error:
                form.add_error(next(iter(error.fields), None) or None, error.message)
                return None
        messages.success(request, _("Import checked.") if report.dry_run else _("Imported."))
        return report

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reroute_request(
            reason=_("Service area “%(area)s” saved in the admin") % {"area": form.instance},
            requested_by=request.user,
        )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        reroute_request(
            reason=_("Service area “%(area)s” deleted in the admin") % {"area": obj},
            requested_by=request.user,
        )

    def delete_queryset(self, request, queryset):
        names = ", ".join(str(area) for area in queryset)
        super().delete_queryset(request, queryset)
        reroute_request(
            reason=_("Service areas deleted in the admin: %(areas)s") % {"areas": names},
            requested_by=request.user,
        )
