"""Condition alerts: runs out early, under plan at checkpoints, report missing; levels,
suppression, snooze, dry run, and the end of a condition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.blocks.alerts import StateRef
from bot.services import alert_conditions as service
from bot.services import compute
from bot.settings import Settings
from storage import members as member_store
from storage.compute import ReportSource
from tests.services.test_compute_services import _orga, loaded  # noqa: F401

SETTINGS = Settings(_env_file=None, operator_channel="C0OPS")
APRIL_2 = datetime(2026, 4, 2, 1, 30, tzinfo=UTC)  # Thursday 10:30 JST


def _report(factory, month, hours):
    with factory.begin() as session:
        org, allocation = _orga(session)
        compute.store_report(
            session=session,
            org=org,
            allocation=allocation,
            month=month,
            gpu_hours=hours,
            texts=(None, None, None),
            reporter="U0ALICE",
            source=ReportSource.MODAL,
            source_ref=None,
            now=APRIL_2,
        )


def _evaluate(factory, now, settings=SETTINGS, org="Alpha AI", over_plan=False):
    """(kind, channel) of the condition notices about one organization; the over-plan
    follow-up (these tests' reports run over a 1,000 plan) only when `over_plan`."""
    with factory.begin() as session:
        notices = service.evaluate(session=session, settings=settings, now=now)
    return sorted(
        (n.kind, n.channel)
        for n in notices
        if n.kind.startswith("condition")
        and org in n.render("en").text
        and over_plan == ("still over plan" in str(n.render("en").blocks))
    )


def test_runs_out_alerts_then_escalates_then_goes_to_operators(loaded):  # noqa: F811
    _report(loaded, "2026-03", 2000)  # 2,000 a month against a 13,000 grant: out in 2026-09
    assert _evaluate(loaded, APRIL_2) == [("condition", "U0ALICE")]
    assert _evaluate(loaded, APRIL_2 + timedelta(days=1)) == []  # suppressed
    assert _evaluate(loaded, APRIL_2 + timedelta(days=7)) == [
        ("condition", "U0ALICE"),
        ("condition_copy", "C0OPS"),
    ]
    assert _evaluate(loaded, APRIL_2 + timedelta(days=14)) == [("condition_escalation", "C0OPS")]
    assert _evaluate(loaded, APRIL_2 + timedelta(days=21)) == []  # once, not weekly


def test_a_condition_that_ends_starts_again_at_level_one(loaded):  # noqa: F811
    _report(loaded, "2026-03", 2000)
    _evaluate(loaded, APRIL_2)
    _report(loaded, "2026-03", 1000)  # corrected: no longer runs out
    assert _evaluate(loaded, APRIL_2 + timedelta(days=8)) == []
    _report(loaded, "2026-03", 2000)
    assert _evaluate(loaded, APRIL_2 + timedelta(days=9)) == [("condition", "U0ALICE")]


def test_snooze_silences_for_three_days(loaded):  # noqa: F811
    _report(loaded, "2026-03", 2000)
    with loaded.begin() as session:
        service.evaluate(session=session, settings=SETTINGS, now=APRIL_2)
        table = service.store.AlertState.__table__
        state = session.exec(table.select().where(table.c.kind == "runs_out")).first()
        actor = service.Actor(user_id="U0ALICE", lang="en")
        org, _ = _orga(session)
        actor.orgs, actor.roles = [org], {org.id: "org_lead"}
        service.snooze(
            session=session,
            actor=actor,
            state_id=state.id,
            channel="D0ALICE",
            ts="1.0",
            blocks_shown=[],
            settings=SETTINGS,
            now=APRIL_2 + timedelta(days=6),
        )
    assert _evaluate(loaded, APRIL_2 + timedelta(days=8)) == []  # snoozed until day 9
    assert _evaluate(loaded, APRIL_2 + timedelta(days=9, hours=1)) != []


def test_dry_run_sends_only_to_the_operator_channel(loaded):  # noqa: F811
    _report(loaded, "2026-03", 2000)
    dry = Settings(_env_file=None, operator_channel="C0OPS", alerts_dry_run=True)
    assert _evaluate(loaded, APRIL_2, dry) == [("condition_dry_run", "C0OPS")]


@pytest.mark.parametrize(("day", "expected"), [(29, []), (30, [("condition", "U0ALICE")])])
def test_under_plan_only_on_a_checkpoint_date(loaded, day, expected):  # noqa: F811
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05"):
        _report(loaded, month, 100)  # far under 1,000 a month
    now = datetime(2026, 6, day, 1, 30, tzinfo=UTC)
    found = [k for k in _evaluate(loaded, now)]
    assert [k for k in found if k[1] == "U0ALICE"][:1] == expected


def test_report_missing_after_the_grace_days(loaded):  # noqa: F811
    # April's 3rd business day is the 3rd; grace 5 days: from the 8th
    with loaded() as session:
        org = member_store.get_org_by_code(session, "ORGB")
    before = _evaluate(loaded, datetime(2026, 4, 7, 1, 30, tzinfo=UTC), org="みらい言語研究所")
    after = _evaluate(loaded, datetime(2026, 4, 8, 1, 30, tzinfo=UTC), org="みらい言語研究所")
    assert ("condition", "U0YUKI") not in before
    assert ("condition", "U0YUKI") in after and org is not None


def _submit(factory, hours, now=APRIL_2):
    """A report through the modal's service, so the immediate over-plan alert is checked."""
    from bot.blocks.compute import ReportInput
    from bot.services.members import resolve_actor

    with factory.begin() as session:
        org, allocation = _orga(session)
        data = ReportInput(org.id, allocation.id, "2026-03", hours, None, None, None)
        actor = resolve_actor(session, "U0ALICE", "en")
        result = compute.submit_report(
            session=session, actor=actor, data=data, settings=SETTINGS, now=now
        )
    return [n for n in result.notices if n.kind == "alert"]


def test_over_plan_alert_carries_snooze_and_explain_and_is_escalated_if_it_persists(loaded):  # noqa: F811
    [alert] = _submit(loaded, 1150)  # 15 % over a 1,000 plan
    buttons = [
        e["text"]["text"]
        for b in alert.render("en").blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert buttons == ["Acknowledge", "Snooze 3 days", "Explain"]
    # the daily job does not repeat level 1 the next day, escalates after 7 days, then goes to operators
    assert _evaluate(loaded, APRIL_2 + timedelta(days=1), over_plan=True) == []
    assert _evaluate(loaded, APRIL_2 + timedelta(days=7), over_plan=True) == [
        ("condition", "U0ALICE"),
        ("condition_copy", "C0OPS"),
    ]
    assert _evaluate(loaded, APRIL_2 + timedelta(days=14), over_plan=True) == [
        ("condition_escalation", "C0OPS")
    ]


@pytest.mark.parametrize(("hours", "alerted"), [(1100, False), (1100.5, True), (0, False)])
def test_over_plan_condition_threshold_edges(loaded, hours, alerted):  # noqa: F811
    _report(loaded, "2026-03", hours)  # stored without the immediate alert
    expected = [("condition", "U0ALICE")] if alerted else []
    assert _evaluate(loaded, APRIL_2, over_plan=True) == expected


def test_snooze_after_the_condition_ended_says_so(loaded):  # noqa: F811
    from bot.errors import UserError
    from bot.services.members import resolve_actor

    [alert] = _submit(loaded, 1500)
    _submit(loaded, 1000)  # corrected to the plan: the condition ends at the next daily run
    _evaluate(loaded, APRIL_2 + timedelta(days=1), over_plan=True)
    value = alert.render("en").blocks[-1]["elements"][1]["value"]
    state_id = StateRef.model_validate_json(value).state_id
    with loaded.begin() as session:
        actor = resolve_actor(session, "U0ALICE", "en")
        with pytest.raises(UserError, match="condition has ended"):
            service.snooze(
                session=session,
                actor=actor,
                state_id=state_id,
                channel="D0ALICE",
                ts="1.0",
                blocks_shown=[],
                settings=SETTINGS,
                now=APRIL_2 + timedelta(days=2),
            )


@pytest.mark.parametrize("kind", ["overuse", *service.KINDS])
def test_every_alert_kind_can_be_explained_and_listed(kind):
    """Explain and the history name the kind: a kind without a label crashed Explain (the
    explanation was lost) for the over-plan alert."""
    from bot.blocks import alert_conditions as blocks

    for lang in ("en", "ja"):
        message = blocks.build_explanation("U0ALICE", "Alpha AI", "ABCI (H100)", kind, "why", lang)
        assert "why" in str(message.blocks)
        history = blocks.build_history([("Alpha AI", [("2026-04-01", kind, 1, None)])], lang)
        assert history.blocks


def test_an_over_plan_alert_made_on_a_report_is_not_repeated_by_the_daily_job(loaded):  # noqa: F811
    """April is reported (and alerted) on 29 April; on 30 April the daily job looks at March
    and forgets the state; on 1 May it finds April over plan: that is the alert already sent,
    not a new one. It escalates 7 days after the first alert, as usual."""
    from bot.blocks.compute import ReportInput
    from bot.services.members import resolve_actor

    april_29 = datetime(2026, 4, 29, 1, 30, tzinfo=UTC)
    with loaded.begin() as session:
        org, allocation = _orga(session)
        data = ReportInput(org.id, allocation.id, "2026-04", 1500, None, None, None)
        actor = resolve_actor(session, "U0ALICE", "en")
        result = compute.submit_report(
            session=session, actor=actor, data=data, settings=SETTINGS, now=april_29
        )
    assert [n.kind for n in result.notices].count("alert") == 1
    assert _evaluate(loaded, april_29 + timedelta(days=1), over_plan=True) == []
    may_1 = datetime(2026, 5, 1, 1, 30, tzinfo=UTC)
    assert _evaluate(loaded, may_1, over_plan=True) == []
    assert _evaluate(loaded, april_29 + timedelta(days=7), over_plan=True) == [
        ("condition", "U0ALICE"),
        ("condition_copy", "C0OPS"),
    ]


def test_use_in_a_month_left_out_of_the_plan_is_unplanned_use(loaded):  # noqa: F811
    """ORGA plans January to April; May has no plan line, so any use there is unplanned.
    An allocation with no plan at all has nothing to judge against."""
    from datetime import date

    from bot.services import alerts
    from storage.compute import ComputeAllocation

    with loaded.begin() as session:
        _org, allocation = _orga(session)
        assert alerts.planned_for(session, allocation.id, "2026-05") == 0.0
        assert alerts.planned_for(session, allocation.id, "2026-04") == 1200.0
        bare = ComputeAllocation(
            organization_id=_org.id,
            provider="Sakura",
            gpu_type="H100",
            granted_gpu_hours=100,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        session.add(bare)
        session.flush()
        assert alerts.planned_for(session, bare.id, "2026-05") is None
