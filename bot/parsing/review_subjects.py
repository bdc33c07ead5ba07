"""Applicants of a selection review from an uploaded CSV ("Import applicants", issue #7).

The file is what the secretariat exports from a spreadsheet::

    organization,proposal_title,materials_link,contact
    Example AI,Japanese legal LLM,https://example.com/a.pdf,U0123ABCD
    Sakura Labs,Speech corpus,,info@sakura.example

UTF-8 (with or without a BOM) or, failing that, Shift_JIS (cp932, as Japanese Excel saves
"CSV"). A header line is required (names case-insensitive); `organization` and
`proposal_title` are required columns, `materials_link` (an http(s) link) and `contact` (a
Slack user id `U…`/`W…`, a pasted mention `<@U…>`, or an email address) optional; a column
named twice or not in this list is refused. Blank lines are skipped; at most 90 applicants
(a round's limit); an organization named twice (case-insensitive) is refused with both lines.

All or nothing: every problem is a bilingual `UserError` with `line` (1-based, in the file);
several problems in rows are raised as one error listing each with its line (`line` = the
first's).
"""

from __future__ import annotations

from bot.blocks.data_directory import slack_user
from bot.blocks.review_forms import (
    IMPORT_ROWS_MAX,
    LINK_MAX,
    NAME_MAX,
    PROPOSAL_MAX,
    SubjectInput,
    check_email,
    check_link,
)
from bot.errors import UserError
from bot.i18n import t
from bot.parsing import csv_table
from bot.parsing.text import check_chars, fold_name, normalize_input

COLUMNS = ("organization", "proposal_title", "materials_link", "contact")
REQUIRED = ("organization", "proposal_title")
LIMITS = {"organization": NAME_MAX, "proposal_title": PROPOSAL_MAX, "materials_link": LINK_MAX}
PROBLEMS_SHOWN = 20
USER_ID_MAX = 32  # a Slack user id column (storage/reviews.py)


def _error(key: str, *, line: int | None = None, **params: object) -> UserError:
    params["line"] = line  # `{line}` in the messages that name it
    return UserError(t(key, "en", **params), t(key, "ja", **params), line=line)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a BOM dropped), else cp932 (Shift_JIS). Raises UserError (with
    the line of the first byte neither reads, or of a NUL) for anything else."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError as problem:
            line = data[: problem.start].count(b"\n") + 1
            raise _error("reviewform.csv.not_text", line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _error("reviewform.csv.not_text", line=line)
    return text


def read_subjects_csv(data: bytes) -> list[SubjectInput]:
    """The applicants of an uploaded CSV (see the module docstring), each with its `line`.

    Raises:
        UserError: (with `line`) for a file that is not UTF-8 or Shift_JIS text, is empty,
            has no applicants or more than 90, a header with a column missing, repeated or
            unknown, or rows with problems (all of them listed at once).
    """
    rows = csv_table.records(decode(data), strict=True)
    header = next(rows, None)
    if header is None:
        raise _error("reviewform.csv.empty", line=1)
    header_line, cells = header
    index = csv_table.column_index(cells, header_line, columns=COLUMNS, required=REQUIRED)
    named = set(index.values())
    applicants: list[SubjectInput] = []
    problems: list[tuple[int, UserError]] = []
    first_line: dict[str, int] = {}
    for count, (line, cells) in enumerate(rows, start=1):
        if count > IMPORT_ROWS_MAX:
            raise _error("reviewform.csv.too_many", line=line, limit=IMPORT_ROWS_MAX, count=count)
        row = {name: cells[i].strip() if i < len(cells) else "" for name, i in index.items()}
        found = _row_problems(row)
        found += [
            _error("reviewform.csv.extra_cell", column=i + 1)
            for i, cell in enumerate(cells)
            if i not in named and cell.strip()
        ]
        name = row["organization"]
        if name and (earlier := first_line.get(fold_name(name))):
            found.append(_error("reviewform.csv.duplicate", name=name, first=earlier))
        elif name:
            first_line[fold_name(name)] = line
        problems += [(line, p) for p in found]
        if not found:
            user, email = _contact(row.get("contact", ""))
            applicants.append(
                SubjectInput(
                    name=name,
                    proposal_title=row["proposal_title"],
                    materials_link=row.get("materials_link", ""),
                    contact_user=user,
                    contact_email=email,
                    line=line,
                )
            )
    if problems:
        raise _combined(problems)
    if not applicants:
        raise _error("reviewform.csv.no_rows", line=header_line)
    return applicants


def _row_problems(row: dict[str, str]) -> list[UserError]:
    problems = []
    for column, value in row.items():
        if column in REQUIRED and not value:
            problems.append(_error("reviewform.csv.required", column=column))
        elif column in LIMITS and len(value) > LIMITS[column]:
            problems.append(_error("reviewform.csv.too_long", column=column, limit=LIMITS[column]))
        elif problem := check_chars(column, value):
            problems.append(problem)
    link = row.get("materials_link", "")
    if link and len(link) <= LINK_MAX and not check_link(link):
        problems.append(_error("reviewform.csv.link", value=link[:100]))
    contact = row.get("contact", "")
    if contact and _contact(contact) == (None, None):
        problems.append(_error("reviewform.csv.contact", value=contact[:100]))
    return problems


def _contact(text: str) -> tuple[str | None, str | None]:
    """(Slack user id, email address) of a contact cell; (None, None) when empty or neither."""
    contact = normalize_input(text)
    if (user := slack_user(contact)) and len(user) <= USER_ID_MAX:
        return user, None
    if check_email(contact):
        return None, contact
    return None, None


def _combined(problems: list[tuple[int, UserError]]) -> UserError:
    """One error for the rows' problems: alone, with its line; several, listed."""
    if len(problems) == 1:
        line, problem = problems[0]
        return UserError(
            t("reviewform.csv.line", "en", line=line, message=problem.en),
            t("reviewform.csv.line", "ja", line=line, message=problem.ja),
            line=line,
        )
    texts = []
    for lang in ("en", "ja"):
        lines = [
            t("reviewform.csv.line", lang, line=line, message=problem.message(lang))
            for line, problem in problems[:PROBLEMS_SHOWN]
        ]
        if len(problems) > PROBLEMS_SHOWN:
            lines.append(t("reviewform.csv.more", lang, count=len(problems) - PROBLEMS_SHOWN))
        texts.append(
            t("reviewform.csv.problems", lang, count=len(problems), problems="\n".join(lines))
        )
    return UserError(*texts, line=problems[0][0])
