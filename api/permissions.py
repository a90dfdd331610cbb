"""Who may call what. The full role matrix is enforced by querysets
(``Case.objects.visible_to(user)``); these classes say who may enter at all."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def is_staff_user(user) -> bool:
    """A logged-in member of staff: any user with a role (agent, handler,
    contractor, planner, administrator)."""
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "role", ""))


class IsStaff(BasePermission):
    """Staff only: the default for every API view."""

    def has_permission(self, request, view) -> bool:
        return is_staff_user(request.user)


class PublicRead(BasePermission):
    """Anyone may read (public data only: the view's serializer decides)."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or is_staff_user(request.user)


class PublicReadAndCreate(BasePermission):
    """Anyone may read public data and create; changing needs staff."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or request.method == "POST":
            return True
        return is_staff_user(request.user)
