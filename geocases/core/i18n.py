"""Content kept in both interface languages, one column per language."""

from django.conf import settings
from django.utils.translation import get_language


def reader_language() -> str:
    """The reader's language as the two letters content columns end in
    (``name_sv``, ``name_en``): one of ``LANGUAGES``, else the default."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    kept = {code[:2] for code, _name in settings.LANGUAGES}
    return language if language in kept else settings.LANGUAGE_CODE[:2]


def translated(obj: object, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>``, falling back to the default language when empty.

    Category names, descriptions and field labels are entered by administrators
    in Swedish and English; the interface picks the one the reader asked for.
    """
    language = (language or reader_language())[:2]
    value = getattr(obj, f"{field}_{language}", "")
    return value or getattr(obj, f"{field}_{settings.LANGUAGE_CODE[:2]}", "")


def translated_choice(choice: dict) -> str:
    """An extra field's choice (``{"key", "name_sv", "name_en"}``) by its name
    in the reader's language, falling back to the default language, then the key."""
    default = settings.LANGUAGE_CODE[:2]
    return choice.get(f"name_{reader_language()}") or choice.get(f"name_{default}") or choice["key"]
