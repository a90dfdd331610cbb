"""Pages say which action of the permission matrix they serve
(``geocases.accounts.access``): someone not logged in is sent to log in,
a member of staff whose role may not is refused with 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from geocases.accounts.access import DESCRIPTIONS, Action, user_may


def page_requires(action: Action):
    def decorator(view):
        @login_required
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not user_may(request.user, action):
                raise PermissionDenied(
                    _("Your role does not give access to this page (%(what)s).")
                    % {"what": DESCRIPTIONS[action]}
                )
            return view(request, *args, **kwargs)

        guarded.requires = action
        return guarded

    return decorator
