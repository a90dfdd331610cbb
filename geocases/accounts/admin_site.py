"""The administration is for administrators only, by the permission matrix
(not by Django's ``is_staff`` flag): entering it, logging in to it, and
(``backends.CachedModelBackend``) what may be changed in it."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.decorators import method_decorator

from geocases.accounts.access import Action, user_may
from geocases.core.ratelimits import rate_limited


class AdministratorAuthenticationForm(AdminAuthenticationForm):
    """Django's admin log-in, asking the matrix instead of ``is_staff``."""

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)  # inactive: its own message
        if not user_may(user, Action.ADMINISTER):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class AdminSite(admin.AdminSite):
    login_form = AdministratorAuthenticationForm

    def has_permission(self, request) -> bool:
        return user_may(request.user, Action.ADMINISTER)

    @method_decorator(rate_limited(POST="login"))
    def login(self, request, extra_context=None):
        """Attempts per address are limited like the pages' log-in."""
        return super().login(request, extra_context)
