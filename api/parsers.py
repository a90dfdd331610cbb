"""The API's JSON parser (every view's, see REST_FRAMEWORK in settings): DRF's,
refusing with a 400 the documents that would otherwise become a server error
further on.

- Nesting deeper than ``MAX_DEPTH``: no input of ours nests more than a few
  levels (a polygon's coordinates are three), and Python's JSON decoder, and
  every library walking the result, fails with RecursionError at about a
  thousand.
- Unpaired UTF-16 surrogates (``"\\ud800"``): JSON may escape them, but they
  are not characters; PostgreSQL refuses them, and so does encoding a
  response that echoes one (DRF's own "not a valid choice" does).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_nested_too_deep()) from None
        _check(data)
        return data


def _nested_too_deep() -> str:
    return _("JSON parse error - nested more than %(n)d levels deep.") % {"n": MAX_DEPTH}


def _check(data: Any) -> None:
    """Depth and text of a decoded document, walked without recursion."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise ParseError(_("JSON parse error - a string holds an unpaired surrogate."))
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(_nested_too_deep())
            if isinstance(value, dict):
                pending.extend((key, depth) for key in value)
                value = value.values()
            pending.extend((item, depth + 1) for item in value)
