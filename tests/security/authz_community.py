"""Best practices, announcements, progress reports, events and trend items: each object is
created by someone allowed to, then its buttons and modals are forged by everyone else."""

from __future__ import annotations

from pathlib import Path

from bot.blocks import trends as trend_blocks
from bot.blocks.announcements import Ids as AnnounceIds
from bot.blocks.events import Ids as EventIds
from bot.blocks.practices import Ids as PracticeIds
from bot.blocks.progress import Ids as ProgressIds
from storage import members as member_store
from storage.members import OrgKind, Role
from tests.security.authz_support import (
    GUEST,
    LEAD_A,
    LEAD_B,
    LEAD_C,
    MEMBER_B,
    NON_OPERATORS,
    OPERATOR,
    Case,
    button,
    clicks,
    close_modals,
    modal,
    submits,
)

ICS = Path(__file__).parents[1] / "fixtures" / "icalendar" / "programme_events.ics"
PRACTICE = {
    "Title": "Source ledger",
    "Practice": "Keep one",
    "Area": "Privacy",
    "Organization": "Alpha AI",
}
ANNOUNCEMENT = {
    "タイトル（日本語）": "春の会合",
    "タイトル（英語）": "Spring meetup",
    "本文（日本語）": "4月に会合を開きます。",
    "本文（英語）": "We meet in April.",
    "公開先": ["コミュニティチャンネル", "公開フィード（Web・要承認）"],
    "公開日（JST）": "2026-04-02",
    "公開時刻（JST）": "10:00",
}
EVENT = {
    "タイトル": "LLM 評価勉強会",
    "目的と期待される成果": "評価手法の共有",
    "開始日": "2026-04-20",
    "開始時刻": "18:00",
    "終了時刻": "19:30",
    "場所またはリンク": "https://meet.example/llm",
    "定員": "20",
    "告知するチャンネル": "#community-digest",
}
PROGRESS = {
    "期間の計画": "6月までに200社を調査",
    "進捗状況": "120社のインタビュー完了",
    "発生した課題": "回答が遅い",
    "改善案": "フォームを追加",
    "共有できる成果": "中間報告",
}


def fresh_modal(h, user: str, line: str, values: dict) -> dict:
    """The modal `line` opens, typed into and closed: a real view no one submitted (a
    submitted view's id would make a forged copy a deduplicated double submit)."""
    h.driver.command(user, line)
    view = modal(h, user, values)
    close_modals(h, user)
    return view


def setup(h, w: dict) -> None:
    d = h.driver
    # a survey project led by Hana (ORGC's lead): progress reports are theirs
    with h.session_factory.begin() as session:
        org, _ = member_store.upsert_org(
            session, code="SURVA", name="生成AI利活用調査", kind=OrgKind.SURVEY_PROJECT.value
        )
        member_store.upsert_member(session, slack_user_id=LEAD_C, org_id=org.id, role=Role.ORG_LEAD)

    # a practice Alice proposes: its queue post; operators' edit and reject modals
    w["view:practice.add"] = fresh_modal(h, LEAD_A, "/practice add", PRACTICE)
    d.command(LEAD_A, "/practice add")
    d.fill(LEAD_A, PRACTICE)
    for action in (PracticeIds.APPROVE, PracticeIds.EDIT, PracticeIds.REJECT):
        w[action] = button(h, "#secretariat", action)
    d.click(OPERATOR, "却下", "#secretariat")
    w["view:practice.reject"] = modal(h, OPERATOR, {"理由": "Too vague"})
    close_modals(h, OPERATOR)
    d.click(OPERATOR, "編集", "#secretariat")
    w["view:practice.edit"] = modal(h, OPERATOR, {"タイトル": "Hijacked"})
    close_modals(h, OPERATOR)

    # an announcement Sato composes: its card; the compose modal
    w["view:announce.compose"] = fresh_modal(h, OPERATOR, "/announce", ANNOUNCEMENT)
    d.command(OPERATOR, "/announce")
    d.fill(OPERATOR, ANNOUNCEMENT)
    close_modals(h, OPERATOR)
    for action in (AnnounceIds.APPROVE, AnnounceIds.CANCEL):
        w[action] = button(h, "#secretariat", action)

    # an event Sato creates: its post (edit, cancel); the create modal
    w["view:event.create"] = fresh_modal(h, OPERATOR, "/event create", EVENT)
    d.command(OPERATOR, "/event create")
    d.fill(OPERATOR, EVENT)
    close_modals(h, OPERATOR)
    d.command(OPERATOR, "/event list")
    for action in (EventIds.EDIT, EventIds.CANCEL):
        w[action] = button(h, f"ephemeral:{OPERATOR}", action)
    d.command(OPERATOR, "/event import")
    w["view:event.import"] = modal(h, OPERATOR, {"カレンダーファイル（.ics）": str(ICS)})
    close_modals(h, OPERATOR)

    # Hana's progress report: the operators' post (advice, dissemination); the advice modal
    w["view:progress.report"] = fresh_modal(h, LEAD_C, "/progress report", PROGRESS)
    d.command(LEAD_C, "/progress report")
    d.fill(LEAD_C, PROGRESS)
    for action in (ProgressIds.ADVICE, ProgressIds.DISSEMINATE):
        w[action] = button(h, "#secretariat", action)
    d.click(OPERATOR, "助言する", "#secretariat")
    w["view:progress.advice"] = modal(h, OPERATOR, {"責任者への助言": "業界団体に相談を"})
    close_modals(h, OPERATOR)

    # a trend item Alice adds; the operator's theme picker in /trend list
    d.command(LEAD_A, "/trend add https://example.org/paper A paper")
    d.command(OPERATOR, "/trend list")
    w[trend_blocks.Ids.THEME] = button(h, f"ephemeral:{OPERATOR}", trend_blocks.Ids.THEME)

    # a link posted in the community channel: the shortcuts' modals, as Alice sees them
    h.sandbox.say(LEAD_A, "#community-digest", "Read https://example.org/survey today")
    d.shortcut(LEAD_A, trend_blocks.Ids.SHORTCUT, "#community-digest")
    w["view:trend.add"] = modal(h, LEAD_A, {})
    close_modals(h, LEAD_A)


def shortcut(user: str, callback_id: str):
    return lambda h, _w: h.driver.shortcut(user, callback_id, "#community-digest")


def cases() -> list[Case]:
    ops = NON_OPERATORS
    return [
        *submits(
            "practice.add-for-ORGA",
            "view:practice.add_submit",
            "view:practice.add",
            [MEMBER_B, GUEST],
        ),
        *clicks("practice.approve", "action:practice.approve", PracticeIds.APPROVE, ops),
        *clicks("practice.edit", "action:practice.edit", PracticeIds.EDIT, ops),
        *clicks("practice.reject", "action:practice.reject", PracticeIds.REJECT, ops),
        *submits("practice.edit-submit", "view:practice.edit_submit", "view:practice.edit", ops),
        *submits(
            "practice.reject-submit", "view:practice.reject_submit", "view:practice.reject", ops
        ),
        *submits("announce.submit", "view:announce.submit", "view:announce.compose", ops),
        *clicks("announce.approve", "action:announce.approve", AnnounceIds.APPROVE, ops),
        *clicks("announce.cancel", "action:announce.cancel", AnnounceIds.CANCEL, ops),
        *submits("event.submit", "view:event.submit", "view:event.create", ops),
        *submits("event.import-submit", "view:event.import.submit", "view:event.import", ops),
        *clicks("event.edit", "action:event.edit", EventIds.EDIT, ops),
        *clicks("event.cancel", "action:event.cancel", EventIds.CANCEL, ops),
        *submits(
            "progress.report-for-SURVA",
            "view:progress.report.submit",
            "view:progress.report",
            [LEAD_A, LEAD_B, GUEST],
        ),
        *clicks("progress.advice", "action:progress.advice", ProgressIds.ADVICE, ops),
        *submits(
            "progress.advice-submit", "view:progress.advice.submit", "view:progress.advice", ops
        ),
        *clicks(
            "progress.disseminate", "action:progress.disseminate", ProgressIds.DISSEMINATE, ops
        ),
        *clicks("trend.theme", "action:trend.theme", trend_blocks.Ids.THEME, ops),
        *submits("trend.add-submit", "view:trend.add_submit", "view:trend.add", [GUEST]),
        Case(
            "trend.shortcut-as-no-org",
            "shortcut:trend.add_from_message",
            GUEST,
            shortcut(GUEST, trend_blocks.Ids.SHORTCUT),
        ),
        Case(
            "practice.shortcut-as-no-org",
            "shortcut:practice.add_from_message",
            GUEST,
            shortcut(GUEST, PracticeIds.SHORTCUT),
        ),
    ]
