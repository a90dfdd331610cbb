"""The administration is for administrators only, by the permission matrix
(not by Django's ``is_staff`` flag alone)."""

from django.contrib import admin

from geocases.accounts.access import Action, user_may


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return user_may(request.user, Action.ADMINISTER)
