"""vetsync_support/templating.py: the clinic pages' Jinja2 environment."""

from django.template import engines

from vetsync_support.templating import environment, url


def render(source: str, **context) -> str:
    return engines["jinja2"].env.from_string(source).render(**context)


def test_texts_fill_their_values_escaped_and_keep_their_own_words():
    html = render('{{ _("Mesa de ayuda de %(name)s", name=name) }}', name="<b>Mevetlab</b>")
    assert html == "Mesa de ayuda de &lt;b&gt;Mevetlab&lt;/b&gt;"
    assert render("{{ name }}", name="<script>") == "&lt;script&gt;"


def test_plurals_choose_by_number():
    source = "{% trans n=n %}{{ n }} ticket{% pluralize %}{{ n }} tickets{% endtrans %}"
    assert render(source, n=1) == "1 ticket"
    assert render(source, n=1234) == "1234 tickets"


def test_the_environment_always_escapes():
    assert environment(autoescape=False).autoescape is True


def test_a_url_name_is_reversed_once_and_with_arguments_each_time():
    assert url("tickets:history") == "/soporte/tickets/"
    assert url("tickets:detail", code="ST-20260323-00001") == "/soporte/tickets/ST-20260323-00001"


def test_python_and_djangos_templates_write_a_moment_alike():
    """vetsync_support/dates.py and DATETIME_FORMAT (Django templates: the admin, the e-mails):
    dd-mm-aaaa HH:MM in America/Santiago, in summer and in winter time."""
    from datetime import UTC, datetime

    from django.template import Context, Template
    from django.utils import translation

    from vetsync_support.dates import local_datetime

    template = Template('{{ moment|date:"DATETIME_FORMAT" }}')
    with translation.override("es-cl"):
        for moment in (
            datetime(2026, 1, 15, 13, 5, tzinfo=UTC),
            datetime(2026, 7, 1, 3, 0, tzinfo=UTC),
        ):
            assert local_datetime(moment) == template.render(Context({"moment": moment}))
    assert local_datetime(datetime(2026, 1, 15, 13, 5, tzinfo=UTC)) == "15-01-2026 10:05"
    assert local_datetime(None) == ""
