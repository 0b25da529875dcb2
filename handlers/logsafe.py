"""Logging a failure without its message: exception messages may quote user input."""

from __future__ import annotations

import logging
import sys
import traceback


def log_failure(logger: logging.Logger, message: str, *args: object) -> None:
    """Log the exception being handled at ERROR: its type and frames, never its message.

    `openpyxl`'s IllegalCharacterError quoted a business name, a KeyError quotes the key the
    user typed; the type and the line numbers are enough to find the fault.
    """
    exc = sys.exc_info()[1]
    if exc is None:
        logger.error(message, *args)
        return
    kinds = []
    link: BaseException | None = exc
    while link is not None and len(kinds) < 5:
        kinds.append(type(link).__name__)
        link = link.__cause__ or link.__context__
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error(message + ": %s\n%s", *args, " <- ".join(kinds), frames.rstrip())
