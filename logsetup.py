"""Logging that never shows a token or secret."""

from __future__ import annotations

import logging


class RedactingFilter(logging.Filter):
    """Replaces every configured secret in a log record's message with '***'."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            redacted = message
            for secret in self.secrets:
                redacted = redacted.replace(secret, "***")
            if redacted != message:
                record.msg, record.args = redacted, None
        return True


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks every secret in the whole output, tracebacks included."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def configure_logging(level: str, secrets: list[str]) -> None:
    """Log to stderr at `level`; HTTP client request lines (which carry bot tokens) stay quiet."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # PTB logs every update in full at DEBUG (names, phone numbers, message texts): its own
    # documentation calls that unsafe for production, so it never goes below INFO here.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLevelName(level)))
