"""Who does something to a case: a member of staff, a citizen, or the system."""

from __future__ import annotations

from dataclasses import dataclass

from geocases.accounts.models import User
from geocases.cases.lifecycle import ActorKind
from geocases.core.errors import ApplicationError


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user: User | None = None

    @classmethod
    def staff(cls, user: User) -> Actor:
        if not user.is_active or not user.role:
            raise ApplicationError(f"{user} has no staff role and cannot work on cases.")
        return cls(ActorKind(user.role), user)

    @property
    def label(self) -> str:
        return str(self.user) if self.user else str(self.kind)


SYSTEM = Actor(ActorKind.SYSTEM)
CITIZEN = Actor(ActorKind.CITIZEN)
