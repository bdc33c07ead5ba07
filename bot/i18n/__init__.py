"""The en/ja message catalog. Every user-facing string is here; the reader's locale decides.

`t("compute.modal.title", "ja")` returns the Japanese text; `{name}` placeholders are filled
from keyword arguments. Each domain keeps its strings in its own module (`core`, …) and they
are merged into one `CATALOG`; a key defined twice, or missing in one language, is a bug
caught by tests.
"""

from __future__ import annotations

from bot.i18n import (
    alerts,
    allocations,
    announcements,
    core,
    data_directory,
    data_requests,
    delivery,
    digests,
    evals,
    evals_board,
    event_followup,
    event_import,
    event_stats,
    events,
    home,
    instructions,
    practices,
    progress,
    render,
    review_export,
    review_forms,
    review_packets,
    reviews,
    trend_report,
    trends,
)

LANGS = ("ja", "en")


def _merge(*modules) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for module in modules:
        for key, entry in module.CATALOG.items():
            if key in merged:
                raise KeyError(f"message key {key!r} is defined twice")
            merged[key] = entry
    return merged


CATALOG = _merge(
    core,
    alerts,
    allocations,
    instructions,
    render,
    delivery,
    evals,
    evals_board,
    digests,
    data_directory,
    data_requests,
    events,
    event_followup,
    event_import,
    event_stats,
    reviews,
    review_forms,
    review_packets,
    review_export,
    trends,
    trend_report,
    home,
    progress,
    practices,
    announcements,
)


LANGUAGES = ("ja", "en")  # every catalog entry has both


def t(key: str, lang: str, **params: object) -> str:
    """The catalog text for `key` in `lang` ("ja"/"en"), with `params` filled in.

    Raises:
        KeyError: for an unknown key (a programming error, caught by tests).
    """
    entry = CATALOG[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def lang_of(locale: str | None, default: str = "ja") -> str:
    """Map a Slack locale (`ja-JP`, `en-US`, …) to a catalog language; unknown → `default`."""
    if not locale:
        return default
    return "ja" if locale.lower().startswith("ja") else "en"
