"""``makemessages`` reads the Jinja2 pages' texts: plain, with values and with plurals."""

from django.core.management import call_command
from django.test import override_settings

from vetsync_support.management.commands.makemessages import jinja_as_python

PAGE = """<h1>{{ _("Historial de tickets") }}</h1>
<p>{{ _("Página %(n)s de %(total)s", n=page.number, total=3) }}</p>
{% trans counter=count %}{{ counter }} ticket{% pluralize %}{{ counter }} tickets{% endtrans %}
"""


def test_each_message_of_a_page_becomes_a_call_on_its_line():
    lines = jinja_as_python(PAGE).splitlines()
    assert lines[0] == "gettext('Historial de tickets')"
    assert lines[1] == "gettext('Página %(n)s de %(total)s')"
    assert lines[2] == "ngettext('%(counter)s ticket', '%(counter)s tickets', 1)"


def test_makemessages_puts_the_jinja2_pages_texts_in_the_catalog(tmp_path, monkeypatch):
    (tmp_path / "jinja2").mkdir()
    (tmp_path / "jinja2" / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["es_CL"], verbosity=0)
    catalog = (tmp_path / "locale" / "es_CL" / "LC_MESSAGES" / "django.po").read_text()
    assert '#: jinja2/page.html:1\nmsgid "Historial de tickets"' in catalog
    assert 'msgid "Página %(n)s de %(total)s"' in catalog
    assert 'msgid "%(counter)s ticket"\nmsgid_plural "%(counter)s tickets"' in catalog
    assert not list(tmp_path.rglob("*.html.py"))  # the work files are removed
