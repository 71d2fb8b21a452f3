from functools import wraps

from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods


def portal_view(methods):
    """A clinic page: a logged-in clinic user (else the login page), these methods, never cached."""

    def decorate(view):
        allowed = require_http_methods(methods)(view)

        @wraps(allowed)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "clinic", None) is None:
                return redirect("accounts:login")
            return allowed(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorate
