"""The portal's pages render with the Jinja2 engine (jinja2/, vetsync_support/templating.py)."""

from django.shortcuts import render


def render_page(
    request, template_name: str, context: dict | None = None, status: int | None = None
):
    """``render()`` on the portal's own engine: a clinic page, the login or an error page."""
    return render(request, template_name, context, status=status, using="jinja2")
