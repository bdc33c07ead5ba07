"""Block Kit for the governance best-practice library (issue #9): the add modal (from
`/practice add` or the message shortcut **Add to best practices**), the operators' queue post
with **Approve** / **Edit** / **Reject** and their modals, the submitter's receipt and
decision DMs, search results, the list by area, and the quarterly digest. Pure: no I/O.

Anonymity by construction: what these builders get is a `PracticeEntry`, which carries the
organization's name (None: anonymous) and never who submitted it. Everything typed is
escaped at render time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, InputBlock, StaticSelectElement
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import (
    SECTION_TEXT_MAX,
    Message,
    context,
    date_token,
    escape,
    header,
    long_sections,
    section,
    truncate,
)
from bot.blocks.compute import FormErrors
from bot.blocks.trends import link
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.text import check_chars
from bot.parsing.urls import MAX_URL_LENGTH, clean_link, normalize_url, unwrap_link
from storage.practices import PracticeArea, PracticeStatus

TITLE_MAX = 200  # Practice.title
BODY_MAX = 3000  # a plain-text input's limit
REASON_MAX = 1000
SNIPPET = 200  # of the practice text, in search results
QUEUE_SNIPPET = 600  # in `/practice queue`
LINK_SHOWN_MAX = 1000  # a longer link is left out of one-line lists (it would break them)
MAX_BLOCKS = 48  # within Slack's 50 blocks per message, with room for a "more" line
AREAS = tuple(PracticeArea)
ANONYMOUS = "anonymous"  # the organization select's anonymous option


class Ids:
    SHORTCUT = "practice.add_from_message"  # the message shortcut's callback id
    SUBMIT = "practice.add_submit"
    EDIT_SUBMIT = "practice.edit_submit"
    REJECT_SUBMIT = "practice.reject_submit"
    DONE = "practice.done"  # a confirmation view
    APPROVE = "practice.approve"
    EDIT = "practice.edit"
    REJECT = "practice.reject"
    TITLE = "title"
    BODY = "body"
    AREA = "area"
    SOURCE = "source"
    ORG = "org"
    REASON = "reason"


class AddMeta(BaseModel):
    """The add modal's private_metadata."""

    lang: str = "ja"
    origin: str = "command"  # command, shortcut


class ReviewValue(BaseModel):
    """A queue button's value: the entry and the revision the operator saw."""

    practice_id: int
    revision: int
    lang: str = "ja"


class ReviewMeta(ReviewValue):
    """The edit and reject modals' metadata: with where the queue post is (None each when the
    buttons were in an ephemeral list), to update it in place."""

    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class PracticeEntry:
    """A practice as anyone may see it: the organization's name or None (anonymous), never
    the submitter. `reviewed_by` is the deciding operator (shown to operators only)."""

    id: int
    title: str
    body: str
    area: str
    source_url: str | None
    org_name: str | None
    status: str
    revision: int
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    reject_reason: str | None = None


@dataclass(frozen=True)
class AddForm:
    """What the add modal offers and prefills: the submitter's organizations (id, name) and,
    from the shortcut, the message's text and link."""

    orgs: list[tuple[int, str]]
    body: str = ""
    source: str = ""
    origin: str = "command"
    channel: str | None = None


@dataclass(frozen=True)
class PracticeInput:
    """A submitted or edited practice: `source_url` as stored (None: none), `org_id` None for
    anonymous (always None from the edit modal, which does not change it)."""

    title: str
    body: str
    area: str
    source_url: str | None
    org_id: int | None = None


# --- labels and small pieces ----------------------------------------------------------------


def area_label(area: str, lang: str) -> str:
    """The area's name in `lang` ("Other" for an unknown one)."""
    key = area if area in {a.value for a in AREAS} else PracticeArea.OTHER.value
    return t(f"practice.area.{key}", lang)


def org_label(org_name: str | None, lang: str) -> str:
    """The organization's name (escaped), or "Anonymous"."""
    return escape(org_name) if org_name else t("practice.anonymous", lang)


def status_label(status: str, lang: str) -> str:
    return t(f"practice.status.{status}", lang)


def _source_link(url: str | None, lang: str) -> str:
    if not url or len(url) > LINK_SHOWN_MAX:
        return ""
    return link(url, t("practice.source_label", lang))


def _facts(entry: PracticeEntry, lang: str) -> str:
    return f"{area_label(entry.area, lang)} · {org_label(entry.org_name, lang)}"


def practice_lines(entries: list[PracticeEntry], lang: str, *, with_area: bool = True) -> str:
    """One mrkdwn line per entry: `• *Title* (Area · Organization or Anonymous) <link|source>`
    (the link when there is one; the area left out with `with_area=False`, under an area's
    heading), escaped; "" for none."""
    lines = []
    for entry in entries:
        facts = _facts(entry, lang) if with_area else org_label(entry.org_name, lang)
        line = f"• *{escape(entry.title)}* {t('practice.line_facts', lang, facts=facts)}"
        shown = _source_link(entry.source_url, lang)
        lines.append(f"{line} {shown}" if shown else line)
    return "\n".join(lines)


def entry_text(entry: PracticeEntry, lang: str, *, snippet: int = SNIPPET) -> str:
    """A result's section: the title, area and organization, the first `snippet` characters
    of the practice (on one line) and the source link; within Slack's 3000 characters."""
    body = truncate(" ".join(entry.body.split()), snippet)
    lines = [f"*{escape(entry.title)}*", _facts(entry, lang), escape(body)]
    shown = _source_link(entry.source_url, lang)
    if shown:
        lines.append(shown)
    return truncate("\n".join(lines), SECTION_TEXT_MAX)


def _area_sections(group: list[PracticeEntry], count: int, lang: str) -> list:
    """The first `count` entries of one area's `group` under the area's heading."""
    area = group[0].area
    heading = t("practice.area_heading", lang, area=area_label(area, lang), count=len(group))
    return long_sections(f"{heading}\n{practice_lines(group[:count], lang, with_area=False)}")


def _grouped(entries: list[PracticeEntry], lang: str, budget: int) -> tuple[list, int]:
    """Sections of `entries` by area (in the areas' order), each headed by the area's name
    and count; at most `budget` blocks. Returns (blocks, how many entries they show)."""
    blocks: list = []
    shown = 0
    for area in AREAS:
        group = [e for e in entries if e.area == area.value]
        if not group:
            continue
        low, high = 0, len(group)  # the most that fit: more lines never take fewer blocks
        while low < high:
            middle = (low + high + 1) // 2
            if len(blocks) + len(_area_sections(group, middle, lang)) <= budget:
                low = middle
            else:
                high = middle - 1
        if low:
            blocks += _area_sections(group, low, lang)
        shown += low
        if low < len(group):
            break
    return blocks, shown


# --- the add modal ---------------------------------------------------------------------------


def _area_select(lang: str, initial: str | None) -> InputBlock:
    options = [forms.option(area_label(a.value, lang), a.value) for a in AREAS]
    return forms.select(Ids.AREA, t("practice.modal.area", lang), options, initial=initial)


def _text_fields(lang: str, title: str = "", body: str = "") -> list:
    return [
        forms.text(
            Ids.TITLE, t("practice.modal.title_field", lang), max_length=TITLE_MAX, initial=title
        ),
        forms.text(
            Ids.BODY,
            t("practice.modal.body", lang),
            multiline=True,
            max_length=BODY_MAX,
            initial=truncate(body, BODY_MAX) if body else None,
        ),
    ]


def _source_field(lang: str, source: str) -> InputBlock:
    return forms.text(
        Ids.SOURCE,
        t("practice.modal.source", lang),
        max_length=MAX_URL_LENGTH,
        initial=source if source and len(source) <= MAX_URL_LENGTH else None,
        optional=True,
        hint=t("practice.modal.source_hint", lang),
    )


def build_add_modal(form: AddForm, lang: str) -> View:
    """**Add to best practices** (callback `practice.add_submit`): Title, Practice, Area,
    Source link, Organization (the submitter's organizations and Anonymous, preselected)."""
    orgs = [forms.option(t("practice.anonymous", lang), ANONYMOUS)]
    orgs += [forms.option(name, str(org_id)) for org_id, name in form.orgs]
    blocks = [
        *_text_fields(lang, body=form.body),
        _area_select(lang, None),
        _source_field(lang, form.source),
        InputBlock(
            block_id=Ids.ORG,
            label=t("practice.modal.org", lang),
            hint=t("practice.modal.org_hint", lang),
            element=StaticSelectElement(
                action_id=forms.INPUT, options=orgs, initial_option=orgs[0]
            ),
        ),
        context(t("practice.modal.review_note", lang)),
    ]
    if form.channel and form.channel[:1] in ("C", "G"):
        blocks.append(context(t("practice.modal.from", lang, channel=form.channel)))
    return forms.modal(
        Ids.SUBMIT,
        title=t("practice.modal.title", lang),
        submit=t("practice.modal.submit", lang),
        close=t("practice.modal.close", lang),
        metadata=AddMeta(lang=lang, origin=form.origin).model_dump_json(),
        blocks=blocks,
    )


def add_meta(view: dict) -> AddMeta:
    try:
        return AddMeta.model_validate(json.loads(view.get("private_metadata") or "{}"))
    except (ValueError, TypeError):
        return AddMeta()


def check_link(text: str) -> str | None:
    """The source link as stored: the address as given (Slack's `<url|label>` unwrapped)
    without tracking parameters; None when empty. Raises UserError for anything that is not
    an http(s) address with a host, one with a user name or password, or one too long (the
    trend links' rules, `bot.parsing.urls.normalize_url`)."""
    raw = unwrap_link(text or "")
    if not raw:
        return None
    try:
        normalize_url(raw)
    except UserError as error:
        try:
            has_credentials = urlsplit(raw).username is not None
        except ValueError:
            has_credentials = False
        if has_credentials or len(raw) > MAX_URL_LENGTH:
            raise  # its message says what is wrong, for any link
        shown = escape(truncate(raw, 200))
        raise UserError(
            t("practice.error.bad_link", "en", url=shown),
            t("practice.error.bad_link", "ja", url=shown),
        ) from error
    return clean_link(raw)


def _checked(errors: dict, block_id: str, text: str, limit: int, key: str) -> str:
    bad = check_chars(None, text)
    if bad is not None:
        errors[block_id] = bad
    elif len(text) > limit:
        errors[block_id] = UserError(t(key, "en", limit=limit), t(key, "ja", limit=limit))
    return text


def _parse_fields(values: dict, errors: dict) -> tuple[str, str, str | None, str | None]:
    title = _checked(
        errors,
        Ids.TITLE,
        forms.typed(values, Ids.TITLE),
        TITLE_MAX,
        "practice.error.title_too_long",
    )
    body = _checked(
        errors, Ids.BODY, forms.typed(values, Ids.BODY), BODY_MAX, "practice.error.body_too_long"
    )
    for block_id, text in ((Ids.TITLE, title), (Ids.BODY, body)):
        if not text and block_id not in errors:
            errors[block_id] = UserError(
                t("practice.error.required", "en"), t("practice.error.required", "ja")
            )
    area = forms.chosen(values, Ids.AREA)
    if area not in {a.value for a in AREAS}:
        errors[Ids.AREA] = UserError(
            t("practice.error.bad_area_choice", "en"), t("practice.error.bad_area_choice", "ja")
        )
    source = None
    raw = forms.typed(values, Ids.SOURCE)
    bad = check_chars(None, raw)
    if bad is not None:
        errors[Ids.SOURCE] = bad
    else:
        try:
            source = check_link(raw)
        except UserError as error:
            errors[Ids.SOURCE] = error
    return title, body, area, source


def parse_add_submission(view: dict) -> PracticeInput:
    """The typed practice; raises FormErrors under each wrong field. The organization is
    checked against the submitter's memberships by the service."""
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    title, body, area, source = _parse_fields(values, errors)
    org = forms.chosen(values, Ids.ORG) or ANONYMOUS
    org_id = None
    if org != ANONYMOUS:
        try:
            org_id = int(org)
        except ValueError:
            errors[Ids.ORG] = UserError(
                t("practice.error.not_your_org", "en"), t("practice.error.not_your_org", "ja")
            )
    if errors:
        raise FormErrors(errors)
    return PracticeInput(title=title, body=body, area=area, source_url=source, org_id=org_id)


# --- the operators' queue -------------------------------------------------------------------


def _buttons(entry: PracticeEntry, lang: str) -> ActionsBlock:
    value = ReviewValue(practice_id=entry.id, revision=entry.revision, lang=lang).model_dump_json()
    return ActionsBlock(
        block_id=f"practice_review_{entry.id}",
        elements=[
            ButtonElement(
                action_id=Ids.APPROVE,
                text=t("practice.approve", lang),
                value=value,
                style="primary",
            ),
            ButtonElement(action_id=Ids.EDIT, text=t("practice.edit", lang), value=value),
            ButtonElement(
                action_id=Ids.REJECT, text=t("practice.reject", lang), value=value, style="danger"
            ),
        ],
    )


def _decided_note(entry: PracticeEntry, tz, lang: str) -> str:
    when = entry.reviewed_at
    at = (
        date_token(when, "{date_short} {time}", f"{when.astimezone(tz):%Y-%m-%d %H:%M}")
        if when
        else ""
    )
    note = t(f"practice.decided.{entry.status}", lang, user=entry.reviewed_by or "?", at=at)
    if entry.reject_reason:
        note += "\n" + t("practice.reason", lang, text=escape(entry.reject_reason))
    return note


def build_queue_post(entry: PracticeEntry, tz, lang: str) -> Message:
    """The operator channel's post for one submission: the entry in full, then the buttons
    while it is pending, or who decided (and why, for a rejection) once it is not."""
    title = t("practice.queue.post_title", lang, id=entry.id)
    facts = t("practice.queue.facts", lang, facts=_facts(entry, lang), revision=entry.revision)
    blocks = [
        header(title),
        section(f"*{escape(entry.title)}*\n{facts}"),
        *long_sections(escape(entry.body)),
    ]
    if entry.source_url:
        blocks.append(section(truncate(link(entry.source_url), SECTION_TEXT_MAX)))
    if entry.status == PracticeStatus.PENDING.value:
        blocks.append(_buttons(entry, lang))
    else:
        blocks += long_sections(_decided_note(entry, tz, lang))
    text = (
        f"{title}: {entry.title}"
        if entry.status == PracticeStatus.PENDING.value
        else (f"{title}: {status_label(entry.status, lang)}")
    )
    return Message.of(text, blocks)


def build_queue_list(entries: list[PracticeEntry], total: int, lang: str) -> Message:
    """`/practice queue` (operators): the pending entries, oldest first, each with the
    buttons; how many more are waiting."""
    title = t("practice.queue.header", lang, count=total)
    if not entries:
        return Message.of(title, [section(t("practice.queue.empty", lang))])
    blocks = [header(title), context(t("practice.queue.hint", lang))]
    for entry in entries:
        text = f"#{entry.id} · " + entry_text(entry, lang, snippet=QUEUE_SNIPPET)
        blocks.append(section(truncate(text, SECTION_TEXT_MAX), block_id=f"practice_{entry.id}"))
        blocks.append(_buttons(entry, lang))
    if total > len(entries):
        blocks.append(context(t("practice.more", lang, count=total - len(entries))))
    return Message.of(title, blocks)


def build_edit_modal(entry: PracticeEntry, meta: ReviewMeta, lang: str) -> View:
    """**Edit** (callback `practice.edit_submit`): the entry's fields prefilled; the
    organization shown, not changed."""
    blocks = [
        *_text_fields(lang, entry.title, entry.body),
        _area_select(lang, entry.area),
        _source_field(lang, entry.source_url or ""),
        context(t("practice.modal.org_fixed", lang, org=org_label(entry.org_name, lang))),
    ]
    return forms.modal(
        Ids.EDIT_SUBMIT,
        title=t("practice.modal.edit_title", lang),
        submit=t("practice.modal.save", lang),
        close=t("practice.modal.close", lang),
        metadata=meta.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def build_reject_modal(entry: PracticeEntry, meta: ReviewMeta, lang: str) -> View:
    """**Reject** (callback `practice.reject_submit`): the entry's title and a required
    reason, which the submitter receives."""
    blocks = [
        section(f"*{escape(entry.title)}*\n{_facts(entry, lang)}"),
        forms.text(
            Ids.REASON,
            t("practice.modal.reason", lang),
            multiline=True,
            max_length=REASON_MAX,
            hint=t("practice.modal.reason_hint", lang),
        ),
    ]
    return forms.modal(
        Ids.REJECT_SUBMIT,
        title=t("practice.modal.reject_title", lang),
        submit=t("practice.reject", lang),
        close=t("practice.modal.close", lang),
        metadata=meta.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def review_meta(view: dict) -> ReviewMeta | None:
    """The edit or reject modal's metadata; None when it is not readable."""
    try:
        return ReviewMeta.model_validate_json(view.get("private_metadata") or "")
    except ValidationError:
        return None


def parse_edit_submission(view: dict) -> PracticeInput:
    """The edited fields; raises FormErrors under each wrong field."""
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    title, body, area, source = _parse_fields(values, errors)
    if errors:
        raise FormErrors(errors)
    return PracticeInput(title=title, body=body, area=area, source_url=source)


def parse_reject_submission(view: dict) -> str:
    """The reason (required); raises FormErrors when empty, too long or unstorable."""
    errors: dict[str, UserError] = {}
    reason = _checked(
        errors,
        Ids.REASON,
        forms.typed(forms.values_of(view), Ids.REASON),
        REASON_MAX,
        "practice.error.reason_too_long",
    )
    if not reason and not errors:
        errors[Ids.REASON] = UserError(
            t("practice.error.required", "en"), t("practice.error.required", "ja")
        )
    if errors:
        raise FormErrors(errors)
    return reason


def build_done_view(text: str, lang: str) -> View:
    """What a modal turns into when there is no queue post to update: the answer, Close."""
    return View(
        type="modal",
        callback_id=Ids.DONE,
        title=t("practice.modal.queue_title", lang),
        close=t("practice.modal.done", lang),
        blocks=[section(text)],
    )


# --- the submitter's messages -----------------------------------------------------------------


def build_receipt(entry: PracticeEntry, lang: str) -> Message:
    """The submitter's DM: sent for review, shown as which organization (or anonymous)."""
    text = t("practice.receipt", lang, title=escape(entry.title), facts=_facts(entry, lang))
    return Message.of(text, [section(text)])


def build_decision_dm(entry: PracticeEntry, lang: str) -> Message:
    """The submitter's DM once decided: approved (now in the library), or rejected with the
    operator's reason. Names neither the submitter nor the operator."""
    text = t(f"practice.dm.{entry.status}", lang, title=escape(entry.title))
    blocks = [section(text)]
    if entry.reject_reason:
        blocks += long_sections(t("practice.reason", lang, text=escape(entry.reject_reason)))
    return Message.of(text, blocks)


# --- search, list, digest -------------------------------------------------------------------


def build_search_results(
    entries: list[PracticeEntry], total: int, query: str, lang: str
) -> Message:
    """`/practice search`: the newest matches, how many more there are."""
    title = t("practice.search.header", lang, query=truncate(query, 80), count=total)
    if not entries:
        return Message.of(
            title, [section(t("practice.search.none", lang, query=escape(truncate(query, 200))))]
        )
    blocks = [header(title)]
    blocks += [
        section(entry_text(entry, lang), block_id=f"practice_{entry.id}") for entry in entries
    ]
    if total > len(entries):
        blocks.append(context(t("practice.search.more", lang, count=total - len(entries))))
    return Message.of(title, blocks)


def build_list(entries: list[PracticeEntry], area: str | None, lang: str) -> Message:
    """`/practice list [area]`: approved entries grouped by area; how many more when they do
    not fit in one message."""
    if area:
        title = t(
            "practice.list.header_area", lang, area=area_label(area, lang), count=len(entries)
        )
    else:
        title = t("practice.list.header", lang, count=len(entries))
    if not entries:
        return Message.of(title, [section(t("practice.list.empty", lang))])
    grouped, shown = _grouped(entries, lang, MAX_BLOCKS - 2)
    blocks = [header(title), *grouped]
    if shown < len(entries):
        blocks.append(context(t("practice.more_hint", lang, count=len(entries) - shown)))
    return Message.of(title, blocks)


def build_digest(entries: list[PracticeEntry], quarter: str, lang: str) -> Message:
    """The quarterly digest: the practices approved in `quarter`, grouped by area."""
    title = t("practice.digest.header", lang, quarter=quarter)
    intro = t("practice.digest.intro", lang, count=len(entries))
    grouped, shown = _grouped(entries, lang, MAX_BLOCKS - 3)
    blocks = [header(title), context(intro), *grouped]
    if shown < len(entries):
        blocks.append(context(t("practice.more_hint", lang, count=len(entries) - shown)))
    return Message.of(f"{title}: {intro}", blocks)
