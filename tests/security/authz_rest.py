"""The rest of the matrix (issue #10): usage uploads, alerts, evaluations, event follow-up,
review rounds and the monthly trend report. Each object is created through the real bot (or,
for an event's follow-up, as rows, as tests/handlers/test_event_followup_flow.py does) by
someone allowed to, then its buttons and modals are forged by everyone else. The clock is put
back where the other modules left it once the objects exist."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from bot.blocks import alerts as alert_blocks
from bot.blocks import compute_uploads as upload_blocks
from bot.blocks import evals as eval_blocks
from bot.blocks import event_followup as followup_blocks
from bot.blocks import reviews as review_blocks
from bot.blocks import trend_report as report_blocks
from bot.sandbox.store import top_modal
from jobs.compute import run_condition_alerts
from storage.members import get_org_by_code
from storage.reviews import ReviewAssignment, ReviewRound, ReviewSubject
from tests.event_rows import add_event, add_rsvp
from tests.security.authz_support import (
    GAKU,
    GUEST,
    LEAD_A,
    LEAD_B,
    LEAD_C,
    MEMBER_B,
    NON_OPERATORS,
    OPERATOR,
    ROLE,
    Case,
    button,
    clicks,
    close_modals,
    command,
    forge_click,
    modal,
    submits,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
GSM8K = next((FIXTURES / "evals").glob("eleuther_pr2251_*gsm8k*.json"))
ORGB_CSV = b"organization,month,provider,gpu_type,gpu_hours\nORGB,2026-03,AWS,H100,5\n"
NOT_ORGA = [LEAD_B, MEMBER_B, GUEST]
NOT_YUKI = [LEAD_A, MEMBER_B, LEAD_C, GUEST]  # neither the uploader nor an operator
ROUND = {
    "名称": "2026年度 採択審査",
    "種類": "採択審査",
    "評点の段階（1点からこの点数まで）": "5",
    "1件あたりの審査委員数": "1",
    "評価の締切日": "2026-04-10",
    "評価の締切時刻": "17:00",
    "審査委員": [LEAD_C, GAKU],
}
EVAL = {
    "Model name": "alpha-8b-instruct",
    "Model revision (commit, checkpoint or tag)": "r1",
    "Parameters (B)": "8",
    "Model type": "Instruction-tuned",
    "Results file": str(GSM8K),
}


def _click(h, user: str, slot: dict) -> None:
    """Click the stored button as `user` (an allowed user): opens its modal."""
    forge_click(
        h, user, slot["action_id"], slot.get("value"), block_id=slot["block_id"], ts=slot["ts"]
    )


def _uploads(h, w: dict) -> None:
    """Yuki's usage file, previewed and left pending: its Import and Cancel buttons."""
    h.driver.upload(LEAD_B, "march.csv", ORGB_CSV)
    for action in (upload_blocks.Ids.IMPORT, upload_blocks.Ids.CANCEL):
        w[action] = button(h, f"dm:{LEAD_B}", action)


def _alerts(h, w: dict) -> None:
    """ORGA over plan and running out early: the alert's buttons, Alice's Explain modal."""
    d = h.driver
    d.command(LEAD_A, "/compute report")
    d.fill(LEAD_A, {"Month": "2026-03", "GPU-hours used": "2000"})
    run_condition_alerts(deps=h.deps, now=h.clock.now())
    for action in (alert_blocks.Ids.ACK, alert_blocks.Ids.SNOOZE, alert_blocks.Ids.EXPLAIN):
        w[action] = button(h, f"dm:{LEAD_A}", action)
    _click(h, LEAD_A, w[alert_blocks.Ids.EXPLAIN])
    w["view:alerts.explain"] = modal(h, LEAD_A, {"Explanation for the secretariat": "one-off"})
    close_modals(h, LEAD_A)


def _evals(h, w: dict) -> None:
    """Alice's results: one published (Kenji's flag on it), one awaiting review; an unsent
    submission modal, review modal and flag modal; the DM offer after an upload."""
    d = h.driver
    d.command(LEAD_A, "/eval submit")
    w["view:evals.submit"] = modal(h, LEAD_A, EVAL)
    close_modals(h, LEAD_A)
    for revision in ("r1", "r2"):
        d.command(LEAD_A, "/eval submit")
        d.fill(LEAD_A, {**EVAL, "Model revision (commit, checkpoint or tag)": revision})
    d.click(OPERATOR, "審査する", "#secretariat")  # r2, the latest: the modal left unsent
    w["view:evals.review"] = modal(h, OPERATOR, {"決定": "承認"})
    close_modals(h, OPERATOR)
    w[eval_blocks.Ids.REVIEW] = button(h, "#secretariat", eval_blocks.Ids.REVIEW, "r2")
    review = button(h, "#secretariat", eval_blocks.Ids.REVIEW, "r1")
    _click(h, OPERATOR, review)
    d.fill(OPERATOR, {"決定": "承認"})  # r1 published
    w[eval_blocks.Ids.FLAG] = button(h, "#eval-results", eval_blocks.Ids.FLAG)
    d.click(MEMBER_B, "指摘する", "#eval-results")
    w["view:evals.flag"] = modal(h, MEMBER_B, {"指摘の内容": "The n-shot differs"})
    close_modals(h, MEMBER_B)
    d.click(MEMBER_B, "指摘する", "#eval-results")
    d.fill(MEMBER_B, {"指摘の内容": "The n-shot differs"})
    w[eval_blocks.Ids.RESOLVE] = button(h, "#secretariat", eval_blocks.Ids.RESOLVE)
    d.upload(LEAD_A, "results.json", GSM8K.read_bytes())
    w[eval_blocks.Ids.OPEN_SUBMIT] = button(h, f"dm:{LEAD_A}", eval_blocks.Ids.OPEN_SUBMIT)


def _followup(h, w: dict) -> None:
    """An event for ORGA only, its check-in open now; an ended one Alice attended: her survey
    button and its modal, unsent."""
    now = h.clock.now()
    ref = followup_blocks.EventRef
    with h.session_factory.begin() as session:
        orga = get_org_by_code(session, "ORGA")
        soon = add_event(
            session,
            starts_at=now + timedelta(minutes=5),
            title="ORGA 勉強会",
            invited_orgs=str(orga.id),
        )
        ended = add_event(session, starts_at=now - timedelta(hours=3), title="終わった勉強会")
        add_rsvp(session, ended, LEAD_A, answered_at=now - timedelta(days=1), checked_in_at=now)
    value = {"block_id": "x", "ts": "1.000001", "channel": None, "message": None}
    w[followup_blocks.Ids.CHECK_IN] = {
        **value,
        "action_id": followup_blocks.Ids.CHECK_IN,
        "value": ref(event_id=soon).model_dump_json(),
    }
    w[followup_blocks.Ids.SURVEY] = {
        **value,
        "action_id": followup_blocks.Ids.SURVEY,
        "value": ref(event_id=ended).model_dump_json(),
    }
    _click(h, LEAD_A, w[followup_blocks.Ids.SURVEY])
    w["view:eventfu.survey"] = modal(h, LEAD_A, {"How useful was it?": "2 — a little"})
    close_modals(h, LEAD_A)


def _no_conflict(h, user: str) -> dict:
    """The declaration modal's values ticking "no conflict" (its last input's only option)."""
    none = [b for b in top_modal(h.sandbox, user).view["blocks"] if b["type"] == "input"][-1]
    return {none["label"]["text"]: [none["element"]["options"][0]["text"]["text"]]}


def _scored(h, user: str) -> dict:
    """The score modal's values: 4 on every criterion, recommended for adoption."""
    inputs = [b for b in top_modal(h.sandbox, user).view["blocks"] if b["type"] == "input"]
    values = {b["label"]["text"]: "4" for b in inputs if b["element"]["type"] == "static_select"}
    recommend = next(b for b in inputs if b["block_id"] == "recommendation")
    return values | {recommend["label"]["text"]: "採択"}


def _unsent(h, w: dict, slot: str, line: str, values: dict) -> None:
    h.driver.command(OPERATOR, line)
    w[slot] = modal(h, OPERATOR, values)
    close_modals(h, OPERATOR)


def _reviews(h, w: dict) -> None:
    """Round A (Hana and Gaku review two applicants, one each, scoring open) and round B
    (Alice reviews, no applicants): the declare and score buttons and modals of Hana, the
    operators' modals unsent; then, the deadline passed, the decide button and modal."""
    d = h.driver
    _unsent(h, w, "view:review.round", "/review create", ROUND)
    d.command(OPERATOR, "/review create")
    d.fill(OPERATOR, ROUND)
    d.command(OPERATOR, "/review create")
    d.fill(OPERATOR, {**ROUND, "名称": "別の審査", "審査委員": [LEAD_A]})
    with h.session_factory() as session:
        first = session.exec(select(ReviewRound).order_by(ReviewRound.id)).first().id
    for name, title in (("Alpha AI", "日本語基盤モデル"), ("Beta Labs", "医療特化モデル")):
        d.command(OPERATOR, f"/review subjects {first}")
        d.fill(OPERATOR, {"組織名": name, "提案名": title})
    _unsent(
        h,
        w,
        "view:review.subjects",
        f"/review subjects {first}",
        {"組織名": "Gamma Inc", "提案名": "コード生成モデル"},
    )
    with tempfile.TemporaryDirectory() as tmp:  # the modal keeps the uploaded file
        path = Path(tmp) / "applicants.csv"
        path.write_text(
            "organization,proposal_title\nGamma Inc,コード生成モデル\n", encoding="utf-8"
        )
        _unsent(h, w, "view:review.import", f"/review import {first}", {"CSVファイル": str(path)})
    d.command(OPERATOR, f"/review conflicts {first}")
    w[review_blocks.Ids.DECLARE] = button(h, f"dm:{LEAD_C}", review_blocks.Ids.DECLARE)
    _click(h, LEAD_C, w[review_blocks.Ids.DECLARE])
    w["view:review.declare"] = modal(h, LEAD_C, _no_conflict(h, LEAD_C))
    close_modals(h, LEAD_C)
    for reviewer in (LEAD_C, GAKU):
        _click(h, reviewer, button(h, f"dm:{reviewer}", review_blocks.Ids.DECLARE))
        d.fill(reviewer, _no_conflict(h, reviewer))
    d.command(OPERATOR, f"/review assign {first}")
    with h.session_factory() as session:
        [hana] = session.exec(
            select(ReviewAssignment).where(ReviewAssignment.user_id == LEAD_C)
        ).all()
        name = session.get(ReviewSubject, hana.subject_id).name
    w[review_blocks.Ids.SCORE] = button(h, f"dm:{LEAD_C}", review_blocks.Ids.SCORE, name)
    _click(h, LEAD_C, w[review_blocks.Ids.SCORE])
    w["view:review.score"] = modal(h, LEAD_C, _scored(h, LEAD_C))
    close_modals(h, LEAD_C)
    _unsent(h, w, "view:review.adjust", f"/review adjust {first}", {})
    _unsent(h, w, "view:review.edit", f"/review edit {first}", {})
    # the deadline passed: the operator's results, a Decide button and its modal
    was = h.clock.moment
    h.clock.moment = was + timedelta(days=10)
    d.command(OPERATOR, f"/review results {first}")
    w[review_blocks.Ids.DECIDE] = button(h, f"ephemeral:{OPERATOR}", review_blocks.Ids.DECIDE)
    _click(h, OPERATOR, w[review_blocks.Ids.DECIDE])
    w["view:review.decide"] = modal(h, OPERATOR, {"採否": "不採択"})
    close_modals(h, OPERATOR)
    h.clock.moment = was


def _trend_report(h, w: dict) -> None:
    """The operators' draft of March's report: its buttons, the edit modal unsent."""
    h.driver.command(OPERATOR, "/trend draft 2026-03")
    for action in (report_blocks.Ids.EDIT, report_blocks.Ids.REGENERATE, report_blocks.Ids.APPROVE):
        w[action] = button(h, "#secretariat", action)
    _click(h, OPERATOR, w[report_blocks.Ids.EDIT])
    w["view:trend.report.edit"] = modal(h, OPERATOR, {"日本語": "書き換え", "英語": "rewritten"})
    close_modals(h, OPERATOR)


def setup(h, w: dict) -> None:
    was = h.clock.moment
    for part in (_uploads, _alerts, _evals, _followup, _reviews, _trend_report):
        part(h, w)
    h.clock.moment = was


def _upload(user: str, name: str, content: bytes):
    return lambda h, _w: h.driver.upload(user, name, content)


def _pick(action_id: str, slot: str):
    """A static select `action_id` choosing the value of the button stored as `w[slot]`."""

    def make(user):
        return lambda h, w: forge_click(h, user, action_id, None, selected=w[slot]["value"])

    return make


def cases() -> list[Case]:
    ops = NON_OPERATORS
    ids = review_blocks.Ids
    not_assigned = [GAKU, LEAD_A, LEAD_B, MEMBER_B, OPERATOR]  # Gaku: the other subject's
    score_pick, decide_pick = _pick(ids.SCORE_PICK, ids.SCORE), _pick(ids.DECIDE_PICK, ids.DECIDE)
    key = 'event:{"subtype": "file_share", "type": "message"}'
    return [
        # uploads
        Case("upload.csv-of-ORGB-as-lead-A", key, LEAD_A, _upload(LEAD_A, "b.csv", ORGB_CSV)),
        Case("upload.csv-as-no-org", key, GUEST, _upload(GUEST, "b.csv", ORGB_CSV)),
        *clicks(
            "upload.import-of-Yuki",
            "action:compute.upload.import",
            "compute.upload.import",
            NOT_YUKI,
        ),
        *clicks(
            "upload.cancel-of-Yuki",
            "action:compute.upload.cancel",
            "compute.upload.cancel",
            NOT_YUKI,
        ),
        # alerts
        *clicks("alerts.ack-of-ORGA", "action:alerts.ack", alert_blocks.Ids.ACK, NOT_ORGA),
        *clicks("alerts.snooze-of-ORGA", "action:alerts.snooze", alert_blocks.Ids.SNOOZE, NOT_ORGA),
        *clicks(
            "alerts.explain-of-ORGA", "action:alerts.explain", alert_blocks.Ids.EXPLAIN, NOT_ORGA
        ),
        *submits(
            "alerts.explain-submit-of-ORGA",
            "view:alerts.explain.submit",
            "view:alerts.explain",
            NOT_ORGA,
        ),
        # evaluations
        *[
            Case(f"eval.submit-as-{ROLE[u]}", "command:/eval", u, command(u, "/eval submit"))
            for u in (GUEST, OPERATOR)
        ],
        *submits(
            "evals.submit-for-ORGA", "view:evals.submit", "view:evals.submit", [MEMBER_B, GUEST]
        ),
        *clicks(
            "evals.open-submit", "action:evals.open_submit", eval_blocks.Ids.OPEN_SUBMIT, [GUEST]
        ),
        *clicks("evals.review", "action:evals.review", eval_blocks.Ids.REVIEW, ops),
        *submits("evals.review-submit", "view:evals.review.submit", "view:evals.review", ops),
        *clicks("evals.flag", "action:evals.flag", eval_blocks.Ids.FLAG, [GUEST]),
        *submits("evals.flag-submit", "view:evals.flag.submit", "view:evals.flag", [GUEST]),
        *clicks("evals.flag-resolve", "action:evals.flag.resolve", eval_blocks.Ids.RESOLVE, ops),
        # event follow-up
        *clicks(
            "eventfu.check-in-ORGA-only",
            "action:eventfu.check_in",
            followup_blocks.Ids.CHECK_IN,
            NOT_ORGA,
        ),
        *clicks(
            "eventfu.survey-not-attended",
            "action:eventfu.survey",
            followup_blocks.Ids.SURVEY,
            [LEAD_B, MEMBER_B, GUEST],
        ),
        *submits(
            "eventfu.survey-submit-of-Alice",
            "view:eventfu.survey.submit",
            "view:eventfu.survey",
            [LEAD_B, MEMBER_B, GUEST],
        ),
        # review rounds
        *clicks("review.declare", "action:review.declare", ids.DECLARE, [LEAD_A, LEAD_B, MEMBER_B]),
        *submits(
            "review.declare-submit",
            "view:review.declare.submit",
            "view:review.declare",
            [LEAD_A, LEAD_B, MEMBER_B],
        ),
        *clicks("review.score-of-Hana", "action:review.score", ids.SCORE, not_assigned),
        *[
            Case(f"review.score-pick-as-{ROLE[u]}", "action:review.score_pick", u, score_pick(u))
            for u in not_assigned
        ],
        *submits(
            "review.score-submit-of-Hana",
            "view:review.score.submit",
            "view:review.score",
            not_assigned,
        ),
        *clicks("review.decide", "action:review.decide", ids.DECIDE, [*ops, LEAD_C]),
        *[
            Case(f"review.decide-pick-as-{ROLE[u]}", "action:review.decide_pick", u, decide_pick(u))
            for u in (*ops, LEAD_C)
        ],
        *submits(
            "review.decide-submit",
            "view:review.decide.submit",
            "view:review.decide",
            [*ops, LEAD_C],
        ),
        *submits(
            "review.round-submit", "view:review.round.submit", "view:review.round", [*ops, LEAD_C]
        ),
        *submits(
            "review.subjects-submit",
            "view:review.subjects.submit",
            "view:review.subjects",
            [*ops, LEAD_C],
        ),
        *submits(
            "review.import-submit",
            "view:review.import.submit",
            "view:review.import",
            [*ops, LEAD_C],
        ),
        *submits(
            "review.adjust-submit",
            "view:review.adjust.submit",
            "view:review.adjust",
            [*ops, LEAD_C],
        ),
        *submits(
            "review.edit-submit", "view:review.edit.submit", "view:review.edit", [*ops, LEAD_C]
        ),
        # the monthly trend report
        *clicks("trend.report-edit", "action:trend.report.edit", report_blocks.Ids.EDIT, ops),
        *clicks(
            "trend.report-regenerate",
            "action:trend.report.regenerate",
            report_blocks.Ids.REGENERATE,
            ops,
        ),
        *clicks(
            "trend.report-approve", "action:trend.report.approve", report_blocks.Ids.APPROVE, ops
        ),
        *submits(
            "trend.report-edit-submit",
            "view:trend.report.edit.submit",
            "view:trend.report.edit",
            ops,
        ),
    ]
