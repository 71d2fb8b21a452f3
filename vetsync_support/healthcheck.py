"""Container health check: ``python -m vetsync_support.healthcheck`` (exit 0 when /healthz is 200).

Asks the local gunicorn with the first allowed host name, over the proxy's HTTPS header,
so that the production settings (host validation, SSL redirect) answer as for real.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip() or "localhost"
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host.lstrip("."), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
