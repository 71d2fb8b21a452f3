from functools import wraps

from django.shortcuts import redirect


def clinic_login_required(view):
    """Only a logged-in clinic user reaches the view; anyone else goes to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "clinic", None) is None:
            return redirect("accounts:login")
        return view(request, *args, **kwargs)

    return wrapper
