"""The rows of the agents' ticket list, built once per column and then per row in Python.

Django's generic ``result_list`` looks every cell up again (field, label, classes, a widget
template for each checkbox): for 25 rows of a dozen columns that is most of the list's time. This
tag writes the same HTML (tests/tickets/test_admin_list_rows.py compares it with Django's
own, cell by cell) from a renderer prepared once per column.
"""

import datetime
from collections.abc import Callable

from django import template
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import (
    _boolean_icon,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_field, display_for_value
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()

# A column: its cell's format string and the function that gives a row's values for it.
Column = tuple[str, Callable[[models.Model], tuple]]


CHECKBOX = (
    '<td class="action-checkbox"><input type="checkbox" name="{}" value="{}" '
    'class="action-select" aria-label="{}"></td>'
)


def _datetime_formatter() -> Callable[[datetime.datetime], str]:
    """formats.localize(timezone.template_localtime(moment)), the format looked up once."""
    pattern = get_format("DATETIME_FORMAT")
    return lambda moment: dateformat.format(timezone.template_localtime(moment), pattern)


def _column(cl, index: int, name: str, *, link: bool, when) -> Column:
    """The renderer of one column, as django.contrib.admin's items_for_result renders it."""
    if name == "action_checkbox":
        label = gettext("Select this object for an action - {}")

        def checkbox(obj):
            return ACTION_CHECKBOX_NAME, str(obj.pk), format_html(label, str(obj))

        return CHECKBOX, checkbox
    admin = cl.model_admin
    empty = admin.get_empty_value_display()
    css = f"field-{_coerce_field_name(name, index)}"
    plain = format_html(' class="{}"', css)
    nowrap = format_html(' class="{} nowrap"', css)
    try:
        field = cl.model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None

    if field is not None and not field.auto_created:
        attribute = field.name if field.is_relation else field.attname
        dated = isinstance(field, models.DateField | models.TimeField | models.ForeignKey)
        row_class = nowrap if dated else plain
        if getattr(field, "flatchoices", None):
            labels = {key: str(label) for key, label in field.flatchoices}

            def value(obj):
                return row_class, labels.get(getattr(obj, attribute), empty)

        elif isinstance(field, models.DateTimeField):

            def value(obj):
                moment = getattr(obj, attribute)
                return row_class, (empty if moment is None else when(moment))

        else:

            def value(obj):
                html = display_for_field(getattr(obj, attribute), field, empty, avoid_link=link)
                return row_class, html

    else:
        method = getattr(admin, name)
        empty = getattr(method, "empty_value_display", empty)
        if getattr(method, "boolean", False):
            icons = {flag: _boolean_icon(flag) for flag in (True, False, None)}

            def value(obj):
                return plain, icons[method(obj)]

        else:

            def value(obj):
                result = method(obj)
                if isinstance(result, datetime.datetime):
                    return nowrap, when(result)
                dated = isinstance(result, datetime.date | datetime.time)
                return (nowrap if dated else plain), display_for_value(result, empty)

    if not link:
        return "<td{}>{}</td>", value

    def linked(obj):
        row_class, html = value(obj)
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(obj)
        )
        return row_class, url, html

    return '<th{}><a href="{}">{}</a></th>', linked


def ticket_result_list(cl) -> dict:
    """The context of admin/change_list_results.html, each row already joined."""
    # As get_list_display_links leaves it: None for no links, else the linked columns.
    links = cl.list_display_links or []
    when = _datetime_formatter()
    columns = [
        _column(cl, index, name, link=name in links, when=when)
        for index, name in enumerate(cl.list_display)
    ]
    headers = list(result_headers(cl))
    # One format string for the whole row: one format_html per row, every value escaped.
    row_format = "".join(fragment for fragment, _values in columns)
    getters = [values for _fragment, values in columns]
    rows = [
        [format_html(row_format, *(v for values in getters for v in values(obj)))]
        for obj in cl.result_list
    ]
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
    }


@register.tag(name="ticket_result_list")
def ticket_result_list_tag(parser, token):
    return InclusionAdminNode(
        "ticket_result_list",
        parser,
        token,
        func=ticket_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
