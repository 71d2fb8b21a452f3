"""The Jinja2 environment of the clinic's pages (``jinja2/``), a fraction of the time of Django
templates (README, How the pages stay fast). Texts go through Django's translations with Jinja's
new-style gettext (values escaped); fixed texts and argument-less URLs are looked up once."""

import functools

from django.conf import settings
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.text import Truncator
from markupsafe import Markup, escape

from jinja2 import Environment, pass_context
from vetsync_support.dates import local_datetime


@functools.cache
def _translated(language: str | None, message: str) -> Markup:
    with translation.override(language):
        # Escaped, as Django's {% translate %} does; the values filled in are escaped too.
        return escape(translation.gettext(message))


@pass_context
def gettext(context, message: str, **variables) -> Markup:
    """``_("Mesa de ayuda de %(name)s", name=…)``: the translation, its values escaped. The
    page's language comes from its context (Django's ``i18n`` context processor), read once."""
    language = context.get("LANGUAGE_CODE") or translation.get_language()
    text = _translated(language, message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, number: int, **variables) -> Markup:
    variables.setdefault("num", number)
    return escape(translation.ngettext(singular, plural, number)) % variables


@functools.cache
def _reversed(urlconf: str, script_prefix: str, name: str) -> str:
    return reverse(name, urlconf=urlconf)


def url(name: str, *args, **kwargs) -> str:
    """``reverse()``; a name without arguments is reversed once per URL configuration."""
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return _reversed(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on: new-style gettext escapes only with it
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(autoescape=True, **options)
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, url=url, static=static)
    env.filters.update(
        datetime=local_datetime,
        filesize=filesizeformat,
        linebreaksbr=linebreaksbr,
        truncatechars=lambda value, length: Truncator(value).chars(length),
    )
    return env
