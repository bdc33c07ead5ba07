"""Instructions (指示): the secretariat issues an instruction to an organization; its leads get a
DM with Acknowledge, its channel a copy, the operator channel a note; any member of the
organization (or an operator) acknowledges it once; leads are reminded the day before it is
due (09:00 in the programme's zone) while it is unacknowledged.

Only operators issue instructions. Members see their own organizations' open instructions,
operators every organization's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.blocks import instructions as blocks
from bot.blocks.common import Message
from bot.clients.slack import Notice
from bot.i18n import t
from bot.services.members import Actor, user_error
from bot.settings import Settings
from storage import instructions as store
from storage import members as member_store
from storage.instructions import Instruction
from storage.members import Organization, OrgKind, Role


def _view(instruction: Instruction, org: Organization) -> blocks.InstructionView:
    return blocks.InstructionView(
        instruction_id=instruction.id,
        org_name=org.name,
        title=instruction.title,
        body=instruction.body,
        due_date=instruction.due_date,
        issued_by=instruction.issued_by,
    )


def _leads(session: Session, org: Organization) -> list[str]:
    return [m.slack_user_id for m in member_store.org_members(session, org.id, Role.ORG_LEAD)]


def instruct_form(*, session: Session, actor: Actor) -> list[blocks.OrgChoice]:
    """The organizations an instruction can go to: every one but the secretariat, by code
    (the modal shows the first 100, Slack's limit on a select).

    Raises UserError unless the actor is an operator, or when there is no organization.
    """
    actor.require_operator()
    orgs = [
        blocks.OrgChoice(id=org.id, code=org.code, name=org.name)
        for org in member_store.participant_orgs(session)
    ]
    if not orgs:
        raise user_error("instruction.error.no_orgs")
    return orgs


def issue(
    *,
    session: Session,
    actor: Actor,
    data: blocks.InstructionInput,
    settings: Settings,
    now: datetime,
    source_ref: str | None = None,
) -> list[Notice]:
    """Store an instruction and return its notices: a DM with Acknowledge to each of the
    organization's leads, a copy in its channel (when set, in its language) and a note in the
    operator channel (when set). `source_ref` (e.g. `view:V123`) makes a retried submission
    store nothing and return [].

    Raises UserError (with `field` set to the modal block) for a non-operator, an organization
    that is unknown or the secretariat, or a due date before today in `settings.tz`.
    """
    actor.require_operator()
    org = member_store.get_org(session, data.org_id)
    if org is None or org.kind == OrgKind.SECRETARIAT.value:
        error = user_error("instruction.error.unknown_org")
        error.field = blocks.Ids.ORG
        raise error
    today = now.astimezone(settings.tz).date()
    if data.due_date < today:
        error = user_error("instruction.error.due_past", today=today.isoformat())
        error.field = blocks.Ids.DUE
        raise error
    instruction = store.add_instruction(
        session,
        Instruction(
            organization_id=org.id,
            title=data.title,
            body=data.body,
            due_date=data.due_date,
            issued_by=actor.user_id,
            issued_at=now,
            source_ref=source_ref,
        ),
    )
    if instruction is None:
        return []
    view = _view(instruction, org)
    leads = _leads(session, org)
    notices = [
        Notice(
            channel=lead,
            render=lambda lang: blocks.build_instruction_dm(view, lang),
            kind="instruction",
            quiet_hours=True,
        )
        for lead in leads
    ]

    def listed(lang: str) -> str:
        return ", ".join(f"<@{lead}>" for lead in leads) or t("instruction.no_leads", lang)

    if org.channel_id:
        notices.append(
            Notice(
                channel=org.channel_id,
                render=lambda lang: blocks.build_channel_copy(view, listed(lang), lang),
                lang=org.language,
                kind="instruction_copy",
            )
        )
    if settings.operator_channel:
        notices.append(
            Notice(
                channel=settings.operator_channel,
                render=lambda lang: blocks.build_operator_note(view, listed(lang), lang),
                lang=settings.default_language,
                kind="instruction_note",
            )
        )
    return notices


def acknowledge(
    *,
    session: Session,
    actor: Actor,
    instruction_id: int,
    channel: str,
    ts: str,
    blocks_shown: list[dict],
    now: datetime,
) -> list[Notice]:
    """Record that `actor` acknowledged an instruction (the first to do so is kept); the notice
    updates the clicked message at (`channel`, `ts`) to say who acknowledged it, its button
    removed. A later click by anyone just shows who did.

    Raises UserError unless the actor belongs to the instruction's organization or is an
    operator.
    """
    instruction = store.get_instruction(session, instruction_id)
    if instruction is None or not (
        actor.is_operator or actor.belongs_to(instruction.organization_id)
    ):
        raise user_error("instruction.error.not_yours")
    store.acknowledge(session, instruction_id, user_id=actor.user_id, now=now)
    by = instruction.acknowledged_by
    return [
        Notice(
            channel=channel,
            ts=ts,
            render=lambda lang: blocks.build_acknowledged(blocks_shown, by, lang),
            lang=actor.lang,
            kind="instruction_ack",
        )
    ]


def open_list(*, session: Session, actor: Actor, settings: Settings, now: datetime) -> Message:
    """The `/compute instructions` reply in the actor's language: unacknowledged instructions
    of every organization for operators, of the actor's own organizations for anyone else.

    Raises UserError for a person in no organization (how to be added).
    """
    if actor.is_operator:
        rows = store.open_instructions(session)
    else:
        own = [org.id for org in actor.orgs if org.kind != OrgKind.SECRETARIAT.value]
        if not own:
            raise user_error("error.no_org")
        rows = store.open_instructions(session, own)
    today = now.astimezone(settings.tz).date()
    return blocks.build_open_list([_view(i, o) for i, o in rows], today, actor.lang)


def remind_due(*, session: Session, settings: Settings, now: datetime) -> list[Notice]:
    """Reminders for unacknowledged instructions due tomorrow (in `settings.tz`) that were not
    reminded before: a DM with Acknowledge to each lead, or, for an organization with no lead,
    a note in the operator channel. Each instruction's reminder is recorded (`reminded_at`)
    so it goes out once.
    """
    tomorrow = now.astimezone(settings.tz).date() + timedelta(days=1)
    notices = []
    for instruction, org in store.due_unreminded(session, tomorrow):
        if not store.mark_reminded(session, instruction.id, now=now):
            continue
        view = _view(instruction, org)
        leads = _leads(session, org)
        for lead in leads:
            notices.append(
                Notice(
                    channel=lead,
                    render=lambda lang, view=view: blocks.build_reminder(view, lang),
                    kind="instruction_reminder",
                    quiet_hours=True,
                )
            )
        if not leads and settings.operator_channel:
            notices.append(
                Notice(
                    channel=settings.operator_channel,
                    render=lambda lang, view=view: blocks.build_reminder_no_leads(view, lang),
                    lang=settings.default_language,
                    kind="instruction_reminder_no_lead",
                )
            )
    return notices
