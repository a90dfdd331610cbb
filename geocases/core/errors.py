"""The one error type services raise for anything a user did wrong."""

from __future__ import annotations


class ApplicationError(Exception):
    """A request the domain refuses, with a message a person can act on.

    ``fields`` maps input names to their own messages, so forms and the API
    can show each next to the field it concerns. Nothing has been written
    when this is raised.
    """

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    @classmethod
    def for_field(cls, field: str, message: str) -> ApplicationError:
        return cls(message, fields={field: [message]})

    @classmethod
    def from_validation(cls, error, message: str = "") -> ApplicationError:
        """From Django's ValidationError, keeping its per-field messages."""
        fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        return cls(message or "; ".join(m for ms in fields.values() for m in ms), fields=fields)
