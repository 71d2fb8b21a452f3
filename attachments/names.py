"""The name a file is shown with, made harmless; never its storage key nor its type."""

import re
import unicodedata

from attachments.limits import MAX_NAME_LENGTH

_SEPARATORS = re.compile(r"[\\/]")
_SPACES = re.compile(r"\s+")


def shown_name(raw: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """The last part of any path, without control or format characters (newlines, NUL, bidi
    overrides), spaces collapsed, no leading dots, ``max_length`` at most, extension kept."""
    name = _SEPARATORS.split(unicodedata.normalize("NFC", raw or ""))[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = _SPACES.sub(" ", name).strip().lstrip(".").strip()
    if not name:
        return "archivo"
    if len(name) <= max_length:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return name[:max_length].rstrip()
    return f"{stem[: max_length - len(extension) - 1].rstrip()}.{extension}"
