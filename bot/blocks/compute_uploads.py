"""Block Kit for usage files sent to Kiban in Slack: the preview with Import / Cancel, and the
message it becomes once decided (or when Import is refused because the figures changed).

The preview never hides a month silently. Each allocation lists up to `MONTHS_SHOWN` months
Import would store and `NOT_IMPORTED_SHOWN` months it would not (with why); beyond that one line
says how many more, which months and their GPU-hours. The list is split over sections within
Slack's 3000-character limit; should it still need more than `LIST_SECTIONS_MAX` sections,
fewer months are listed per allocation, then each allocation is one line, and allocations that
still do not fit are counted (months and GPU-hours) in a last line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ValidationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
)

from bot.blocks.common import (
    SECTION_TEXT_MAX,
    Message,
    context,
    escape,
    header,
    long_sections,
    section,
)
from bot.blocks.compute import hours
from bot.i18n import t

SKIPPED_SHOWN = 10
MONTHS_SHOWN = 24  # months Import would store, listed per allocation
NOT_IMPORTED_SHOWN = 12  # months it would not store, listed per allocation
LIST_SECTIONS_MAX = 12  # sections for the list of months (Slack allows 50 blocks in all)
NOT_IMPORTED = ("outside", "future")  # statuses of months not imported
CONTEXT_ELEMENTS_MAX = 10  # Slack's limit per context block


class Ids(StrEnum):
    IMPORT = "compute.upload.import"
    CANCEL = "compute.upload.cancel"


class PendingRef(BaseModel):
    """The buttons' value: which pending import, and `seen`, the newest usage report (id)
    when the preview was made, so Import can tell what changed since."""

    pending_id: int
    seen: int | None = None


def seen_in(shown: list[dict], pending_id: int) -> int | None:
    """`PendingRef.seen` of the buttons for `pending_id` in a message's blocks, if any."""
    buttons = [
        element
        for block in shown
        if block.get("type") == "actions"
        for element in block.get("elements") or []
    ]
    for element in buttons:
        try:
            ref = PendingRef.model_validate_json(element.get("value") or "")
        except ValidationError:
            continue
        if ref.pending_id == pending_id and ref.seen is not None:
            return ref.seen
    return None


@dataclass(frozen=True)
class PreviewLine:
    allocation: str
    month: str
    before: float | None  # the current figure it replaces, if any
    after: float | None  # GPU-hours; None only for a month not imported whose hours are unknown
    status: str  # created | revised | unchanged | duplicate; not imported: outside | future
    org: str = ""  # the organization, as shown: its name (and code)
    reason: tuple[str, str] | None = None  # why it is not imported (en, ja)

    @property
    def imported(self) -> bool:
        return self.status not in NOT_IMPORTED


@dataclass(frozen=True)
class Preview:
    pending_id: int
    filename: str
    file_format: str
    org_name: str
    rows_read: int
    lines: list[PreviewLine]
    skipped: list[tuple[int, str, str]]  # (line, en, ja)
    notes: list[tuple[str, str]]  # other remarks (en, ja), e.g. jobs of another GPU type
    seen: int | None = None  # see PendingRef


@dataclass
class _Group:
    """One organization's allocation in the preview: months Import stores, and those it does
    not, each by month."""

    org: str
    allocation: str
    imported: list[PreviewLine] = field(default_factory=list)
    refused: list[PreviewLine] = field(default_factory=list)


def build_preview(preview: Preview, lang: str) -> Message:
    """What the file holds and what Import would change; nothing is stored yet."""
    title = t("upload.preview.title", lang, filename=preview.filename)
    blocks: list[Block] = [
        header(title),
        section(
            t(
                "upload.preview.intro",
                lang,
                format=t(f"compute.source.{preview.file_format}", lang),
                org=escape(preview.org_name),
                rows=f"{preview.rows_read:,}",
            )
        ),
    ]
    blocks += _month_sections(preview.lines, lang)
    remarks = [en if lang == "en" else ja for en, ja in preview.notes]
    remarks += [
        t("upload.skipped", lang, line=line, reason=escape(en if lang == "en" else ja))
        for line, en, ja in preview.skipped[:SKIPPED_SHOWN]
    ]
    if len(preview.skipped) > SKIPPED_SHOWN:
        remarks.append(t("upload.more_skipped", lang, count=len(preview.skipped) - SKIPPED_SHOWN))
    if remarks:
        blocks += _context_blocks("\n".join(remarks))
    value = PendingRef(pending_id=preview.pending_id, seen=preview.seen).model_dump_json(
        exclude_none=True
    )
    buttons = [ButtonElement(action_id=Ids.CANCEL, text=t("upload.cancel", lang), value=value)]
    if any(line.status in ("created", "revised") for line in preview.lines):
        buttons.insert(
            0,
            ButtonElement(
                action_id=Ids.IMPORT, text=t("upload.import", lang), value=value, style="primary"
            ),
        )
    blocks.append(ActionsBlock(block_id="upload", elements=buttons))
    return Message.of(title, blocks)


def build_decided(shown: list[dict], text: str) -> Message:
    """The preview once decided: its buttons replaced by what happened."""
    kept = [block for block in shown if block.get("type") != "actions"]
    return Message(text=text, blocks=kept + [context(text).to_dict()])


def build_refused(shown: list[dict], text: str) -> Message:
    """The preview when Import was refused: why, and only Cancel left (it stays pending)."""
    kept = [block for block in shown if block.get("type") != "actions"]
    cancel = [
        {**block, "elements": [e for e in block["elements"] if e.get("action_id") == Ids.CANCEL]}
        for block in shown
        if block.get("type") == "actions"
    ]
    return Message(
        text=text,
        blocks=kept + [context(text).to_dict()] + [b for b in cancel if b["elements"]],
    )


def _context_blocks(text: str) -> list[ContextBlock]:
    """All of `text` (escaped) in context blocks, within Slack's limits."""
    chunks = [block.text.text for block in long_sections(text)]
    return [
        ContextBlock(
            elements=[MarkdownTextObject(text=c) for c in chunks[i : i + CONTEXT_ELEMENTS_MAX]]
        )
        for i in range(0, len(chunks), CONTEXT_ELEMENTS_MAX)
    ]


def _groups(lines: list[PreviewLine]) -> list[_Group]:
    """Lines by organization and allocation (in order of first appearance, an organization's
    allocations together), each by month."""
    groups: dict[tuple[str, str], _Group] = {}
    for line in lines:
        group = groups.setdefault((line.org, line.allocation), _Group(line.org, line.allocation))
        (group.imported if line.imported else group.refused).append(line)
    orgs = list(dict.fromkeys(line.org for line in lines))
    ordered = sorted(groups.values(), key=lambda g: orgs.index(g.org))
    for group in ordered:
        group.imported.sort(key=lambda line: line.month)
        group.refused.sort(key=lambda line: line.month)
    return ordered


def _month_sections(lines: list[PreviewLine], lang: str) -> list[Block]:
    """The months Import would store and those it would not, in sections (see the module
    docstring for how a long list is shortened, always saying what is left out)."""
    if not lines:
        return [section(t("upload.preview.nothing", lang))]
    groups = _groups(lines)
    many_orgs = len({g.org for g in groups}) > 1
    lead = [] if any(g.imported for g in groups) else [t("upload.preview.none_importable", lang)]
    for shown, refused_shown in ((MONTHS_SHOWN, NOT_IMPORTED_SHOWN), (6, 3), (0, 0)):
        rendered = [
            _group_text(g, i, groups, many_orgs, shown, refused_shown, lang)
            for i, g in enumerate(groups)
        ]
        sections = long_sections("\n".join(lead + rendered))
        if len(sections) <= LIST_SECTIONS_MAX:
            return sections
    # hundreds of allocations: one line each while they fit, then the rest counted
    budget = LIST_SECTIONS_MAX * (SECTION_TEXT_MAX // 2) - 1000
    out, size = list(lead), sum(len(x) + 1 for x in lead)
    for i, text in enumerate(rendered):
        if size + len(text) + 1 > budget:
            out.append(_more_allocations(groups[i:], lang))
            break
        out.append(text)
        size += len(text) + 1
    return long_sections("\n".join(out))


def _group_text(
    group: _Group,
    index: int,
    groups: list[_Group],
    many_orgs: bool,
    shown: int,
    refused_shown: int,
    lang: str,
) -> str:
    out = []
    if many_orgs and (index == 0 or groups[index - 1].org != group.org):
        out.append(f"*{escape(group.org)}*")
    allocation = escape(group.allocation)
    if len(group.imported) <= shown + 1:  # one line more is no longer than its summary
        out += [_line(line, lang) for line in group.imported]
    else:
        out += [_line(line, lang) for line in group.imported[:shown]]
        out.append(_more(allocation, group.imported[shown:], lang, some_shown=shown > 0))
    if len(group.refused) <= refused_shown + 1:
        out += [_line(line, lang) for line in group.refused]
    else:
        out += [_line(line, lang) for line in group.refused[:refused_shown]]
        by_reason: dict[tuple[str, str] | None, list[PreviewLine]] = defaultdict(list)
        for line in group.refused[refused_shown:]:
            by_reason[line.reason].append(line)
        for reason, rest in by_reason.items():
            out.append(_more_refused(allocation, rest, reason, lang, some_shown=refused_shown > 0))
    return "\n".join(out)


def _line(line: PreviewLine, lang: str) -> str:
    allocation = escape(line.allocation)
    if not line.imported:
        en, ja = line.reason or ("", "")
        key = "upload.line.not_imported" + ("_no_hours" if line.after is None else "")
        return t(
            key,
            lang,
            allocation=allocation,
            month=line.month,
            after=hours(line.after, lang),
            reason=escape(en if lang == "en" else ja),
        )
    key = (
        "upload.line.replaces"
        if line.before is not None and line.status == "revised"
        else (
            "upload.line.same" if line.status in ("unchanged", "duplicate") else "upload.line.new"
        )
    )
    return t(
        key,
        lang,
        allocation=allocation,
        month=line.month,
        after=hours(line.after, lang),
        before=hours(line.before, lang),
    )


def _detail(lines: list[PreviewLine], lang: str) -> str:
    """How many of `lines` are new, replace a current figure, or change nothing."""
    counts = {
        "new": sum(1 for line in lines if line.status == "created"),
        "replaces": sum(1 for line in lines if line.status == "revised"),
        "same": sum(1 for line in lines if line.status in ("unchanged", "duplicate")),
    }
    return t("upload.more.separator", lang).join(
        t(f"upload.more.{kind}", lang, count=f"{count:,}")
        for kind, count in counts.items()
        if count
    )


def _total(lines: list[PreviewLine]) -> float | None:
    """The GPU-hours of `lines`, or None when some are unknown."""
    if any(line.after is None for line in lines):
        return None
    return sum(line.after for line in lines)


def _more(allocation: str, rest: list[PreviewLine], lang: str, *, some_shown: bool) -> str:
    return t(
        "upload.line.more" if some_shown else "upload.line.all",
        lang,
        allocation=allocation,
        count=f"{len(rest):,}",
        first=rest[0].month,
        last=rest[-1].month,
        hours=hours(_total(rest), lang),
        detail=_detail(rest, lang),
    )


def _more_refused(
    allocation: str,
    rest: list[PreviewLine],
    reason: tuple[str, str] | None,
    lang: str,
    *,
    some_shown: bool,
) -> str:
    total = _total(rest)
    key = "upload.line.more_not_imported" if some_shown else "upload.line.all_not_imported"
    en, ja = reason or ("", "")
    return t(
        key + ("_no_hours" if total is None else ""),
        lang,
        allocation=allocation,
        count=f"{len(rest):,}",
        first=rest[0].month,
        last=rest[-1].month,
        hours=hours(total, lang),
        reason=escape(en if lang == "en" else ja),
    )


def _more_allocations(groups: list[_Group], lang: str) -> str:
    imported = [line for g in groups for line in g.imported]
    refused = [line for g in groups for line in g.refused]
    parts = []
    if imported:
        parts.append(
            t(
                "upload.more_allocations.months",
                lang,
                count=f"{len(imported):,}",
                hours=hours(_total(imported), lang),
                detail=_detail(imported, lang),
            )
        )
    if refused:
        total = _total(refused)
        parts.append(
            t(
                "upload.more_allocations.not_imported" + ("_no_hours" if total is None else ""),
                lang,
                count=f"{len(refused):,}",
                hours=hours(total, lang),
            )
        )
    return t(
        "upload.more_allocations",
        lang,
        count=f"{len(groups):,}",
        parts=t("upload.more.separator", lang).join(parts),
    )
