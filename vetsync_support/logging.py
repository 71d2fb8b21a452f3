"""Structured (JSON lines) logging: one event per line, CR/LF in values cannot forge lines."""

import json
import logging
from datetime import UTC, datetime

SECRET_FIELDS = frozenset({"password", "secret", "token", "csrfmiddlewaretoken"})


def log_event(logger: logging.Logger, event: str, *, level: int = logging.INFO, **fields) -> None:
    safe = {k: ("[oculto]" if k in SECRET_FIELDS else v) for k, v in fields.items()}
    logger.log(level, event, extra={"event": event, "fields": safe})


class StructuredFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", None) or record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes control characters, so user input cannot start a new line.
        return json.dumps(payload, ensure_ascii=False, default=str)
