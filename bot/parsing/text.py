"""Normalising what people type before parsing it: full-width forms and dash look-alikes."""

from __future__ import annotations

import re
import unicodedata

from bot.errors import UserError
from bot.i18n import t

# hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus sign, small hyphen
DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"})


def normalize_input(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII: `１，２００` → `1,200`), every dash
    look-alike becomes `-`, surrounding space removed."""
    return unicodedata.normalize("NFKC", text).translate(DASHES).strip()


def fold_name(text: str) -> str:
    """A name as compared for duplicates: NFKC (full-width ＨＩＫＡＲＩ is HIKARI), invisible
    format characters removed (zero-width space, joiners, direction marks: category Cf),
    runs of whitespace as one space, case-folded and trimmed; so "Hikari", "hikari",
    "Hi\u200bkari" and "ＨＩＫＡＲＩ " are one name."""
    visible = "".join(
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf"
    )
    return " ".join(visible.split()).casefold()


def blank(text: str | None) -> bool:
    """True when `text` shows nothing: only whitespace and invisible format characters (zero-width
    space, word joiner, BOM, direction marks: category Cf). A required field so filled is empty."""
    return not fold_name(text or "")


# what no text column can store: C0 controls but tab and line breaks (PostgreSQL refuses NUL),
# and lone surrogates (not encodable as UTF-8); and the bidirectional overrides and isolates,
# which make stored text display as something else ("Trojan Source", CVE-2021-42574)
BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def check_chars(field: str | None, text: str) -> UserError | None:
    """None when every character of `text` can be stored; else a bilingual UserError naming
    the field (a file's key; None in a modal, where the error stands under the field), the
    character's code point and its 1-based position."""
    bad = BAD_CHAR.search(text)
    if bad is None:
        return None
    key = "input.bad_char" if "\ud800" <= bad.group() <= "\udfff" else "input.control_char"
    if field is None:
        key += "_here"
    params = {"field": field, "code": f"U+{ord(bad.group()):04X}", "position": bad.start() + 1}
    return UserError(t(key, "en", **params), t(key, "ja", **params))
