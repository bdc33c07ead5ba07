"""Usage reports, allocations (the operators' admin, the leads' change requests) and
instructions: created by someone allowed to, then forged by everyone else."""

from __future__ import annotations

from bot.blocks.allocation_admin import Ids as AdminIds
from bot.blocks.change_requests import Ids as ChangeIds
from bot.blocks.home import Ids as HomeIds
from bot.blocks.instructions import Ids as InstructionIds
from tests.security.authz_support import (
    GUEST,
    LEAD_A,
    LEAD_B,
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

MORE_HOURS = {
    "Kind of change": "More GPU-hours",
    "Additional GPU-hours": "1,000",
    "Justification": "Pretraining needs it",
}
INSTRUCTION = {"組織": "Alpha AI (ORGA)", "件名": "Submit the Q1 plan", "本文": "Details"}
REPORT = {"Month": "2026-03", "GPU-hours used": "10"}
NOT_ORGA = [LEAD_B, MEMBER_B, GUEST]


def setup(h, w: dict) -> None:
    d = h.driver
    # Alice's usage report modal (never submitted)
    d.command(LEAD_A, "/compute report")
    w["view:compute.report"] = modal(h, LEAD_A, REPORT)
    close_modals(h, LEAD_A)

    # the operators' allocation admin: the edit and new buttons, the edit modal
    d.command(OPERATOR, "/compute admin ORGA")
    w[AdminIds.EDIT] = button(h, f"ephemeral:{OPERATOR}", f"{AdminIds.EDIT}:")
    w[AdminIds.NEW] = button(h, f"ephemeral:{OPERATOR}", AdminIds.NEW)
    d.click(OPERATOR, "ORGA: ABCI (H100)", "ephemeral")
    w["view:allocations.admin"] = modal(h, OPERATOR, {"付与GPU時間": "99999"})
    close_modals(h, OPERATOR)

    # Alice's change request: an unsubmitted modal, then a filed one and its review
    d.command(LEAD_A, "/compute request")
    w["view:allocations.change"] = modal(h, LEAD_A, MORE_HOURS)
    close_modals(h, LEAD_A)
    d.command(LEAD_A, "/compute request")
    d.fill(LEAD_A, MORE_HOURS)
    w[ChangeIds.REVIEW] = button(h, "#secretariat", ChangeIds.REVIEW)
    d.click(OPERATOR, "審査する", "#secretariat")
    w["view:allocations.review"] = modal(
        h, OPERATOR, {"決定": "承認", "理由（申請者に送られます）": "ok"}
    )
    close_modals(h, OPERATOR)

    # an instruction to ORGA: the unsubmitted modal, then the issued one's acknowledge buttons
    d.command(OPERATOR, "/compute instruct")
    w["view:instructions.issue"] = modal(h, OPERATOR, {**INSTRUCTION, "期限": "2026-04-10"})
    close_modals(h, OPERATOR)
    d.command(OPERATOR, "/compute instruct")
    d.fill(OPERATOR, {**INSTRUCTION, "期限": "2026-04-10"})
    w[InstructionIds.ACK] = button(h, f"dm:{LEAD_A}", InstructionIds.ACK)
    d.open_home(LEAD_A)
    w[HomeIds.INSTRUCTION_ACK] = button(h, f"home:{LEAD_A}", HomeIds.INSTRUCTION_ACK)


def cases() -> list[Case]:
    ops = NON_OPERATORS
    return [
        *submits(
            "compute.report-for-ORGA", "view:compute.report.submit", "view:compute.report", NOT_ORGA
        ),
        *clicks(
            "allocations.edit", "action:re:^allocations\\.admin\\.edit:\\d+$", AdminIds.EDIT, ops
        ),
        *clicks("allocations.new", "action:allocations.admin.new", AdminIds.NEW, ops),
        *submits(
            "allocations.admin-submit",
            "view:allocations.admin.submit",
            "view:allocations.admin",
            ops,
        ),
        *submits(
            "allocations.change-for-ORGA",
            "view:allocations.change.submit",
            "view:allocations.change",
            NOT_ORGA,
        ),
        *clicks("allocations.review", "action:allocations.change.review", ChangeIds.REVIEW, ops),
        *submits(
            "allocations.review-submit",
            "view:allocations.change.review.submit",
            "view:allocations.review",
            ops,
        ),
        *submits(
            "instructions.issue", "view:instructions.issue.submit", "view:instructions.issue", ops
        ),
        *clicks(
            "instructions.ack-of-ORGA", "action:instructions.ack", InstructionIds.ACK, NOT_ORGA
        ),
        *clicks(
            "home.instruction-ack-of-ORGA",
            "action:home.instruction.ack",
            HomeIds.INSTRUCTION_ACK,
            NOT_ORGA,
        ),
    ]
