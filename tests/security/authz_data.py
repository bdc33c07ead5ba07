"""The data directory, data requests and introductions: holders imported, a request filed by
Alice and approved by an operator, an introduction offered to the holder's contact (Gaku, in
no organization), then every button, modal and options request forged by others."""

from __future__ import annotations

from bot.blocks import data_requests as request_blocks
from bot.blocks import introductions as intro_blocks
from bot.blocks.data_directory import Ids as DirectoryIds
from bot.services.data_directory import import_holders
from tests.security.authz_support import (
    GAKU,
    GUEST,
    LEAD_A,
    LEAD_B,
    MEMBER_B,
    NON_OPERATORS,
    OPERATOR,
    ROLE,
    Case,
    button,
    clicks,
    close_modals,
    forge_click,
    forge_options,
    modal,
    submits,
)

HOLDERS = """
data_holders:
  - {key: tokai-med, name: 東海メディカルレコード, organization: 東海大学病院, description: 診療記録,
     domains: [medical], modalities: [text], languages: [ja], size: 2 TB, contact: U0GAKU}
"""
REQUEST = {
    "Data needed": "Japanese clinical notes",
    "Purpose": "Medical QA tuning",
    "Domains": ["Medical and health"],
    "Modalities": ["Text"],
    "Languages": ["Japanese"],
    "Approximate size needed": "500 GB",
    "Needed by": "2026-06-30",
}
APPROVE = {
    "判断": "承認: 下のデータホルダーに打診する",
    "打診するデータホルダー": ["東海メディカルレコード — 東海大学病院"],
}
NOT_CONTACT = [LEAD_A, LEAD_B, MEMBER_B, GUEST]


def open_by_click(h, user: str, slot: dict) -> None:
    """Click the stored button as `user` (an allowed user): opens its modal."""
    forge_click(h, user, slot["action_id"], slot.get("value"), block_id=slot["block_id"])


def setup(h, w: dict) -> None:
    d = h.driver
    with h.session_factory.begin() as session:
        import_holders(session=session, text=HOLDERS, filename="holders.yaml", now=h.deps.now())
    # the operators' holder admin: edit / new buttons, the edit modal as shown
    d.command(OPERATOR, "/data admin")
    for action in (DirectoryIds.EDIT, DirectoryIds.NEW):
        w[action] = button(h, f"ephemeral:{OPERATOR}", action)
    open_by_click(h, OPERATOR, w[DirectoryIds.EDIT])
    w["view:data.holders"] = modal(h, OPERATOR, {})
    close_modals(h, OPERATOR)
    # a search result's Request introduction
    d.command(MEMBER_B, "/data search medical")
    w[DirectoryIds.REQUEST_INTRO] = button(h, f"ephemeral:{MEMBER_B}", DirectoryIds.REQUEST_INTRO)
    # Alice's request: an unsubmitted modal, then a filed one and its review
    d.command(LEAD_A, "/data request")
    w["view:data.request"] = modal(h, LEAD_A, REQUEST)
    close_modals(h, LEAD_A)
    d.command(LEAD_A, "/data request")
    d.fill(LEAD_A, REQUEST)
    w[request_blocks.Ids.REVIEW] = button(h, "#secretariat", request_blocks.Ids.REVIEW)
    d.click(OPERATOR, "審査する", "#secretariat")
    w["view:data.review"] = modal(h, OPERATOR, APPROVE)
    close_modals(h, OPERATOR)
    d.click(OPERATOR, "審査する", "#secretariat")
    d.fill(OPERATOR, APPROVE)
    # the introduction offered to Gaku: accept / not now / decline, the decline modal
    for action in (intro_blocks.Ids.ACCEPT, intro_blocks.Ids.NOT_NOW, intro_blocks.Ids.DECLINE):
        w[action] = button(h, f"dm:{GAKU}", action)
    open_by_click(h, GAKU, w[intro_blocks.Ids.DECLINE])
    w["view:intro.decline"] = modal(h, GAKU, {})
    close_modals(h, GAKU)


def _with_id(action_id: str, slot: str):
    """A click of `action_id` carrying the value of the button stored as `w[slot]`."""

    def make(user):
        return lambda h, w: forge_click(h, user, action_id, w[slot].get("value"))

    return make


def cases() -> list[Case]:
    ops = NON_OPERATORS
    details = _with_id(request_blocks.Ids.ADD_DETAILS, request_blocks.Ids.REVIEW)
    stage = _with_id(f"{intro_blocks.Ids.STAGE}:contract", intro_blocks.Ids.ACCEPT)
    pick = [
        Case(
            f"data.holders-pick-as-{ROLE[u]}",
            "options:data.holders.pick",
            u,
            lambda h, w, u=u: forge_options(h, u, DirectoryIds.HOLDER_PICK, "東海"),
            options=True,
        )
        for u in (GUEST, GAKU)
    ]
    return [
        *clicks("data.holders-edit", "action:data.holders.edit", DirectoryIds.EDIT, ops),
        *clicks("data.holders-new", "action:data.holders.new", DirectoryIds.NEW, ops),
        *submits("data.holders-submit", "view:data.holders.submit", "view:data.holders", ops),
        *pick,
        *clicks(
            "data.request-intro",
            "action:data.holders.request_intro",
            DirectoryIds.REQUEST_INTRO,
            [GUEST],
        ),
        *submits(
            "data.request-for-ORGA",
            "view:data.request.submit",
            "view:data.request",
            [MEMBER_B, GUEST],
        ),
        *clicks("data.review", "action:data.request.review", request_blocks.Ids.REVIEW, ops),
        *submits("data.review-submit", "view:data.request.review.submit", "view:data.review", ops),
        *[
            Case(f"data.details-of-A-as-{ROLE[u]}", "action:data.request.details", u, details(u))
            for u in (LEAD_B, MEMBER_B, GUEST)
        ],
        *clicks("intro.accept", "action:intro.accept", intro_blocks.Ids.ACCEPT, NOT_CONTACT),
        *clicks("intro.not-now", "action:intro.not_now", intro_blocks.Ids.NOT_NOW, NOT_CONTACT),
        *clicks("intro.decline", "action:intro.decline", intro_blocks.Ids.DECLINE, NOT_CONTACT),
        *submits(
            "intro.decline-submit", "view:intro.decline.submit", "view:intro.decline", NOT_CONTACT
        ),
        *[
            Case(f"intro.stage-as-{ROLE[u]}", "action:re:^intro\\.stage:\\w+$", u, stage(u))
            for u in (LEAD_B, MEMBER_B, GUEST)
        ],
    ]
