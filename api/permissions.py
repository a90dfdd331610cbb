"""Who may call what, from the one matrix (``geocases.accounts.access``).

Each view says which action each of its methods serves::

    permission_classes = [allows(GET=Action.PUBLIC_READ, POST=Action.REPORT)]

and which cases it then shows is decided by ``Case.objects.visible_to``.
A view that says nothing is for staff only (the default in settings).
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from geocases.accounts.access import Action, is_staff_member, user_may


class IsStaff(BasePermission):
    """Staff only: the default for every API view."""

    def has_permission(self, request, view) -> bool:
        return is_staff_member(request.user)


def allows(**actions: Action) -> type[BasePermission]:
    """A permission class granting each HTTP method (``GET=…``, ``POST=…``)
    to the roles the matrix allows for its action. HEAD and OPTIONS follow
    GET. A method the view does not handle is let through to its 405; a
    method it handles but this does not name is refused."""
    granted = {method.upper(): action for method, action in actions.items()}
    if "GET" in granted:
        granted.setdefault("HEAD", granted["GET"])
        granted.setdefault("OPTIONS", granted["GET"])

    class Allows(BasePermission):
        actions = granted

        def has_permission(self, request, view) -> bool:
            action = granted.get(request.method)
            if action is None:
                return not hasattr(view, request.method.lower())
            return user_may(request.user, action)

    Allows.__name__ = "Allows_" + "_".join(f"{m}_{a}" for m, a in granted.items())
    return Allows
