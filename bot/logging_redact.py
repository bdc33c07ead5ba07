"""Configured secrets never reach a log record: `install(settings)` once at start-up
(`bot.cli.main`, right after logging is configured).

It wraps the log record factory, so every record of every logger (Kiban's, Bolt's, slack_sdk's,
SQLAlchemy's, openai's), whatever handler later writes it, has each secret replaced by
`[redacted]` in its message (formatted with its args, which are then dropped), in its
traceback (formatted into `exc_text`, the live exception dropped) and in `stack_info`. Secrets:
the Slack bot token, signing secret and app token, the LLM API key and the database URL's
password; values shorter than `MIN_LENGTH` are ignored (redacting "pw" everywhere would mangle
logs, and such a value is no secret). Records without a secret are left as they are.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

from bot.settings import Settings
from storage.db import database_passwords

MARK = "[redacted]"
MIN_LENGTH = 6

_secrets: tuple[str, ...] = ()
_installed = False


def secrets_of(settings: Settings) -> list[str]:
    """The secret values `settings` holds (empty ones left out)."""
    values = [
        settings.slack_bot_token.get_secret_value(),
        settings.slack_signing_secret.get_secret_value(),
        settings.slack_app_token.get_secret_value() if settings.slack_app_token else "",
        settings.llm_api_key.get_secret_value(),
    ]
    values += database_passwords(settings.database_url)
    return [value for value in values if value]


def scrub(text: str) -> str:
    """`text` with every installed secret replaced by `MARK`."""
    for secret in _secrets:
        text = text.replace(secret, MARK)
    return text


def install(settings: Settings | None = None, *, extra: Iterable[str] = ()) -> None:
    """Redact the secrets of `settings` (plus `extra`) from every log record from now on.

    Calling it again replaces the secrets; the record factory is wrapped only once.
    """
    global _secrets, _installed
    values = [*(secrets_of(settings) if settings else ()), *extra]
    # longest first, so a secret containing another is replaced whole
    _secrets = tuple(sorted({v for v in values if len(v) >= MIN_LENGTH}, key=len, reverse=True))
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if _secrets:
            _redact(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def _has_secret(text: str) -> bool:
    return any(secret in text for secret in _secrets)


def _redact(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 (bad args: logging itself reports them later)
        message = None
    if message is not None and (_has_secret(message) or _has_secret(repr(record.args))):
        record.msg, record.args = scrub(message), None
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if _has_secret(text):
            record.exc_text, record.exc_info = scrub(text), None
    elif record.exc_text and _has_secret(record.exc_text):
        record.exc_text = scrub(record.exc_text)
    if record.stack_info and _has_secret(record.stack_info):
        record.stack_info = scrub(record.stack_info)
