"""Block Kit for condition alerts (runs out early, under plan, report missing): the alert with
Acknowledge / Snooze 3 days / Explain, the operator copies, and the Explain modal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks.alerts import Ids as AlertIds
from bot.blocks.alerts import StateRef, alert_buttons
from bot.blocks.common import Message, context, escape, header, section
from bot.blocks.compute import hours
from bot.i18n import t

__all__ = ["StateRef"]


class Ids(StrEnum):
    SNOOZE = AlertIds.SNOOZE.value
    EXPLAIN = AlertIds.EXPLAIN.value
    EXPLAIN_SUBMIT = "alerts.explain.submit"
    TEXT = "explanation"
    INPUT = "value"


@dataclass(frozen=True)
class ConditionAlert:
    kind: str  # over_plan | runs_out | under_plan | report_missing
    alert_id: int
    state_id: int
    level: int
    days: int  # how long the condition has lasted
    org_name: str
    allocation: str
    params: dict  # figures for the message (already formatted where text)


def _body(alert: ConditionAlert, lang: str) -> tuple[str, str]:
    p = alert.params
    values = dict(
        org=escape(alert.org_name),
        allocation=escape(alert.allocation),
        rate=hours(p.get("rate"), lang) if p.get("rate") is not None else "",
        granted=hours(p.get("granted"), lang) if p.get("granted") is not None else "",
        actual=hours(p.get("actual"), lang) if p.get("actual") is not None else "",
        planned=hours(p.get("planned"), lang) if p.get("planned") is not None else "",
        date=p.get("date", ""),
        end=p.get("end", ""),
        month=p.get("month", ""),
        percent=p.get("percent", ""),
    )
    return t(f"cond.{alert.kind}.title", lang), t(f"cond.{alert.kind}.body", lang, **values)


def build_condition_alert(alert: ConditionAlert, lang: str, *, buttons: bool) -> Message:
    """The alert for the organization's leads (with buttons) or the operator channel."""
    title, body = _body(alert, lang)
    blocks = [header(title), section(body), section(t(f"cond.{alert.kind}.todo", lang))]
    if alert.level >= 2:
        blocks.append(context(t("cond.level2", lang, days=alert.days)))
    if buttons:
        blocks.append(alert_buttons(alert.alert_id, alert.state_id, lang))
    return Message.of(f"{title}: {body}", blocks)


def build_operator_note(alert: ConditionAlert, note: str, lang: str) -> Message:
    """The operator channel's copy (no buttons) with a line saying who got it, or why not."""
    message = build_condition_alert(alert, lang, buttons=False)
    return Message(text=f"{note} {message.text}", blocks=message.blocks + [context(note).to_dict()])


def build_escalation(alert: ConditionAlert, lang: str) -> Message:
    text = t("cond.escalation", lang, days=alert.days, org=escape(alert.org_name))
    title, body = _body(alert, lang)
    return Message.of(text, [header(title), section(body), section(f"*{text}*")])


def build_explain_modal(ref: StateRef, lang: str) -> View:
    return View(
        type="modal",
        callback_id=Ids.EXPLAIN_SUBMIT,
        title=t("cond.explain.title", lang),
        submit=t("cond.explain.submit", lang),
        close=t("compute.modal.close", lang),
        private_metadata=ref.model_dump_json(),
        blocks=[
            InputBlock(
                block_id=Ids.TEXT,
                label=t("cond.explain.label", lang),
                element=PlainTextInputElement(action_id=Ids.INPUT, multiline=True, max_length=3000),
            )
        ],
    )


def build_explanation(
    user: str, org: str, allocation: str, kind: str, text: str, lang: str
) -> Message:
    """The explanation as the operator channel reads it (user text escaped)."""
    line = t(
        "cond.explained",
        lang,
        user=user,
        org=escape(org),
        allocation=escape(allocation),
        kind=t(f"kind.{kind}", lang),
    )
    return Message.of(f"{line} {text[:200]}", [section(line), section(escape(text))])


def build_snoozed(shown: list[dict], user: str, until: str, lang: str) -> Message:
    note = t("cond.snoozed", lang, user=user, until=until)
    kept = [block for block in shown if block.get("type") != "actions"]
    return Message(text=note, blocks=kept + [context(note).to_dict()])


def build_history(
    sections: list[tuple[str, list[tuple[str, str, int, str | None]]]], lang: str
) -> Message:
    """`/compute alerts`: per organization, (date, kind, level, acknowledged by), newest first."""
    blocks = []
    for org_name, lines in sections:
        rows = [
            t(
                "alerts.history.line",
                lang,
                date=date,
                kind=t(f"kind.{kind}", lang),
                level=level,
                ack=t("alerts.history.acked", lang, user=by) if by else "",
            )
            for date, kind, level, by in lines
        ]
        blocks += [
            header(t("alerts.history.title", lang, org=escape(org_name))),
            section("\n".join(rows) if rows else t("alerts.history.none", lang)),
        ]
    title = ", ".join(t("alerts.history.title", lang, org=name) for name, _ in sections)
    return Message.of(title, blocks[:50])
