"""Input fields shared by the API's serializers."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CodeField(serializers.SlugRelatedField):
    """An object named by its code (or number). The text is checked before it
    reaches the database: PostgreSQL refuses NUL characters outright, and a
    code is never long."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "invalid_text": _("“%(value)s” is not a valid code."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data or len(data) > 100:
            self.fail("invalid_text", value=str(data)[:40].replace("\x00", "\\0"))
        return super().to_internal_value(data)
