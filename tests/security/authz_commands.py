"""Slash-command subcommands reserved to operators or leads, typed by everyone else, and the
reads that must show only the reader's own organizations. The objects these commands would
act on come from the other domain modules (announcements, events, ...)."""

from __future__ import annotations

from tests.security.authz_support import (
    GUEST,
    LEAD_A,
    LEAD_B,
    MEMBER_B,
    NON_OPERATORS,
    ROLE,
    Case,
    command,
)

# (case name, listener key, the command line): operators only
OPERATOR_ONLY = [
    ("kiban.member-add", "command:/kiban", "/kiban member add <@U0GUEST> ORGA org_lead"),
    ("kiban.member-add-usage", "command:/kiban", "/kiban member add"),
    ("compute.admin", "command:/compute", "/compute admin"),
    ("compute.instruct", "command:/compute", "/compute instruct"),
    ("compute.export", "command:/compute", "/compute export"),
    ("compute.requests-all", "command:/compute", "/compute requests ORGC"),
    ("data.admin", "command:/data", "/data admin"),
    ("data.pipeline", "command:/data", "/data pipeline"),
    ("event.create", "command:/event", "/event create"),
    ("event.import", "command:/event", "/event import"),
    ("event.stats", "command:/event", "/event stats"),
    ("trend.draft", "command:/trend", "/trend draft 2026-03"),
    ("progress.export", "command:/progress", "/progress export"),
    ("practice.queue", "command:/practice", "/practice queue"),
    ("announce.compose", "command:/announce", "/announce"),
    ("announce.list", "command:/announce", "/announce list"),
    ("review.create", "command:/review", "/review create"),
]


def setup(h, w: dict) -> None:
    """Nothing of its own: the commands act on what the other modules create."""


def cases() -> list[Case]:
    out = [
        Case(f"{name}-as-{ROLE[user]}", key, user, command(user, line))
        for name, key, line in OPERATOR_ONLY
        for user in NON_OPERATORS
    ]
    # leads only: a member or someone in no organization asks for more GPU hours
    out += [
        Case(f"compute.request-as-{ROLE[user]}", "command:/compute", user, command(user, line))
        for user in (MEMBER_B, GUEST)
        for line in ("/compute request",)
    ]
    return out


def reads() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(id, reader, command line, texts of other organizations that must not appear)."""
    alpha = ("Alpha AI", "13,000", "13000", "1,200")
    return [
        ("compute.status-ORGA-as-member-B", MEMBER_B, "/compute status ORGA", alpha),
        ("compute.status-ORGA-as-lead-B", LEAD_B, "/compute status ORGA", alpha),
        ("compute.status-ORGA-as-no-org", GUEST, "/compute status ORGA", alpha),
        ("compute.status-as-lead-B", LEAD_B, "/compute status", alpha),
        ("compute.alerts-ORGA-as-lead-B", LEAD_B, "/compute alerts ORGA", ("Alpha AI",)),
        ("compute.requests-ORGA-as-lead-B", LEAD_B, "/compute requests ORGA", ("Alpha AI",)),
        ("compute.chart-ORGA-as-member-B", MEMBER_B, "/compute chart ORGA", ("Alpha AI",)),
        ("eval.status-ORGA-as-member-B", MEMBER_B, "/eval status ORGA", ("Alpha AI",)),
        ("eval.status-ORGA-as-no-org", GUEST, "/eval status ORGA", ("Alpha AI",)),
        ("data.requests-ORGA-as-lead-B", LEAD_B, "/data requests ORGA", ("Alpha AI",)),
        ("progress.status-as-lead-A", LEAD_A, "/progress status", ("生成AI利活用調査",)),
        (
            "progress.status-SURVA-as-lead-A",
            LEAD_A,
            "/progress status SURVA",
            ("生成AI利活用調査",),
        ),
    ]
