from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "geocases.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from geocases.categories.models import Category
        from geocases.insights.selectors import filter_codes_forget
        from geocases.organisations.models import OrganisationUnit

        for model in (Category, OrganisationUnit):
            post_save.connect(filter_codes_forget, sender=model)
            post_delete.connect(filter_codes_forget, sender=model)
