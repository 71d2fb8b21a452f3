# VetSync support portal: gunicorn + whitenoise, PostgreSQL through DATABASE_URL.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH"

WORKDIR /app
RUN pip install --no-cache-dir uv \
    && groupadd --system portal && useradd --system --gid portal --home-dir /app portal

COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# collectstatic needs settings that import: throwaway values, used only at build time.
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost EMAIL_URL=dummymail:// \
    python manage.py collectstatic --no-input \
    && mkdir -p /app/var/attachments && chown -R portal:portal /app/var
# Attached files, when they are not in S3 (ATTACHMENTS_S3_BUCKET): keep them on a volume.
VOLUME ["/app/var/attachments"]

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "vetsync_support.healthcheck"]

CMD ["gunicorn", "vetsync_support.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
