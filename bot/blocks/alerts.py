"""Block Kit for alerts: the over-plan alert with its Acknowledge button, and the acknowledged form."""

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


class AlertAck(BaseModel):
    """The Acknowledge button's value."""

    alert_id: int


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


def build_overuse_alert(alert: OveruseAlert, lang: str, *, with_button: bool) -> Message:
    """The over-plan alert: figures, plan, overrun %, what to do, and an Acknowledge button."""
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
        blocks.append(
            ActionsBlock(
                block_id="alert",
                elements=[
                    ButtonElement(
                        action_id=Ids.ACK,
                        text=t("alert.ack_button", lang),
                        value=AlertAck(alert_id=alert.alert_id).model_dump_json(),
                        style="primary",
                    )
                ],
            )
        )
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
