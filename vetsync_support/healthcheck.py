"""Container health check: ``python -m vetsync_support.healthcheck`` (exit 0 when /healthz is 200),
asked as the first allowed host over the proxy's HTTPS header, so production settings answer."""

import http.client
import os
import sys


def main() -> int:
    host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip() or "localhost"
    port = int(os.environ.get("PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request(
            "GET", "/healthz", headers={"Host": host.lstrip("."), "X-Forwarded-Proto": "https"}
        )
        return 0 if connection.getresponse().status == 200 else 1
    except OSError:
        return 1
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
