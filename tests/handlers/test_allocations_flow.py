"""Allocation management end to end through the sandbox and the real Bolt app: the operators'
`/compute admin` list, buttons and modal; change requests filed by a lead, reviewed by an
operator (approve applies the change, deny changes nothing); who may do what; the rows stored.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from bot.blocks.change_requests import ReviewMeta
from bot.errors import UserError
from bot.services import change_requests as service
from bot.services.members import resolve_actor
from storage import compute as compute_store
from storage.change_requests import ChangeRequest
from storage.compute import ComputeAllocation
from storage.members import Organization


def allocation(h, org_code="ORGA", provider="ABCI") -> ComputeAllocation | None:
    with h.session_factory() as session:
        for row in session.exec(select(ComputeAllocation)):
            org = session.get(Organization, row.organization_id)
            if org.code == org_code and row.provider == provider:
                return row
    return None


def plans(h, allocation_id) -> dict[str, float]:
    with h.session_factory() as session:
        return compute_store.plans_for(session, allocation_id)


def requests(h) -> list[ChangeRequest]:
    with h.session_factory() as session:
        return list(session.exec(select(ChangeRequest).order_by(ChangeRequest.id)))


# --- /compute admin -----------------------------------------------------------------------


def test_admin_lists_allocations_with_edit_buttons_for_operators_only(harness):
    harness.driver.command("U0SATO", "/compute admin")
    listing = harness.sandbox.render("ephemeral:U0SATO")
    assert (
        "割当と計画" in listing and "ORGA: ABCI (H100)" in listing and "ORGB: AWS (H100)" in listing
    )
    assert "新しい割当" in listing

    harness.driver.command("U0ALICE", "/compute admin")
    assert "only the secretariat" in harness.sandbox.render("ephemeral:U0ALICE")


def test_operator_adds_an_allocation_and_bad_plans_get_inline_errors(harness):
    harness.driver.command("U0SATO", "/compute admin")
    harness.driver.click("U0SATO", "新しい割当", "ephemeral")
    assert "新しい割当" in harness.sandbox.render("modal:U0SATO")
    fields = {
        "組織": "Alpha AI (ORGA)",
        "プロバイダ / クラスタ": "AWS",
        "GPU種別": "H200",
        "付与GPU時間": "２，０００",
        "期間の開始日": "2026-04-01",
        "期間の終了日": "2026-09-30",
        "月次計画": "2026-04: 1500\n2026年5月：６００",
    }
    harness.driver.fill("U0SATO", fields)
    errors = harness.driver.modal_errors("U0SATO")
    assert "2,100" in errors["月次計画"] and "2,000" in errors["月次計画"]  # over the grant
    assert allocation(harness, provider="AWS") is None

    harness.driver.fill("U0SATO", {"月次計画": "2026-03: 10\n2026-04: 1500"})
    assert "2026-03" in harness.driver.modal_errors("U0SATO")["月次計画"]  # outside the period

    harness.driver.fill("U0SATO", {"月次計画": "2026-04: 1500\nMay 2026: 500"})
    assert harness.driver.modal_errors("U0SATO") == {}
    row = allocation(harness, provider="AWS")
    assert (row.gpu_type, row.granted_gpu_hours, row.period_start, row.period_end) == (
        "H200",
        2000.0,
        date(2026, 4, 1),
        date(2026, 9, 30),
    )
    assert plans(harness, row.id) == {"2026-04": 1500.0, "2026-05": 500.0}
    assert "保存しました" in harness.sandbox.render("dm:U0SATO")

    # the same allocation again is refused, not duplicated
    harness.driver.command("U0SATO", "/compute admin")
    harness.driver.click("U0SATO", "新しい割当", "ephemeral")
    harness.driver.fill("U0SATO", {**fields, "月次計画": ""})
    assert "すでにあります" in harness.driver.modal_errors("U0SATO")["プロバイダ / クラスタ"]


def test_operator_edits_an_allocation_from_a_prefilled_modal(harness):
    before = allocation(harness)
    harness.driver.command("U0SATO", "/compute admin ORGA")
    harness.driver.click("U0SATO", "ORGA: ABCI (H100)", "ephemeral")
    modal = harness.sandbox.render("modal:U0SATO")
    assert "割当の編集" in modal and "13000" in modal and "2026-04: 1200" in modal
    harness.driver.fill(
        "U0SATO",
        {"付与GPU時間": "14000", "期間の終了日": "2027-03-31", "月次計画": "2026-05: 2000"},
    )
    after = allocation(harness)
    assert after.id == before.id
    assert (after.granted_gpu_hours, after.period_end) == (14000.0, date(2027, 3, 31))
    assert plans(harness, after.id) == {"2026-05": 2000.0}  # the text is the whole plan


# --- change requests ----------------------------------------------------------------------


def file_more_hours(h, extra="1,000", justification="Pretraining of the 70B model needs it"):
    h.driver.command("U0ALICE", "/compute request")
    return h.driver.fill(
        "U0ALICE",
        {
            "Kind of change": "More GPU-hours",
            "Additional GPU-hours": extra,
            "Justification": justification,
        },
    )


def test_lead_files_a_request_and_an_operator_approves_it(harness):
    file_more_hours(harness)
    [request] = requests(harness)
    assert (request.kind, request.extra_gpu_hours, request.status) == ("more_hours", 1000.0, "open")
    assert "change request #1" in harness.sandbox.render("dm:U0ALICE")
    ops = harness.sandbox.render("#secretariat")
    assert "割当の変更申請 #1" in ops and "1,000" in ops and "14,000" in ops and "審査する" in ops

    harness.driver.click("U0SATO", "審査する", "#secretariat")
    assert "変更申請の審査" in harness.sandbox.render("modal:U0SATO")
    harness.driver.fill(
        "U0SATO", {"決定": "承認", "理由（申請者に送られます）": "Justified by the plan"}
    )
    assert allocation(harness).granted_gpu_hours == 14000.0
    [request] = requests(harness)
    assert (request.status, request.decided_by, request.decision_reason) == (
        "approved",
        "U0SATO",
        "Justified by the plan",
    )
    dm = harness.sandbox.render("dm:U0ALICE")
    assert "was *approved* by" in dm or "approved" in dm
    assert "Justified by the plan" in dm and "14,000 GPU-hours granted" in dm
    ops = harness.sandbox.render("#secretariat")
    assert "承認" in ops and "Justified by the plan" in ops

    assert "審査する" not in ops  # the Review button is gone
    # a second decision (another operator's modal still open) is refused; no second raise
    with harness.session_factory.begin() as session:
        actor = resolve_actor(session, "U0SATO", "en")
        with pytest.raises(UserError, match="already approved"):
            service.decide(
                session=session,
                actor=actor,
                meta=ReviewMeta(request_id=request.id),
                approve=True,
                reason="again",
                settings=harness.settings,
                now=harness.clock.now(),
            )
    assert allocation(harness).granted_gpu_hours == 14000.0

    harness.driver.command("U0ALICE", "/compute requests")
    history = harness.sandbox.render("ephemeral:U0ALICE")
    assert "#1" in history and "requested by @alice" in history
    assert "approved by @sato: Justified by the plan" in history
    # the history reads as it was asked, not against today's grant
    assert "Add 1,000 GPU-hours to the 13,000 granted (→ 14,000)" in history


def test_denied_request_changes_nothing_and_the_requester_hears_why(harness):
    harness.driver.command("U0ALICE", "/compute request")
    harness.driver.fill(
        "U0ALICE",
        {
            "Kind of change": "Later end date",
            "New end date": "2027-06-30",
            "Justification": "Data arrives late",
        },
    )
    harness.driver.click("U0SATO", "審査する", "#secretariat")
    harness.driver.fill(
        "U0SATO", {"決定": "却下", "理由（申請者に送られます）": "Fiscal year ends in March"}
    )
    assert allocation(harness).period_end == date(2026, 12, 31)
    assert requests(harness)[0].status == "denied"
    assert "Fiscal year ends in March" in harness.sandbox.render("dm:U0ALICE")


def test_request_fields_are_checked_per_kind_and_nothing_is_stored(harness):
    harness.driver.command("U0ALICE", "/compute request")
    harness.driver.fill(
        "U0ALICE",
        {"Kind of change": "More GPU-hours", "New end date": "2027-01-31", "Justification": "x"},
    )
    errors = harness.driver.modal_errors("U0ALICE")
    assert "Enter this" in errors["Additional GPU-hours"]
    assert "not used" in errors["New end date"]
    harness.driver.fill(
        "U0ALICE",
        {
            "Kind of change": "Later end date",
            "New end date": "2026-06-30",
            "Additional GPU-hours": "",
        },
    )
    assert (
        "after the current end, 2026-12-31"
        in harness.driver.modal_errors("U0ALICE")["New end date"]
    )
    harness.driver.fill(
        "U0ALICE",
        {
            "Kind of change": "Re-profile the monthly plan",
            "New end date": "",
            "New monthly plan": "2026-05: 20000",
        },
    )
    assert (
        "more than the 13,000 granted" in harness.driver.modal_errors("U0ALICE")["New monthly plan"]
    )
    harness.driver.fill("U0ALICE", {"New monthly plan": "2026-05: 1,2"})
    assert "Line 1" in harness.driver.modal_errors("U0ALICE")["New monthly plan"]
    assert requests(harness) == []


def test_reprofile_approved_replaces_only_the_listed_months(harness):
    harness.driver.command("U0ALICE", "/compute request")
    harness.driver.fill(
        "U0ALICE",
        {
            "Kind of change": "Re-profile the monthly plan",
            "New monthly plan": "2026-05: 1500\n2026-06: 1500",
            "Justification": "Shift to summer",
        },
    )
    ops = harness.sandbox.render("#secretariat")
    assert "2026-05 – → 1,500" in ops
    harness.driver.click("U0SATO", "審査する", "#secretariat")
    harness.driver.fill("U0SATO", {"決定": "承認", "理由（申請者に送られます）": "OK"})
    assert plans(harness, allocation(harness).id) == {
        "2026-01": 1000.0,
        "2026-02": 1000.0,
        "2026-03": 1000.0,
        "2026-04": 1200.0,
        "2026-05": 1500.0,
        "2026-06": 1500.0,
    }


def test_members_who_are_not_leads_cannot_request_and_cannot_review(harness):
    harness.driver.command("U0KENJI", "/compute request")
    assert "組織責任者のみ" in harness.sandbox.render("ephemeral:U0KENJI")
    file_more_hours(harness)
    harness.driver.click("U0ALICE", "審査する", "#secretariat")
    assert "only the secretariat" in harness.sandbox.render("ephemeral:U0ALICE")
    assert requests(harness)[0].status == "open"
    harness.driver.command("U0KENJI", "/compute requests ORGA")
    assert "#1" not in harness.sandbox.render("ephemeral:U0KENJI")


def test_an_english_operator_deciding_keeps_the_shared_channel_in_its_language(harness):
    harness.admin_import(
        "organizations:\n  - code: SEC\n    name: Secretariat / 事務局\n    kind: secretariat\n"
        "    channel: C0OPS\n    language: ja\n    members:\n"
        "      - {user: U0GUEST, role: operator}\n"
    )
    file_more_hours(harness)
    harness.driver.click("U0GUEST", "審査する", "#secretariat")
    assert "Review change request" in harness.sandbox.render("modal:U0GUEST")  # their language
    harness.driver.fill(
        "U0GUEST", {"Decision": "Approve", "Reason (sent to the requester)": "From the reserve"}
    )
    ops = harness.sandbox.render("#secretariat")
    assert "@guest が承認: From the reserve" in ops and "approved by" not in ops


def test_a_request_made_against_figures_that_changed_since_cannot_be_approved(harness):
    file_more_hours(harness)  # 13,000 + 1,000 → 14,000
    harness.driver.command("U0SATO", "/compute admin ORGA")
    harness.driver.click("U0SATO", "ORGA: ABCI (H100)", "ephemeral")
    harness.driver.fill("U0SATO", {"付与GPU時間": "14000"})  # done by hand meanwhile
    harness.driver.click("U0SATO", "審査する", "#secretariat")
    harness.driver.fill("U0SATO", {"決定": "承認", "理由（申請者に送られます）": "OK"})
    assert "申請後に割当が変更" in harness.driver.modal_errors("U0SATO")["決定"]
    assert allocation(harness).granted_gpu_hours == 14000.0  # not 15,000
    assert requests(harness)[0].status == "open"


def test_the_period_cannot_end_before_usage_already_reported(harness):
    harness.driver.command("U0ALICE", "/compute report")
    harness.driver.fill("U0ALICE", {"GPU-hours used": "1350.5"})
    harness.driver.command("U0SATO", "/compute admin ORGA")
    harness.driver.click("U0SATO", "ORGA: ABCI (H100)", "ephemeral")
    harness.driver.fill("U0SATO", {"期間の終了日": "2026-02-28"})
    assert "2026-03" in harness.driver.modal_errors("U0SATO")["期間の終了日"]
    assert allocation(harness).period_end == date(2026, 12, 31)


def test_full_width_and_overlapping_allocations_are_the_same_allocation(harness):
    harness.driver.command("U0SATO", "/compute admin")
    harness.driver.click("U0SATO", "新しい割当", "ephemeral")
    fields = {
        "組織": "Alpha AI (ORGA)",
        "プロバイダ / クラスタ": "ＡＢＣＩ",
        "GPU種別": "Ｈ１００",
        "付与GPU時間": "100",
        "期間の開始日": "2026-01-01",
        "期間の終了日": "2026-06-30",
    }
    harness.driver.fill("U0SATO", fields)
    assert "すでにあります" in harness.driver.modal_errors("U0SATO")["プロバイダ / クラスタ"]
    harness.driver.fill("U0SATO", {"期間の開始日": "2026-06-01"})  # overlaps 2026
    assert "重なります" in harness.driver.modal_errors("U0SATO")["プロバイダ / クラスタ"]
    with harness.session_factory() as session:
        assert len(session.exec(select(ComputeAllocation)).all()) == 4  # as set up
