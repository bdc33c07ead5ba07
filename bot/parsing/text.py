"""Normalising what people type before parsing it: full-width forms and dash look-alikes."""

from __future__ import annotations

import unicodedata

# hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus sign, small hyphen
DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"})


def normalize_input(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII: `１，２００` → `1,200`), every dash
    look-alike becomes `-`, surrounding space removed."""
    return unicodedata.normalize("NFKC", text).translate(DASHES).strip()
