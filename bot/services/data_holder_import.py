"""Reading data-holder files for `kiban import holders` and the setup file's `data_holders:`:
YAML (a list, or a mapping with `data_holders:`) or CSV with a header, each item checked
with the modal's rules. All or nothing: every problem is listed with its line (YAML: the
item's line; CSV: the row's), bilingual, and no holder is returned.

Each holder carries the fields its item gave (`HolderInput.given`: a YAML item's keys, a CSV
file's columns), so an update leaves the others as stored (an empty status too: a blank cell
must not un-pause a holder; a new one is active); any other empty value or cell is given
and means "empty" (the required key, name and contact cannot be empty). YAML goes through
the setup import's `LineLoader`, which refuses anchors and aliases, and control characters
by the value's own line; CSV through the `csv` module in strict mode, whose errors (a cell
over its 131,072-character limit, an unclosed quote) are problems of the row's line too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import PurePath

import yaml

from bot.blocks import data_directory as blocks
from bot.blocks.data_directory import HolderInput, error
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.data_size import parse_size
from bot.parsing.text import check_chars, normalize_input
from bot.parsing.yaml_lines import LINE_KEY, LineLoader, strip_lines
from bot.services import data_vocab
from storage.data_holders import HolderStatus

# the fields of an import item (YAML) or the columns of a row (CSV)
FIELDS = blocks.HOLDER_FIELDS
REQUIRED = ("key", "name", "contact")
TEXT_FIELDS = tuple(field for field in FIELDS if field not in blocks.KINDS)
_ALL = ", ".join(FIELDS)


# --- reading -------------------------------------------------------------------------------------


def load_holders(text: str, filename: str) -> list[HolderInput]:
    """The holders in an import file, YAML (`.yaml`/`.yml`: a list, or a mapping with a
    `data_holders:` list) or CSV (`.csv`: a header line naming the columns), by extension.
    Raises UserError listing every problem with its line (YAML: the item's, CSV: the row's)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return holders_from_items(*_csv_items(_csv_rows(text)))
    if suffix not in (".yaml", ".yml"):
        raise error("directory.import.format", file=filename)
    try:
        raw = yaml.load(text, Loader=LineLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        detail = getattr(problem, "problem", None) or str(problem)
        line = mark.line + 1 if mark else None
        raise UserError(*(_bad_yaml(lang, line, detail) for lang in ("en", "ja"))) from None
    if isinstance(raw, dict):
        if "data_holders" not in raw:
            raise error("directory.import.shape")
        raw = raw["data_holders"] or []
    return holders_from_yaml(raw)


def _bad_yaml(lang: str, line: int | None, detail: str) -> str:
    message = t("directory.import.bad_yaml", lang, problem=detail)
    return t("directory.import.line", lang, line=line, message=message) if line else message


def holders_from_yaml(value: object) -> list[HolderInput]:
    """The holders of a YAML list loaded by the setup import's line-recording loader (also
    the `data_holders:` of `kiban admin import`). Raises UserError like `load_holders`."""
    if not isinstance(value, list):
        raise error("directory.import.shape")
    items = [(i.get(LINE_KEY) if isinstance(i, dict) else None, strip_lines(i)) for i in value]
    return holders_from_items(items)


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of each row with any text. Raises UserError naming the row's line
    when the csv module cannot read it (`_csv_problem`)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as problem:
        found = [(start, _csv_problem(problem))]
        raise UserError(*(_problems(found, lang) for lang in ("en", "ja"))) from None
    return rows


def _csv_problem(problem: csv.Error) -> UserError:
    """The csv module's error (English only, e.g. "field larger than field limit (131072)")
    said in both languages."""
    detail = str(problem)
    if detail.startswith("field larger than field limit"):
        field, longest = max(blocks.LIMITS.items(), key=lambda limit: limit[1])
        limit = f"{csv.field_size_limit():,}"
        return error(
            "directory.import.cell_too_long", limit=limit, field=field, longest=f"{longest:,}"
        )
    if detail == "unexpected end of data":
        return error("directory.import.unclosed_quote")
    if "expected after" in detail:
        return error("directory.import.bad_quote")
    return error("directory.import.bad_csv", problem=detail)


def _csv_items(
    rows: list[tuple[int, list[str]]],
) -> tuple[list[tuple[int, dict]], list[tuple[int, UserError]]]:
    """(line of the row, {column: cell}) for each row after the header, every column of the
    header in each (a short row's missing cells are empty); problems of the header (unknown
    or repeated columns) and of cells in columns the header leaves unnamed."""
    if not rows:
        raise error("directory.import.no_header")
    header_line, header = rows[0]
    columns = [data_vocab.normalise(cell) for cell in header]
    problems = []
    unknown = [c for c in columns if c and c not in FIELDS]
    if unknown:
        fields = ", ".join(unknown)
        problems.append(
            (header_line, error("directory.error.unknown_fields", fields=fields, accepted=_ALL))
        )
    first: dict[str, int] = {}  # column name → the index it is read from
    for index, column in enumerate(columns):
        if column in first:
            dup = error(
                "directory.import.duplicate_column",
                column=column,
                first=first[column] + 1,
                second=index + 1,
            )
            problems.append((header_line, dup))
        elif column:
            first[column] = index
    items = []
    for line, row in rows[1:]:
        item = {c: row[i] if i < len(row) else "" for c, i in first.items() if c in FIELDS}
        unnamed = next(
            (i for i, cell in enumerate(row) if cell.strip() and not _named(columns, i)), None
        )
        if unnamed is not None:
            where = {"column": unnamed + 1, "header": header_line}
            problems.append((line, error("directory.import.unnamed_column", **where)))
        items.append((line, item))
    return items, problems


def _named(columns: list[str], index: int) -> bool:
    return index < len(columns) and bool(columns[index])


def holders_from_items(
    items: list[tuple[int | None, object]], problems: Sequence[tuple[int, UserError]] = ()
) -> list[HolderInput]:
    """Check every (line, item) of a file; the holders when all are right, else UserError
    listing every problem with its line, in both languages. A key twice is a problem."""
    problems = list(problems)
    holders: list[HolderInput] = []
    seen: dict[str, int | None] = {}
    for line, item in items:
        holder, found = holder_from_item(item)
        problems += [(line, p) for p in found]
        key = blocks.normal_key(str(item.get("key") or "")) if isinstance(item, dict) else ""
        if key in seen:
            dup = error("directory.error.duplicate_key", holder_key=key, other=seen[key])
            problems.append((line, dup))
        elif key:
            seen[key] = line
        if holder is not None:
            holders.append(holder)
    if problems:
        raise UserError(*(_problems(problems, lang) for lang in ("en", "ja")))
    return holders


def _problems(problems: list[tuple[int | None, UserError]], lang: str) -> str:
    lines = [
        t("directory.import.line", lang, line=line, message=p.message(lang))
        if line
        else p.message(lang)
        for line, p in sorted(problems, key=lambda lp: lp[0] or 0)
    ]
    return t("directory.import.problems", lang, count=len(problems), problems="\n".join(lines))


def _on(field: str, problem: UserError) -> UserError:
    return UserError(f"{field}: {problem.en}", f"{field}: {problem.ja}")


def holder_from_item(item: object) -> tuple[HolderInput | None, list[UserError]]:
    """One import item ({field: value}) as a holder, or None and its problems. Lists are YAML
    lists of words or text separated by commas or 、 (either language); contact is a Slack
    user id (U…/W…, or a pasted mention <@U…> / <@U…|name>) or an email address; status
    active (default) or paused. Text must fit its column and hold no control character
    (`check_chars`). The holder's `given` is the fields the item has."""
    if not isinstance(item, dict):
        return None, [error("directory.import.not_mapping")]
    problems: list[UserError] = []
    unknown = [str(k) for k in item if k not in FIELDS]
    if unknown:
        fields = ", ".join(unknown)
        problems.append(error("directory.error.unknown_fields", fields=fields, accepted=_ALL))
    text: dict[str, str] = {}
    for field in TEXT_FIELDS:
        text[field], problem = _text(field, item.get(field))
        if problem:
            problems.append(problem)
        elif field in REQUIRED and not text[field]:
            problems.append(error("directory.error.missing", field=field))
        elif field in blocks.LIMITS and (problem := blocks.check_length(field, text[field])):
            problems.append(problem)
    key = blocks.normal_key(text["key"])
    if key and (problem := blocks.check_key(key)):
        problems.append(problem)
    lists = {}
    for kind in blocks.KINDS:
        lists[kind], problem = _codes(kind, item.get(kind))
        problems += [problem] if problem else []
    size = None
    try:
        size = parse_size(text["size"])
    except UserError as problem:
        problems.append(_on("size", problem))
    user, email, problem = _contact(text["contact"])
    problems += [problem] if problem else []
    status = normalize_input(text["status"]).casefold() or HolderStatus.ACTIVE.value
    if status not in {s.value for s in HolderStatus}:
        problems.append(error("directory.error.bad_status", value=text["status"]))
    if problems:
        return None, problems
    return HolderInput(
        key=key,
        name=text["name"],
        organization=text["organization"],
        description=text["description"],
        **{kind: tuple(codes) for kind, codes in lists.items()},
        size_text=text["size"],
        size=size,
        licence=text["licence"],
        access_conditions=text["access_conditions"],
        contact_user=user,
        contact_email=email,
        status=status,
        # an empty status keeps a stored holder's (a blank spreadsheet cell must not un-pause)
        given=frozenset(
            field
            for field in FIELDS
            if field in item and not (field == "status" and not text["status"].strip())
        ),
    ), []


def _text(field: str, value: object) -> tuple[str, UserError | None]:
    """A text field's value, trimmed ("" for none), or "" and why it cannot be one."""
    if value is None:
        return "", None
    if not _is_scalar(value):
        return "", _not_text("directory.error.not_text", field, value)
    value = str(value).strip()
    problem = check_chars(field, value)
    return ("", problem) if problem else (value, None)


def _contact(text: str) -> tuple[str | None, str | None, UserError | None]:
    """(Slack user id, email address, problem) of a contact ("" when none is given)."""
    contact = normalize_input(text)
    if user := blocks.slack_user(contact):
        limit = blocks.LIMITS["contact_user"]
        if len(user) > limit:
            long = error("directory.error.too_long", field="contact", limit=limit, length=len(user))
            return None, None, long
        return user, None, None
    if "@" in contact:
        problem = blocks.check_email(contact)
        return None, contact, _on("contact", problem) if problem else None
    if contact:
        return None, None, error("directory.error.bad_contact", value=contact)
    return None, None, None


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _not_text(key: str, field: str, value: object) -> UserError:
    """The error `key` about `field`, naming the kind of `value` in each language."""
    kinds = {dict: "mapping", list: "list", bool: "bool", bytes: "binary", set: "set"}
    kind = f"directory.kind.{kinds.get(type(value), 'other')}"
    return UserError(*(t(key, lang, field=field, kind=t(kind, lang)) for lang in ("en", "ja")))


def _codes(kind: str, value: object) -> tuple[list[str], UserError | None]:
    """Vocabulary codes of a list cell (a YAML list of words, or words separated by commas);
    a problem naming unknown words and the accepted, or what is not a word."""
    if value is None:
        return [], None
    if isinstance(value, list):
        nested = [v for v in value if v is not None and not _is_scalar(v)]
        if nested:
            return [], _not_text("directory.error.not_word_list", kind, nested[0])
        value = ",".join(str(v) for v in value if v is not None)
    if not _is_scalar(value):
        return [], _not_text("directory.error.not_text", kind, value)
    if problem := check_chars(kind, str(value)):
        return [], problem
    codes, unknown = data_vocab.parse_codes(kind, str(value))
    if not unknown:
        return codes, None
    words = ", ".join(f"“{w}”" for w in unknown)
    accepted = ", ".join(data_vocab.codes(kind))
    return [], error("directory.error.unknown_words", field=kind, words=words, accepted=accepted)
