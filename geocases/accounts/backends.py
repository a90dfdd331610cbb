"""Password log-in, with the logged-in user read at most once per few
seconds per process; the administration's model permissions by role.

An administrator (by the permission matrix, ``Action.ADMINISTER``) has every
model permission, as a superuser has: one rule, so that an administrator
made in the users page can maintain categories, areas, units, users and
retention without Django's per-model permissions being ticked for them.
Everyone else has only what Django's tables give them, and cannot enter the
administration anyway (``admin_site.AdminSite``).

Every authenticated request asks for its user by id; on a two-core server
that query is a good part of a small request. The user is kept here, per
worker process, for ``USER_CACHE_SECONDS`` and forgotten at once in the
process that saves or deletes it; in the others a change (a deactivation, a
new role, a new password, which ends sessions) applies within those seconds.
Each request gets its own copy.
"""

from __future__ import annotations

import copy
import threading
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from geocases.accounts.access import Action, user_may

_lock = threading.Lock()
_users: dict[int, tuple[float, object]] = {}


class CachedModelBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return user_may(user_obj, Action.ADMINISTER) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return user_may(user_obj, Action.ADMINISTER) or super().has_module_perms(
            user_obj, app_label
        )

    def get_user(self, user_id):
        seconds = settings.GEOCASES_USER_CACHE_SECONDS
        if not seconds:
            return super().get_user(user_id)
        now = time.time()
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            return None
        kept = _users.get(key)
        if kept is not None and kept[0] > now:
            return copy.copy(kept[1])
        user = super().get_user(user_id)
        if user is not None:
            with _lock:
                if len(_users) > 10_000:  # a bound, not a policy: staff are fewer
                    _users.clear()
                _users[key] = (now + seconds, copy.copy(user))
        return user


def user_forget(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a User: drop it from this process's cache."""
    with _lock:
        _users.pop(instance.pk, None)
