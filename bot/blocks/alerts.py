"""Block Kit for alerts: the over-plan alert, the buttons every alert to leads carries
(Acknowledge, Snooze 3 days, Explain) and the acknowledged form."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel
from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.blocks.common import Message, context, escape, header, section
from bot.blocks.compute import hours
from bot.i18n import t


class Ids(StrEnum):
    ACK = "alerts.ack"
    SNOOZE = "alerts.snooze"
    EXPLAIN = "alerts.explain"


class AlertAck(BaseModel):
    """The Acknowledge button's value."""

    alert_id: int


class StateRef(BaseModel):
    """Snooze / Explain button value and the Explain modal's private_metadata: the
    condition's state (organization, allocation, kind) the alert is about."""

    state_id: int
    alert_id: int | None = None
    channel: str | None = None
    ts: str | None = None


def alert_buttons(alert_id: int, state_id: int | None, lang: str) -> ActionsBlock:
    """Acknowledge, and (with a condition state) Snooze 3 days and Explain."""
    elements = [
        ButtonElement(
            action_id=Ids.ACK,
            text=t("alert.ack_button", lang),
            value=AlertAck(alert_id=alert_id).model_dump_json(),
            style="primary",
        )
    ]
    if state_id is not None:
        ref = StateRef(state_id=state_id, alert_id=alert_id).model_dump_json()
        elements += [
            ButtonElement(action_id=Ids.SNOOZE, text=t("cond.snooze_button", lang), value=ref),
            ButtonElement(action_id=Ids.EXPLAIN, text=t("cond.explain_button", lang), value=ref),
        ]
    return ActionsBlock(block_id="alert", elements=elements)


@dataclass(frozen=True)
class OveruseAlert:
    alert_id: int
    org_name: str
    allocation: str
    month: str
    gpu_hours: float
    plan: float
    percent_over: float | None  # None: nothing was planned
    threshold: float
    state_id: int | None = None  # the over-plan condition's state (Snooze / Explain)


def build_overuse_alert(alert: OveruseAlert, lang: str, *, with_button: bool) -> Message:
    """The over-plan alert: figures, plan, overrun %, what to do, and (`with_button`) the
    alert buttons."""
    title = t("alert.overuse.title", lang)
    body = t(
        "alert.overuse.body" if alert.percent_over is not None else "alert.unplanned.body",
        lang,
        org=escape(alert.org_name),
        hours=hours(alert.gpu_hours, lang),
        allocation=escape(alert.allocation),
        month=alert.month,
        plan=hours(alert.plan, lang),
        percent=f"{alert.percent_over or 0:.1f}%",
        threshold=f"{alert.threshold:g}%",
    )
    blocks = [header(title), section(body), section(t("alert.overuse.todo", lang))]
    if with_button:
        blocks.append(alert_buttons(alert.alert_id, alert.state_id, lang))
    return Message.of(f"{title}: {body}", blocks)


def build_acknowledged(original_blocks: list[dict], user: str, lang: str) -> Message:
    """The alert message after a lead acknowledged it: buttons replaced by who did."""
    kept = [block for block in original_blocks if block.get("type") != "actions"]
    note = t("alert.acknowledged", lang, user=user)
    return Message(text=note, blocks=kept + [context(note).to_dict()])


def build_operator_copy(alert: OveruseAlert, leads: str, lang: str) -> Message:
    """The operator channel's copy of an over-plan alert (no button), naming who was alerted."""
    message = build_overuse_alert(alert, lang, with_button=False)
    note = t("alert.overuse.operator_copy", lang, leads=leads)
    return Message(text=f"{note} {message.text}", blocks=message.blocks + [context(note).to_dict()])
