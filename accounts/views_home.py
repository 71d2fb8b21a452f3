"""Placeholder landing page until the help desk exists: shows who is connected."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.decorators import clinic_login_required


@never_cache
@clinic_login_required
def portal_home(request):
    return render(request, "accounts/home.html")
