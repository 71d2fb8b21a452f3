"""``makemessages`` that reads the Jinja2 pages (``jinja2/``) with Jinja2's own extractor:
Django's misses ``_("…", n=…)`` and ``{% trans %}…{% pluralize %}…``. Each message goes to
xgettext as a ``gettext()``/``ngettext()`` call on the page's line."""

import io
from functools import cached_property
from pathlib import Path

from django.core.management.commands import makemessages
from jinja2.ext import babel_extract

JINJA_DIR = "jinja2"
KEYWORDS = ("_", "gettext", "ngettext")
OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}


def jinja_as_python(source: str) -> str:
    """The page's messages as Python calls xgettext reads, each on its line of the page."""
    lines: dict[int, list[str]] = {}
    for lineno, _function, message, _comments in babel_extract(
        io.BytesIO(source.encode()), KEYWORDS, [], OPTIONS
    ):
        # A plural's message is a tuple: singular, plural (and the count, not a string).
        texts = message if isinstance(message, tuple) else (message,)
        strings = [repr(text) for text in texts if isinstance(text, str)]
        call = f"ngettext({strings[0]}, {strings[1]}, 1)" if len(strings) > 1 else ""
        lines.setdefault(lineno, []).append(call or f"gettext({strings[0]})")
    last = max(lines, default=0)
    return "\n".join("; ".join(lines.get(n, [])) for n in range(1, last + 1)) + "\n"


class JinjaAwareBuildFile(makemessages.BuildFile):
    @cached_property
    def is_jinja(self) -> bool:
        parts = Path(self.path).parts
        return self.domain == "django" and JINJA_DIR in parts[:2]

    def preprocess(self):
        if not self.is_jinja:
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(jinja_as_python(source), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = JinjaAwareBuildFile
