"""The fieldsets of the agents' ticket page, written in Python.

Django's ``admin/includes/fieldset.html`` renders every line and field of a change form
through nested template loops, lookups and includes: on the ticket page that was about half
of the request's time. This tag writes the same HTML (tests/tickets/test_admin_form_fieldsets.py
compares it with Django's own template, on pages with and without errors and permissions)
from the same ``AdminForm`` objects, without the template machinery. Every piece is built by
``format_html``: values are escaped, and what Django already rendered (widgets, labels, errors,
read-only contents) is safe HTML that passes through as it is.
"""

from django import template
from django.template.defaultfilters import safe
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _joined(parts) -> SafeString:
    """Safe pieces one after the other (each one built by format_html or by Django)."""
    return format_html_join("", "{}", ((part,) for part in parts if part))


@register.simple_tag
def ticket_fieldsets(adminform) -> SafeString:
    """``{% for fieldset in adminform %}{% include "admin/includes/fieldset.html" with
    heading_level=2 prefix="fieldset" id_prefix=0 id_suffix=forloop.counter0 %}``."""
    return _joined(_fieldset(fieldset, index) for index, fieldset in enumerate(adminform))


def _fieldset(fieldset, index: int) -> SafeString:
    heading = f"fieldset-0-{index}-heading"
    labelled = format_html(' aria-labelledby="{}"', heading) if fieldset.name else ""
    title = ""
    if fieldset.name:
        title = format_html('<h2 id="{}" class="fieldset-heading">{}</h2>', heading, fieldset.name)
        if fieldset.is_collapsible:
            title = format_html("<details><summary>{}</summary>", title)
    description = ""
    if fieldset.description:
        # The template's |safe: a fieldset's description is the developer's own HTML.
        description = format_html('<div class="description">{}</div>', safe(fieldset.description))
    inner = format_html("{}{}{}", title, description, _joined(_line(line) for line in fieldset))
    if fieldset.name and fieldset.is_collapsible:
        inner = format_html("{}</details>", inner)
    return format_html(
        '<fieldset class="module aligned {}"{}>{}</fieldset>', fieldset.classes, labelled, inner
    )


def _name(field) -> str:
    return field.field["name"] if field.is_readonly else field.field.name


def _line(line) -> SafeString:
    fields = list(line)  # each iteration builds new field objects: once is enough
    single = len(line.fields) == 1
    classes = ["form-row"]
    if not single:
        classes.append("flex-container form-multiline")
    if not line.has_visible_field:
        classes.append("hidden")
    classes.extend(f"field-{name}" for name in map(_name, fields) if name)
    line_errors = line.errors() if single else ""
    return format_html(
        '<div class="{}">{}</div>',
        " ".join(classes),
        _joined(_field(field, single, line_errors) for field in fields),
    )


def _field(field, single: bool, line_errors) -> SafeString:
    readonly = field.is_readonly
    bound = field.field
    if readonly:
        name, help_text, hidden = bound["name"], bound["help_text"], bound["is_hidden"]
        label_for, is_fieldset, errors = "", False, ""
    else:
        name, help_text, hidden = bound.name, bound.help_text, bound.is_hidden
        label_for, is_fieldset, errors = bound.id_for_label, field.is_fieldset, field.errors()
    classes = ["flex-container"]
    if (not readonly and errors) or (single and line_errors):
        classes.append("errors")
    if not single:
        classes.append("fieldBox")
        if name:
            classes.append(f"field-{name}")
        if hidden:
            classes.append("hidden")
    if field.is_checkbox:
        classes.append("checkbox-row")
    if field.is_checkbox:
        label = "" if is_fieldset else field.label_tag()
        head = format_html('<div class="checkbox">{}{}</div>', bound, label)
    else:
        head = "" if is_fieldset else field.label_tag()
    help_block = ""
    if help_text:
        help_id = format_html(' id="{}_helptext"', label_for) if label_for else ""
        help_block = format_html(
            '<div class="help{}"{}><div>{}</div></div>',
            " hidden" if hidden else "",
            help_id,
            safe(help_text),  # the template's |safe: help texts are the developer's own HTML
        )
    shown_errors = line_errors if single else ("" if readonly else errors)
    value = ""
    if not field.is_checkbox:
        value = (
            format_html('<div class="readonly">{}</div>', field.contents()) if readonly else bound
        )
    body = format_html(
        '<div class="{}">{}{}{}{}</div>', " ".join(classes), head, help_block, shown_errors, value
    )
    if not is_fieldset:
        return body
    described = format_html(' aria-describedby="{}_helptext"', label_for) if help_text else ""
    return format_html("<fieldset{}>{}{}</fieldset>", described, field.label_tag(), body)
