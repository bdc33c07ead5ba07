"""Allocation list and change-request list at programme size stay within Slack's limits
(50 blocks a message, 25 elements an actions block, 3000 characters a section) and lose
nothing."""

from __future__ import annotations

from datetime import date

from bot.blocks.allocation_admin import AllocationView, build_admin_list
from bot.blocks.change_requests import RequestView, build_request_list


def test_admin_list_of_75_allocations_fits_and_names_each():
    views = [
        AllocationView(
            id=org * 10 + n,
            org_name=f"Organization {org}",
            org_code=f"ORG{org:02d}",
            provider=f"Provider number {n}",
            gpu_type="H100",
            granted=123456.5,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            plans={"2026-01": 1000.0},
        )
        for org in range(15)
        for n in range(5)
    ]
    message = build_admin_list(views, "en")
    blocks = message.blocks
    assert len(blocks) <= 50
    actions = [b for b in blocks if b["type"] == "actions"]
    assert all(len(b["elements"]) <= 25 for b in actions)
    labels = [e["text"]["text"] for b in actions for e in b["elements"]]
    assert len(labels) == 76 and len(set(labels)) == 76  # unique, so each can be clicked
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(text) <= 3000 for text in sections)
    listed = "\n".join(sections)
    assert all(
        f"*ORG{org:02d}* Provider number {n}" in listed for org in range(15) for n in range(5)
    )


def test_request_list_stays_within_50_blocks():
    views = [
        RequestView(
            id=n,
            org_name="Alpha AI",
            label="ABCI (H100)",
            kind="extension",
            what={"end": "2026-12-31", "new_end": "2027-03-31"},
            justification="x",
            requested_by="U0ALICE",
            requested_on="2026-04-01",
            status="denied",
            decided_by="U0SATO",
            reason="no",
        )
        for n in range(40)
    ]
    assert len(build_request_list(views, "ja").blocks) <= 50
