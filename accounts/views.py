"""Login and logout of clinic users at /soporte/login."""

import logging

from axes.helpers import get_client_ip_address
from django.contrib.auth import login, logout
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import lockout
from accounts.forms import LoginForm
from accounts.login_timing import uniform_failure_time
from accounts.sessions import start_portal_session
from vetsync_support.logging import log_event
from vetsync_support.rendering import render_page

logger = logging.getLogger("vetsync.auth")


@sensitive_post_parameters("password")
@csrf_protect
@require_http_methods(["GET", "POST"])
@uniform_failure_time
def login_view(request):
    if request.user.is_authenticated and getattr(request.user, "is_clinic_user", False):
        return redirect("portal-home")
    if request.method == "POST":
        ip = get_client_ip_address(request)
        account_key = lockout.axes_username(request, None)
        if lockout.address_is_throttled(ip) and not lockout.is_known_device(request, account_key):
            log_event(logger, "login.throttled_address", ip=ip, account=account_key)
            return lockout.lockout_response(request)
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            login(request, user, backend="accounts.backends.VetSyncBackend")
            start_portal_session(request)
            log_event(logger, "login.success", clinic_rut=user.clinic.rut, user_rut=user.rut, ip=ip)
            response = redirect("portal-home")
            lockout.remember_device(request, response, account_key)
            return response
        errors = form.errors.as_data().get("__all__", [])
        reason = ",".join(sorted(e.code or "invalid" for e in errors)) or "invalid_input"
        ruts = {name: request.POST.get(name, "")[:40] for name in ("clinic_rut", "user_rut")}
        log_event(logger, "login.failure", **ruts, ip=ip, reason=reason)
    else:
        form = LoginForm(request)
    response = render_page(request, "accounts/login.html", {"form": form})
    add_never_cache_headers(response)
    return response


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        log_event(logger, "logout", user=request.user.username)
    logout(request)
    return redirect("accounts:login")
