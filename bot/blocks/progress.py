"""Block Kit for survey projects' progress reports (issue #9): the "Report project progress"
modal and its reader, the reporter's confirmation, the secretariat's post with **Advice** and
**Mark for dissemination**, the advice modal and DM, `/progress status`, and the reminders.
Pure: no I/O. Button values and private_metadata are small pydantic models (add fields, never
rename: buttons stay clickable forever). User text is stored as typed and escaped here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import Message, context, escape, header, long_sections, section, truncate
from bot.blocks.compute import FormErrors, OrgChoice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.months import parse_month
from bot.parsing.text import check_chars

__all__ = ["FormErrors", "OrgChoice"]

TEXT_MAX = forms.TEXT_MAX  # Slack's limit for a plain-text input: 3000 characters
HELP_SHOWN_MAX = 300  # a help request as quoted in `/progress status`


class Ids(StrEnum):
    REPORT_SUBMIT = "progress.report.submit"
    ADVICE = "progress.advice"
    ADVICE_SUBMIT = "progress.advice.submit"
    DISSEMINATE = "progress.disseminate"
    ORG = "org"
    MONTH = "month"
    PLAN = "plan"
    PROGRESS = "progress"
    ISSUES = "issues"
    IMPROVEMENT = "improvement_plan"
    RESULTS = "results"
    HELP = "help_needed"
    ADVICE_TEXT = "advice"
    INPUT = forms.INPUT


# (block id = ReportTexts attribute, label key, required)
TEXT_FIELDS = (
    (Ids.PLAN, "progress.field.plan", True),
    (Ids.PROGRESS, "progress.field.progress", True),
    (Ids.ISSUES, "progress.field.issues", True),
    (Ids.IMPROVEMENT, "progress.field.improvement_plan", True),
    (Ids.RESULTS, "progress.field.results", False),
    (Ids.HELP, "progress.field.help_needed", False),
)


@dataclass(frozen=True)
class ReportTexts:
    """The report's six texts as typed (stripped); the last two optional (None when blank)."""

    plan: str
    progress: str
    issues: str
    improvement_plan: str
    results: str | None = None
    help_needed: str | None = None

    def as_tuple(self) -> tuple:
        return (
            self.plan,
            self.progress,
            self.issues,
            self.improvement_plan,
            self.results,
            self.help_needed,
        )


@dataclass(frozen=True)
class ReportForm:
    """What the modal offers: the survey projects the actor may report for, and the current
    revision for the default month when only one project can be chosen."""

    orgs: list[OrgChoice]
    default_month: str  # YYYY-MM
    prefill: ReportTexts | None = None
    prefill_revision: int | None = None


@dataclass(frozen=True)
class ReportInput:
    """A parsed, well-formed submission (rules needing the database are the service's)."""

    org_id: int
    month: str  # YYYY-MM
    texts: ReportTexts


class ReportMeta(BaseModel):
    """The modal's private_metadata: the single organization (when not a select), language,
    and what was filled in from a current report (its month and a digest of each filled field,
    so text left as it was is recognised when the month is changed, without storing it)."""

    org_id: int | None = None
    lang: str = "ja"
    prefill_month: str | None = None
    prefill_digests: dict[str, str] = {}


class ReportRef(BaseModel):
    """The value of the secretariat post's buttons: the revision the post shows."""

    report_id: int
    org_id: int
    month: str
    revision: int = 1


class AdviceMeta(ReportRef):
    """The advice modal's private_metadata: the report, language, and where the post is (to
    reply in its thread)."""

    lang: str = "ja"
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class AdviceInput:
    meta: AdviceMeta
    text: str


def _digest(text: str | None) -> str:
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


# --- the report modal ------------------------------------------------------------------------


def build_report_modal(form: ReportForm, lang: str) -> View:
    """The "Report project progress" modal (callback id `progress.report.submit`)."""
    blocks = [section(t("progress.modal.intro", lang))]
    if form.prefill:
        blocks.append(
            context(
                t(
                    "progress.modal.prefilled",
                    lang,
                    month=form.default_month,
                    revision=form.prefill_revision,
                )
            )
        )
    several = len(form.orgs) > 1
    if several:
        options = [forms.option(f"{o.name} ({o.code})", str(o.id)) for o in form.orgs]
        blocks.append(forms.select(Ids.ORG, t("progress.field.org", lang), options))
    else:
        org = form.orgs[0]
        blocks.append(context(f"*{t('progress.field.org', lang)}:* {escape(org.name)}"))
    blocks.append(
        forms.text(
            Ids.MONTH,
            t("progress.field.month", lang),
            max_length=20,
            initial=form.default_month,
            hint=t("progress.field.month_hint", lang, example=form.default_month),
        )
    )
    prefilled = _prefilled(form.prefill)
    for block_id, label_key, required in TEXT_FIELDS:
        blocks.append(
            forms.text(
                block_id,
                t(label_key, lang),
                multiline=True,
                max_length=TEXT_MAX,
                initial=prefilled.get(block_id),
                optional=not required,
                hint=t("progress.field.results_hint", lang) if block_id == Ids.RESULTS else None,
            )
        )
    meta = ReportMeta(org_id=None if several else form.orgs[0].id, lang=lang)
    if form.prefill:
        meta.prefill_month = form.default_month
        meta.prefill_digests = {k: _digest(v) for k, v in prefilled.items() if v}
    return forms.modal(
        Ids.REPORT_SUBMIT,
        title=t("progress.modal.title", lang),
        submit=t("progress.modal.submit", lang),
        close=t("progress.modal.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def _prefilled(texts: ReportTexts | None) -> dict[str, str | None]:
    if texts is None:
        return {}
    return {block_id: getattr(texts, block_id) for block_id, _, _ in TEXT_FIELDS}


def report_meta(view: dict) -> ReportMeta:
    return ReportMeta.model_validate_json(view.get("private_metadata") or "{}")


def check_text(text: str, *, required: bool) -> UserError | None:
    """Why a typed text cannot be stored (required and blank, too long, a control character),
    or None."""
    if not text:
        return _error("progress.error.required") if required else None
    if len(text) > TEXT_MAX:
        return _error("progress.error.too_long", limit=f"{TEXT_MAX:,}", count=f"{len(text):,}")
    return check_chars(None, text)


def parse_report_submission(view: dict) -> tuple[ReportMeta, ReportInput]:
    """Read a submitted report modal (`view` from the view_submission payload).

    Returns the metadata and the input. Raises:
        FormErrors: block_id → UserError for every field that is wrong, all at once: no
            organization chosen, a malformed month, a required text blank (whitespace only
            counts as blank), a text over 3000 characters or holding a control character, or
            text filled in from another month's report left as it was after the month changed.
    """
    meta = report_meta(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}

    org_id = meta.org_id
    if org_id is None:
        chosen = forms.chosen(values, Ids.ORG)
        if chosen and chosen.isdigit():
            org_id = int(chosen)
        else:
            errors[Ids.ORG] = _error("compute.error.pick_org")

    month = None
    try:
        month = parse_month(forms.typed(values, Ids.MONTH)).strftime("%Y-%m")
    except UserError as error:
        errors[Ids.MONTH] = error

    texts: dict[str, str | None] = {}
    for block_id, _label, required in TEXT_FIELDS:
        text = forms.typed(values, block_id)
        problem = check_text(text, required=required)
        if problem:
            errors[block_id] = problem
        texts[block_id] = text or None

    if meta.prefill_month and month and month != meta.prefill_month:
        for block_id, digest in meta.prefill_digests.items():
            if texts.get(block_id) and _digest(texts[block_id]) == digest:
                errors.setdefault(
                    block_id,
                    _error(
                        "compute.error.prefilled_elsewhere", source=meta.prefill_month, month=month
                    ),
                )

    if errors:
        raise FormErrors(errors)
    return meta, ReportInput(org_id=org_id, month=month, texts=ReportTexts(**texts))


# --- messages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSummary:
    """What a stored revision says, for confirmations and the secretariat's post (unescaped)."""

    report_id: int
    org_id: int
    org_name: str
    month: str
    revision: int
    reporter: str
    texts: ReportTexts


def build_confirmation(summary: ReportSummary, status: str, lang: str) -> Message:
    """The reporter's DM: `status` created / revised / unchanged."""
    text = t(
        f"progress.confirm.{status}",
        lang,
        org=escape(summary.org_name),
        month=summary.month,
        revision=summary.revision,
    )
    return Message.of(text, [section(text)])


def _fields(texts: ReportTexts, lang: str, *, with_help: bool = True) -> list:
    blocks = []
    for block_id, label_key, _ in TEXT_FIELDS:
        value = getattr(texts, block_id)
        if value and (with_help or block_id != Ids.HELP):
            blocks.append(section(f"*{t(label_key, lang)}*"))
            blocks += long_sections(escape(value))
    return blocks


def build_secretariat_post(summary: ReportSummary, lang: str) -> Message:
    """The progress channel's post: a help request first and prominent, every field, and the
    buttons **Advice** and (when there are results to share) **Mark for dissemination**."""
    title = t("progress.post.title", lang, org=summary.org_name, month=summary.month)
    line = t(
        "progress.post.summary",
        lang,
        user=summary.reporter,
        org=escape(summary.org_name),
        month=summary.month,
        revision=summary.revision,
    )
    blocks = [header(title), section(line)]  # a header is plain text: the name as it is
    fallback = t("progress.post.title", lang, org=escape(summary.org_name), month=summary.month)
    if summary.texts.help_needed:
        blocks.append(section(t("progress.post.help_title", lang)))
        blocks += long_sections(_quote(escape(summary.texts.help_needed)))
    blocks += _fields(summary.texts, lang, with_help=False)
    ref = ReportRef(
        report_id=summary.report_id,
        org_id=summary.org_id,
        month=summary.month,
        revision=summary.revision,
    ).model_dump_json()
    buttons = [
        ButtonElement(
            text=t("progress.button.advice", lang), action_id=Ids.ADVICE, value=ref, style="primary"
        )
    ]
    if summary.texts.results:
        buttons.append(
            ButtonElement(
                text=t("progress.button.disseminate", lang), action_id=Ids.DISSEMINATE, value=ref
            )
        )
    blocks.append(ActionsBlock(block_id="progress.actions", elements=buttons))
    return Message.of(f"{fallback}\n{line}", blocks)


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.split("\n"))


def build_marked(blocks_shown: list[dict], user: str, lang: str) -> Message:
    """The secretariat post after marking: the dissemination button replaced by who marked it
    (the Advice button stays)."""
    kept = []
    for block in blocks_shown:
        if block.get("type") == "actions":
            elements = [
                e for e in block.get("elements", []) if e.get("action_id") != Ids.DISSEMINATE
            ]
            if not elements:
                continue
            block = {**block, "elements": elements}
        kept.append(block)
    note = t("progress.marked", lang, user=user)
    return Message(text=note, blocks=kept + [context(note).to_dict()])


def build_advice_modal(meta: AdviceMeta, org_name: str, lang: str) -> View:
    """The **Advice** modal (callback id `progress.advice.submit`)."""
    about = t(
        "progress.advice.about",
        lang,
        org=escape(org_name),
        month=meta.month,
        revision=meta.revision,
    )
    blocks = [
        section(about),
        forms.text(
            Ids.ADVICE_TEXT, t("progress.advice.field", lang), multiline=True, max_length=TEXT_MAX
        ),
    ]
    return forms.modal(
        Ids.ADVICE_SUBMIT,
        title=t("progress.advice.title", lang),
        submit=t("progress.advice.submit", lang),
        close=t("progress.modal.close", lang),
        metadata=meta.model_copy(update={"lang": lang}).model_dump_json(),
        blocks=blocks,
    )


def advice_meta(view: dict) -> AdviceMeta:
    return AdviceMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_advice_submission(view: dict) -> AdviceInput:
    """Read a submitted advice modal. Raises FormErrors (on `advice`) for blank, too long or
    control-character text."""
    text = forms.typed(forms.values_of(view), Ids.ADVICE_TEXT)
    problem = check_text(text, required=True)
    if problem:
        raise FormErrors({Ids.ADVICE_TEXT: problem})
    return AdviceInput(meta=advice_meta(view), text=text)


def build_advice_dm(
    *, org_name: str, month: str, revision: int, author: str, text: str, lang: str
) -> Message:
    """The DM to a project's lead with the secretariat's advice."""
    title = t("progress.advice.dm_title", lang)
    intro = t(
        "progress.advice.dm_intro",
        lang,
        user=author,
        org=escape(org_name),
        month=month,
        revision=revision,
    )
    blocks = [header(title), section(intro), *long_sections(_quote(escape(text)))]
    return Message.of(f"{title}: {intro}", blocks)


def build_advice_note(*, author: str, text: str, leads: int, org_name: str, lang: str) -> Message:
    """The reply in the secretariat post's thread: the advice and how many leads got it."""
    if leads:
        line = t("progress.advice.thread", lang, user=author, count=leads)
    else:
        line = t("progress.advice.thread_no_leads", lang, user=author, org=escape(org_name))
    return Message.of(line, [section(line), *long_sections(_quote(escape(text)))])


# --- status ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthLine:
    """One month of a project in `/progress status` (revision None: not reported)."""

    month: str
    revision: int | None = None
    submitted: str = ""  # date in the programme's zone
    advice: int = 0
    marked: bool = False


@dataclass(frozen=True)
class OrgLine:
    """One survey project for the operators' month view (revision None: not reported)."""

    org_name: str
    revision: int | None = None
    reporter: str = ""
    advice: int = 0
    marked: bool = False
    help_needed: str | None = None


def build_member_status(projects: list[tuple[str, list[MonthLine]]], lang: str) -> Message:
    """A member's `/progress status`: per own project, its months (newest first)."""
    blocks, text = [], ""
    for org_name, months in projects:
        title = t("progress.status.member_title", lang, org=org_name)
        text = text or t("progress.status.member_title", lang, org=escape(org_name))
        lines = []
        for m in months:
            if m.revision is None:
                lines.append(t("progress.status.member_missing", lang, month=m.month))
                continue
            lines.append(
                t(
                    "progress.status.member_line",
                    lang,
                    month=m.month,
                    revision=m.revision,
                    when=m.submitted,
                    advice=m.advice,
                    marked=t("progress.status.marked", lang) if m.marked else "",
                )
            )
        blocks += [
            header(title),
            section("\n".join(lines) or t("progress.status.no_reports", lang)),
        ]
    return Message.of(text, blocks)


def build_operator_status(month: str, rows: list[OrgLine], lang: str) -> Message:
    """An operator's `/progress status [YYYY-MM]`: every survey project, reported or
    missing, and the help requests."""
    title = t("progress.status.operator_title", lang, month=month)
    blocks = [header(title)]
    reported = [
        t(
            "progress.status.reported_line",
            lang,
            org=escape(r.org_name),
            revision=r.revision,
            user=r.reporter,
            advice=r.advice,
            marked=t("progress.status.marked", lang) if r.marked else "",
        )
        for r in rows
        if r.revision is not None
    ]
    if reported:
        blocks.append(section("\n".join(reported)))
    missing = [escape(r.org_name) for r in rows if r.revision is None]
    if missing:
        blocks.append(
            section(t("progress.status.missing", lang, count=len(missing), orgs=", ".join(missing)))
        )
    else:
        blocks.append(section(t("progress.status.all_reported", lang)))
    helps = [
        t(
            "progress.status.help_line",
            lang,
            org=escape(r.org_name),
            text=escape(truncate(" ".join(r.help_needed.split()), HELP_SHOWN_MAX)),
        )
        for r in rows
        if r.help_needed
    ]
    if helps:
        blocks += [section(t("progress.status.help_title", lang)), *long_sections("\n".join(helps))]
    return Message.of(title, blocks)


# --- reminders ---------------------------------------------------------------------------------


def build_reminder(org_name: str, month: str, lang: str) -> Message:
    """A lead's DM: the project has not reported `month`."""
    title = t("progress.reminder.title", lang)
    body = t("progress.reminder.body", lang, org=escape(org_name), month=month)
    return Message.of(f"{title}: {body}", [header(title), section(body)])


def build_reminder_summary(month: str, missing: list[tuple[str, bool]], lang: str) -> Message:
    """The operator channel's summary: `missing` as (project name, has a lead)."""
    names = [
        escape(name) if has_lead else t("progress.reminder.no_lead", lang, org=escape(name))
        for name, has_lead in missing
    ]
    text = t(
        "progress.reminder.summary", lang, month=month, count=len(missing), orgs=", ".join(names)
    )
    return Message.of(text, [section(text)])


def build_text(text: str) -> Message:
    """A plain one-section message (help texts, refusals)."""
    return Message.of(text, [section(text)])
