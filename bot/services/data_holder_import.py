"""Reading data-holder files for `kiban import holders` and the setup file's `data_holders:`:
YAML (a list, or a mapping with `data_holders:`) or CSV with a header, each item checked
with the modal's rules. All or nothing: every problem is listed with its line (YAML: the
item's line; CSV: the row's), bilingual, and no holder is returned.
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
from bot.parsing.text import normalize_input
from bot.services import data_vocab
from bot.services.admin import LINE_KEY, _LineLoader, _strip_lines
from storage.data_holders import HolderStatus

# the fields of an import item (YAML) or the columns of a row (CSV)
FIELDS = tuple(
    "key name organization description domains modalities languages size licence "
    "access_conditions contact status".split()
)
TEXT_FIELDS = tuple(field for field in FIELDS if field not in blocks.KINDS)
_ALL = ", ".join(FIELDS)


# --- reading -------------------------------------------------------------------------------------


def load_holders(text: str, filename: str) -> list[HolderInput]:
    """The holders in an import file, YAML (`.yaml`/`.yml`: a list, or a mapping with a
    `data_holders:` list) or CSV (`.csv`: a header line naming the columns), by extension.
    Raises UserError listing every problem with its line (YAML: the item's, CSV: the row's)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return holders_from_items(*_csv_items(text))
    if suffix not in (".yaml", ".yml"):
        raise error("directory.import.format", file=filename)
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (SafeLoader subclass)
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
    items = [(i.get(LINE_KEY) if isinstance(i, dict) else None, _strip_lines(i)) for i in value]
    return holders_from_items(items)


def _csv_items(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, UserError]]]:
    """(line of the row, {column: cell}) for each non-empty row; problems of the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        raise error("directory.import.no_header")
    header_line = reader.line_num
    columns = [data_vocab.normalise(cell) for cell in header]
    unknown = [c for c in columns if c and c not in FIELDS]
    problems = []
    if unknown:
        fields = ", ".join(unknown)
        problems.append(
            (header_line, error("directory.error.unknown_fields", fields=fields, accepted=_ALL))
        )
    items = []
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            item = {c: cell for c, cell in zip(columns, row, strict=False) if c in FIELDS}
            extra = [cell for cell in row[len(columns) :] if cell.strip()]
            if extra:
                item[f"(column {len(columns) + 1})"] = extra[0]
            items.append((start, item))
        start = reader.line_num + 1
    return items, problems


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
    lists or text separated by commas or 、 (either language); contact is a Slack user id
    (U…/W…) or an email address; status active (default) or paused."""
    if not isinstance(item, dict):
        return None, [error("directory.import.not_mapping")]
    problems: list[UserError] = []
    unknown = [str(k) for k in item if k not in FIELDS]
    if unknown:
        fields = ", ".join(unknown)
        problems.append(error("directory.error.unknown_fields", fields=fields, accepted=_ALL))
    text: dict[str, str] = {}
    for field in TEXT_FIELDS:
        value = item.get(field)
        if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
            text[field] = "" if value is None else str(value).strip()
        else:
            problems.append(error("directory.error.not_text", field=field, kind=_kind(value)))
            text[field] = ""
    key = blocks.normal_key(text["key"])
    for field in ("key", "name", "contact"):
        if not text[field]:
            problems.append(error("directory.error.missing", field=field))
    if key and (problem := blocks.check_key(key)):
        problems.append(problem)
    for field in ("name", "organization", "description", "size", "licence", "access_conditions"):
        if problem := blocks.check_length(field, text[field]):
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
    contact = normalize_input(text["contact"])
    user = email = None
    if blocks.USER_PATTERN.match(contact):
        user = contact
    elif "@" in contact:
        email = contact
        if problem := blocks.check_email(contact):
            problems.append(_on("contact", problem))
    elif contact:
        problems.append(error("directory.error.bad_contact", value=contact))
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
    ), []


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), "that")


def _codes(kind: str, value: object) -> tuple[list[str], UserError | None]:
    """Vocabulary codes of a list cell; a problem naming unknown words and the accepted."""
    if value is None:
        return [], None
    if isinstance(value, list):
        value = ",".join(str(v) for v in value if v is not None)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return [], error("directory.error.not_text", field=kind, kind=_kind(value))
    codes, unknown = data_vocab.parse_codes(kind, str(value))
    if not unknown:
        return codes, None
    words = ", ".join(f"“{w}”" for w in unknown)
    accepted = ", ".join(data_vocab.codes(kind))
    return [], error("directory.error.unknown_words", field=kind, words=words, accepted=accepted)
