"""Evaluation results: submitting a results file, the validator's report, operator review,
publication inside the group (at once or at an embargo time), status, and flags.

Confidentiality: evaluation messages go only to the submitter, the organization's members,
the operator channel and the group's results channel (`settings.eval_results_channel`); never
anywhere else. Times are stored in UTC and shown in the programme's zone (JST).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import Session

from bot.blocks import evals as blocks
from bot.blocks.common import Message
from bot.blocks.compute import OrgChoice
from bot.clients.slack import Notice
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.evals import EvalRun, parse_eval_file
from bot.services.eval_suite import load_suite
from bot.services.eval_validation import ValidationReport, validate
from bot.services.members import Actor, own_orgs, user_error, visible_orgs
from bot.settings import Settings
from storage import evals as store
from storage import members as member_store
from storage.evals import EvalFlag, EvalScoreRow, EvalStatus, EvalSubmission
from storage.members import OrgKind

# --- submitting -----------------------------------------------------------------------------


def submit_form(*, session: Session, actor: Actor) -> list[OrgChoice]:
    """The organizations the actor may submit for (their own, not the secretariat).
    Raises UserError for a user in none."""
    if actor.is_operator and not any(
        actor.roles[o.id] != "reviewer" and o.kind != OrgKind.SECRETARIAT.value for o in actor.orgs
    ):
        raise user_error("eval.error.operator")  # not the compute-flavoured refusal
    orgs = own_orgs(actor)  # a reviewer or someone in no organization gets its refusal
    return [OrgChoice(id=o.id, code=o.code, name=o.name) for o in orgs]


def read_file(data: bytes, filename: str) -> EvalRun:
    """Parse a results file. Raises UserError (field `file`) for a name not ending .json or
    .csv (Slack's `filetypes` is only a hint to its client) or with the parser's message."""
    if not filename.lower().endswith((".json", ".csv")):
        raise user_error("eval.error.filetype", name=filename).at(blocks.Ids.FILE)
    try:
        return parse_eval_file(data, filename)
    except UserError as error:
        raise error.at(blocks.Ids.FILE) from None


def submit(
    *,
    session: Session,
    actor: Actor,
    data: blocks.SubmissionInput,
    run: EvalRun,
    content: bytes,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
) -> list[Notice]:
    """Validate `run` (read from `content`) against the standard suite and store it with its
    scores in the review queue. Returns the submitter's report DM and the operator channel's
    review entry ([] for a repeated submission of the same view).

    Raises UserError (field = modal block id) for an organization the actor is not in.
    """
    org = member_store.get_org(session, data.org_id)
    if org is None or not actor.belongs_to(org.id):
        raise user_error("error.not_your_org").at(blocks.Ids.ORG)
    suite = load_suite(settings.eval_suite_file or None)
    published = store.published_benchmarks(
        session, org_id=org.id, model_name=data.model_name, model_revision=data.model_revision
    )
    report = validate(run, suite, published=published)
    headline_keys = {(h.task, h.metric, h.filter or "") for h in report.headlines}
    scores = [
        EvalScoreRow(
            task=s.task,
            metric=s.metric,
            filter=s.filter or "",
            value=s.value,
            stderr=s.stderr,
            n_shot=s.n_shot,
            version=s.version,
            higher_is_better=s.higher_is_better,
            is_group=s.is_group,
            benchmark=(b.name if (b := suite.benchmark_for(s.task)) else None),
            headline=(s.task, s.metric, s.filter or "") in headline_keys,
        )
        for s in run.scores
    ]
    submission = store.add_submission(
        session,
        EvalSubmission(
            organization_id=org.id,
            submitted_by=actor.user_id,
            submitted_at=now,
            model_name=data.model_name,
            model_revision=data.model_revision,
            parameters_b=data.parameters_b,
            model_type=data.model_type,
            notes=data.notes,
            evidence_link=data.evidence_link,
            file_name=str(data.file.get("name") or "results")[:255],
            file_format=run.format,
            file_sha256=hashlib.sha256(content).hexdigest(),
            report_json=report.to_json(),
            source_ref=source_ref,
        ),
        scores,
    )
    if submission is None:
        return []
    view = submission_view(session, submission, settings)
    notices = [
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_receipt(view, lang),
            kind="eval_receipt",
        )
    ]
    if settings.operator_channel:
        notices.append(
            Notice(
                channel=settings.operator_channel,
                render=lambda lang: blocks.build_review_entry(view, lang),
                lang=settings.default_language,
                kind="eval_review",
            )
        )
    return notices


# --- review -----------------------------------------------------------------------------------


def review_form(
    *, session: Session, actor: Actor, submission_id: int, settings: Settings
) -> blocks.SubmissionView:
    """The submission for the review modal (operators). Raises UserError for a non-operator
    or a submission already decided (naming who decided)."""
    actor.require_operator()
    submission = _get(session, submission_id)
    if submission.status != EvalStatus.SUBMITTED.value:
        raise _already(submission)
    return submission_view(session, submission, settings)


def decide(
    *,
    session: Session,
    actor: Actor,
    ref: blocks.SubmissionRef,
    decision: blocks.Decision,
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """Approve (optionally with an embargo time), request changes, or reject a submission in
    review; one transition however many operators act at once. Returns the submitter's DM, the
    review entry updated in place and, for an approval without embargo, the publication.

    Raises UserError (field = modal block id) for a non-operator, a missing reason (reject,
    changes, or approving a run the validator rejected: the override), an embargo in the past,
    or a submission someone already decided.
    """
    actor.require_operator()
    submission = _get(session, ref.submission_id)
    if submission.status != EvalStatus.SUBMITTED.value:
        raise _already(submission).at(blocks.Ids.DECISION)
    report = ValidationReport.from_json(submission.report_json)
    status = EvalStatus(decision.status)
    # published since it was submitted (another submission of the same revision approved)
    duplicate = status == EvalStatus.APPROVED and bool(
        store.headline_benchmarks(session, submission.id)
        & store.published_benchmarks(
            session,
            org_id=submission.organization_id,
            model_name=submission.model_name,
            model_revision=submission.model_revision,
        )
    )
    override = report.rejected or duplicate
    if (status != EvalStatus.APPROVED or override) and not decision.reason:
        key = "eval.review.override_needed" if status == EvalStatus.APPROVED else None
        if duplicate and not report.rejected:
            key = "eval.review.duplicate_needed"
        raise user_error(key or "eval.review.reason_needed").at(blocks.Ids.REASON)
    if decision.embargo is not None and decision.embargo <= now:
        raise user_error("eval.review.embargo_past").at(blocks.Ids.EMBARGO)
    values = dict(
        decided_by=actor.user_id,
        decided_at=now,
        decision_reason=decision.reason,
        embargo_until=decision.embargo if status == EvalStatus.APPROVED else None,
        review_channel=ref.channel,
        review_ts=ref.ts,
    )
    if status == EvalStatus.APPROVED and override:
        values["override_reason"] = decision.reason
    if not store.transition(
        session, submission.id, from_=(EvalStatus.SUBMITTED,), to=status, **values
    ):
        raise _already(submission).at(blocks.Ids.DECISION)
    after = []  # what follows the decision: the publication, or why there is none
    if status == EvalStatus.APPROVED and decision.embargo is None:
        after = publish(session=session, submission=submission, settings=settings, now=now)
    if status == EvalStatus.APPROVED and not settings.eval_results_channel and ref.channel:
        after.append(  # say so, rather than an approval that silently never appears
            Notice(
                channel=ref.channel,
                render=lambda lang: Message.of(t("eval.no_results_channel", lang), []),
                lang=settings.default_language,
                kind="eval_unpublished",
            )
        )
    view = submission_view(session, submission, settings)
    notices = [
        Notice(
            channel=submission.submitted_by,
            render=lambda lang: blocks.build_decision_dm(view, lang),
            kind="eval_decision",
        )
    ]
    if ref.channel and ref.ts:
        notices.append(
            Notice(
                channel=ref.channel,
                ts=ref.ts,
                render=lambda lang: blocks.build_review_decided(view, lang),
                lang=settings.default_language,  # the shared channel's language, not the operator's
                kind="eval_review_decided",
            )
        )
    return notices + after


# --- publication ------------------------------------------------------------------------------


def publish(
    *, session: Session, submission: EvalSubmission, settings: Settings, now: datetime
) -> list[Notice]:
    """Mark an approved submission published (once) and post it to the group's results
    channel. [] when it was published already or no results channel is configured (it stays
    approved, so configuring the channel later publishes it)."""
    if not settings.eval_results_channel:
        return []
    if not store.transition(
        session,
        submission.id,
        from_=(EvalStatus.APPROVED,),
        to=EvalStatus.PUBLISHED,
        published_at=now,
    ):
        return []
    view = submission_view(session, submission, settings)
    return [
        Notice(
            channel=settings.eval_results_channel,
            render=lambda lang: blocks.build_published(view, lang),
            lang=settings.default_language,
            kind="eval_published",
        )
    ]


def publish_due(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """Publish every approved submission whose embargo time has come, and tell each
    submitter it is out (their decision DM only said when it would be)."""
    notices, channel = [], settings.eval_results_channel
    for submission in store.due_for_publication(session, now):
        posted = publish(session=session, submission=submission, settings=settings, now=now)
        if posted:
            view = submission_view(session, submission, settings)
            posted.append(
                Notice(
                    channel=submission.submitted_by,
                    render=lambda lang, view=view: blocks.build_published_dm(view, channel, lang),
                    kind="eval_published_dm",
                )
            )
        notices += posted
    return notices


# --- flags ------------------------------------------------------------------------------------


def flag_form(*, actor: Actor) -> None:
    """Whether `actor` may flag a published result (operators, members of any organization of
    the group). Raises UserError otherwise, before the modal opens."""
    if not (actor.is_operator or actor.orgs):
        raise user_error("eval.flag.not_group")


def flag(
    *,
    session: Session,
    actor: Actor,
    ref: blocks.SubmissionRef,
    reason: str,
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """A group member flags a published result: stored; the operator channel gets it in the
    review entry's thread; the published post shows the flag; the member is thanked.
    Raises UserError for someone in no organization of the group."""
    flag_form(actor=actor)
    submission = _get(session, ref.submission_id)
    if submission.status != EvalStatus.PUBLISHED.value:
        raise user_error("eval.error.gone")
    if ref.ts and not submission.results_ts:
        submission.results_ts = ref.ts  # where the published post is (flags update it)
    flag_row = store.add_flag(
        session,
        EvalFlag(
            submission_id=submission.id, flagged_by=actor.user_id, reason=reason, created_at=now
        ),
    )
    view = submission_view(session, submission, settings)
    user = actor.user_id
    notices = [
        Notice(
            channel=user,
            render=lambda lang: Message.of(t("eval.flag.thanks", lang, id=submission.id), []),
            kind="eval_flag_thanks",
        )
    ]
    if settings.operator_channel:
        notices.append(
            Notice(
                channel=settings.operator_channel,
                thread_ts=submission.review_ts,
                render=lambda lang: blocks.build_flag_note(
                    submission.id, flag_row.id, user, reason, lang
                ),
                lang=settings.default_language,
                kind="eval_flag",
            )
        )
    return notices + _republished(submission, view, settings, "eval_flagged")


def resolve_flag(
    *,
    session: Session,
    actor: Actor,
    flag_id: int,
    channel: str,
    ts: str,
    blocks_shown: list[dict],
    settings: Settings,
    now: datetime,
) -> list[Notice]:
    """An operator resolves a flag: the thread note says who, and the published post is
    re-rendered without it. Raises UserError for a non-operator."""
    actor.require_operator()
    flag_row = store.resolve_flag(session, flag_id, user_id=actor.user_id, now=now)
    if flag_row is None:
        raise user_error("eval.error.gone")
    submission = _get(session, flag_row.submission_id)
    view = submission_view(session, submission, settings)
    by = flag_row.resolved_by
    notices = [
        Notice(
            channel=channel,
            ts=ts,
            render=lambda lang: blocks.build_flag_resolved(blocks_shown, by, lang),
            lang=settings.default_language,
            kind="eval_flag_resolved",
        )
    ]
    return notices + _republished(submission, view, settings, "eval_flag_cleared")


def _republished(
    submission: EvalSubmission, view: blocks.SubmissionView, settings: Settings, kind: str
) -> list[Notice]:
    """The published post re-rendered in place (its flags changed), when we know where it is."""
    if not (settings.eval_results_channel and submission.results_ts):
        return []
    return [
        Notice(
            channel=settings.eval_results_channel,
            ts=submission.results_ts,
            render=lambda lang: blocks.build_published(view, lang),
            lang=settings.default_language,
            kind=kind,
        )
    ]


# --- status -----------------------------------------------------------------------------------


def status(*, session: Session, actor: Actor, org_code: str | None, settings: Settings) -> Message:
    """`/eval status [ORG]`: the organization's submissions, newest first (operators: any or
    all). Raises UserError as `visible_orgs`."""
    if actor.is_operator and not org_code:
        org_ids = None
    else:
        org_ids = [org.id for org in visible_orgs(session, actor, org_code)]
    submissions = store.submissions_of(session, org_ids, limit=200)
    views = [submission_view(session, s, settings) for s in submissions]
    dates = [s.submitted_at.astimezone(settings.tz).strftime("%Y-%m-%d") for s in submissions]
    return blocks.build_status(views, dates, actor.lang)


# --- pieces -----------------------------------------------------------------------------------


def submission_view(
    session: Session, submission: EvalSubmission, settings: Settings
) -> blocks.SubmissionView:
    org = member_store.get_org(session, submission.organization_id)
    report = ValidationReport.from_json(submission.report_json)
    return blocks.SubmissionView(
        id=submission.id,
        org_name=org.name,
        model_name=submission.model_name,
        model_revision=submission.model_revision,
        parameters_b=submission.parameters_b,
        model_type=submission.model_type,
        submitted_by=submission.submitted_by,
        file_format=submission.file_format,
        score_count=len(store.scores_of(session, submission.id)),
        headlines=[
            blocks.HeadlineView(h.benchmark, h.metric, h.filter, h.value, h.n_shot)
            for h in report.headlines
        ],
        problems=[blocks.ProblemView(p.severity, p.en, p.ja) for p in report.problems],
        rejected_by_validator=report.rejected,
        status=submission.status,
        decided_by=submission.decided_by,
        reason=submission.decision_reason,
        embargo=_jst(submission.embargo_until, settings),
        published_on=_jst(submission.published_at, settings, "%Y-%m-%d"),
        flags=[(f.flagged_by, f.reason) for f in store.open_flags(session, submission.id)],
        notes=submission.notes,
        evidence_link=submission.evidence_link,
        override_reason=submission.override_reason,
    )


def _jst(moment: datetime | None, settings: Settings, fmt: str = "%Y-%m-%d %H:%M JST"):
    return moment.astimezone(settings.tz).strftime(fmt) if moment else None


def _get(session: Session, submission_id: int) -> EvalSubmission:
    submission = store.get_submission(session, submission_id)
    if submission is None:
        raise user_error("eval.error.gone")
    return submission


def _already(submission: EvalSubmission) -> UserError:
    params = {"id": submission.id, "user": submission.decided_by}
    return UserError(
        t(
            "eval.review.already",
            "en",
            status=t(f"eval.status.{submission.status}", "en"),
            **params,
        ),
        t(
            "eval.review.already",
            "ja",
            status=t(f"eval.status.{submission.status}", "ja"),
            **params,
        ),
    )
