"""The administration is for administrators only, by the permission matrix
(not by Django's ``is_staff`` flag alone)."""

from django.contrib import admin
from django.utils.decorators import method_decorator

from geocases.accounts.access import Action, user_may
from geocases.core.ratelimits import rate_limited


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return user_may(request.user, Action.ADMINISTER)

    @method_decorator(rate_limited(POST="login"))
    def login(self, request, extra_context=None):
        """Attempts per address are limited like the pages' log-in."""
        return super().login(request, extra_context)
