"""What the property tests read in a page."""

import re
from html import unescape

from django.utils.html import escape

# Django's own message for a NUL character, from its Spanish catalogue (es, for es-cl).
NUL_MESSAGE = "Los caracteres nulos no están permitidos."
LISTED_CODE = re.compile(r'<span class="code">(ST-\d{8}-\d{5,})</span>')


def listed_codes(html: str) -> list[str]:
    """The codes of the tickets a page lists (tickets/includes/ticket_rows.html)."""
    return LISTED_CODE.findall(html)


def assert_spanish_page(response) -> str:
    html = response.content.decode()
    assert '<html lang="es-CL">' in html, html[:500]
    return html


def assert_errors_shown(html: str, form) -> list[str]:
    """Every error message of the bound ``form`` is on the page, HTML-escaped; returns them."""
    messages = [message for errors in form.errors.values() for message in errors]
    for message in messages:
        assert escape(message) in html, (message, html[:3000])
    return messages


def textarea_value(html: str, name: str) -> str:
    """What a browser shows in the textarea ``name``: its text unescaped, line breaks as LF,
    without the one line break the HTML parser drops right after the opening tag."""
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert found, f"no textarea {name}"
    text = as_browser_lines(unescape(found.group(1)))
    return text.removeprefix("\n")


def as_browser_lines(text: str) -> str:
    """Line breaks as the HTML parser reads them (CR LF and a lone CR both become LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def hidden_values(html: str) -> dict[str, str]:
    """The hidden inputs of a page, by name, unescaped (the CSRF token left out)."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    return {name: unescape(value) for name, value in found if name != "csrfmiddlewaretoken"}
