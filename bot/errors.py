"""User-facing errors: one exception kind, carrying its text in English and Japanese.

Services and parsers raise :class:`UserError` for anything a person got wrong (bad input, no
permission, unknown organization). Handlers turn it into an ephemeral reply or an inline modal
error (``field`` names the modal field); the CLI prints it. Nothing else is shown to users.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with what a user gave or asked for, explained in both languages.

    Args:
        en: the English message.
        ja: the Japanese message.
        field: optional name of the input it concerns (a modal block id, or a column name).
        line: optional 1-based line number in an uploaded or imported file.
    """

    def __init__(self, en: str, ja: str, *, field: str | None = None, line: int | None = None):
        super().__init__(en)
        self.en = en
        self.ja = ja
        self.field = field
        self.line = line

    def at(self, field: str) -> UserError:
        """This error, attached to the modal field (block id) `field`; returns itself."""
        self.field = field
        return self

    def message(self, lang: str) -> str:
        """The message in ``lang`` ("ja" or "en"; anything else gives English)."""
        return self.ja if lang == "ja" else self.en

    def bilingual(self) -> str:
        """Both messages, Japanese first, for places with no known reader (CLI, logs).

        One line when both are one line; otherwise each language in its own paragraph."""
        if "\n" in self.ja or "\n" in self.en:
            return f"{self.ja}\n\n{self.en}"
        return f"{self.ja} / {self.en}"
