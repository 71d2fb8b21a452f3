"""The fieldsets of the agents' ticket page, written in Python.

Django's ``admin/includes/fieldset.html`` renders every line and field of a change form
through nested template loops, lookups and includes: on the ticket page that was about half
of the request's time. This tag writes the same HTML (tests/tickets/test_admin_form_fieldsets.py
compares it with Django's own template, on pages with and without errors and permissions)
from the same ``AdminForm`` objects, without the template machinery.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def ticket_fieldsets(adminform) -> SafeString:
    """``{% for fieldset in adminform %}{% include "admin/includes/fieldset.html" with
    heading_level=2 prefix="fieldset" id_prefix=0 id_suffix=forloop.counter0 %}``."""
    return mark_safe(  # noqa: S308 (each part below is escaped or already safe)
        "".join(_fieldset(fieldset, index) for index, fieldset in enumerate(adminform))
    )


def _fieldset(fieldset, index: int) -> str:
    heading = f"fieldset-0-{index}-heading"
    out = [format_html('<fieldset class="module aligned {}"', fieldset.classes)]
    if fieldset.name:
        out.append(format_html(' aria-labelledby="{}"', heading))
    out.append(">")
    if fieldset.name:
        collapsible = fieldset.is_collapsible
        if collapsible:
            out.append("<details><summary>")
        out.append(
            format_html('<h2 id="{}" class="fieldset-heading">{}</h2>', heading, fieldset.name)
        )
        if collapsible:
            out.append("</summary>")
    if fieldset.description:
        out.append(
            format_html('<div class="description">{}</div>', mark_safe(fieldset.description))  # noqa: S308
        )
    out.extend(_line(line) for line in fieldset)
    if fieldset.name and fieldset.is_collapsible:
        out.append("</details>")
    out.append("</fieldset>")
    return "".join(out)


def _name(field) -> str:
    return field.field["name"] if field.is_readonly else field.field.name


def _line(line) -> str:
    fields = list(line)  # each iteration builds new field objects: once is enough
    single = len(line.fields) == 1
    classes = ["form-row"]
    if not single:
        classes.append("flex-container form-multiline")
    if not line.has_visible_field:
        classes.append("hidden")
    classes.extend(f"field-{name}" for name in map(_name, fields) if name)
    line_errors = line.errors() if single else ""
    body = "".join(_field(field, single, line_errors) for field in fields)
    return format_html('<div class="{}">{}</div>', " ".join(classes), mark_safe(body))  # noqa: S308


def _field(field, single: bool, line_errors: str) -> str:
    readonly = field.is_readonly
    bound = field.field
    if readonly:
        name, help_text, hidden, label_for = (
            bound["name"],
            bound["help_text"],
            bound["is_hidden"],
            "",
        )
        is_fieldset, errors = False, ""
    else:
        name, help_text, hidden = bound.name, bound.help_text, bound.is_hidden
        label_for, is_fieldset, errors = bound.id_for_label, field.is_fieldset, field.errors()
    out = []
    if is_fieldset:
        out.append("<fieldset")
        if help_text:
            out.append(format_html(' aria-describedby="{}_helptext"', label_for))
        out.append(format_html(">{}", field.label_tag()))
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
    out.append(format_html('<div class="{}">', " ".join(classes)))
    if field.is_checkbox:
        label = "" if is_fieldset else field.label_tag()
        out.append(format_html('<div class="checkbox">{}{}</div>', bound, label))
    elif not is_fieldset:
        out.append(field.label_tag())
    if help_text:
        help_id = format_html(' id="{}_helptext"', label_for) if label_for else ""
        out.append(
            format_html(
                '<div class="help{}"{}><div>{}</div></div>',
                " hidden" if hidden else "",
                help_id,
                mark_safe(help_text),  # noqa: S308 (as the template's |safe)
            )
        )
    if single:
        out.append(line_errors)
    elif not readonly:
        out.append(errors)
    if not field.is_checkbox:
        if readonly:
            out.append(format_html('<div class="readonly">{}</div>', field.contents()))
        else:
            out.append(str(bound))
    out.append("</div>")
    if is_fieldset:
        out.append("</fieldset>")
    return "".join(out)
