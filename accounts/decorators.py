from functools import wraps

from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods


def clinic_login_required(view):
    """Only a logged-in clinic user reaches the view; anyone else goes to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "clinic", None) is None:
            return redirect("accounts:login")
        return view(request, *args, **kwargs)

    return wrapper


def portal_view(methods):
    """A clinic page: logged-in clinic user, allowed methods, never cached."""

    def decorate(view):
        return never_cache(clinic_login_required(require_http_methods(methods)(view)))

    return decorate
