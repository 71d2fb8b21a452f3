from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _answers(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return False
    return True


@never_cache
@require_GET
def healthz(request):
    """200 when both the portal's database and the VetSync database answer, else 503."""
    status = {alias: _answers(alias) for alias in ("default", "vetsync")}
    ok = all(status.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "databases": status}, status=200 if ok else 503
    )
