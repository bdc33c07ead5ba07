"""Plan vs actual with forecast: the database sums, the forecast arithmetic and the status
thresholds at their edges."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.services.compute_outlook import (
    Status,
    forecast,
    normalisation_factor,
    outlooks,
    status_of,
)
from bot.settings import Settings
from storage import compute as store
from storage import members as member_store
from storage.compute import ComputeAllocation, UsageReport
from tests.services.test_compute_services import loaded  # noqa: F401

SETTINGS = Settings(_env_file=None)
# 2026-07-10 JST: months through 2026-06 have ended
NOW = datetime(2026, 7, 10, 3, tzinfo=UTC)


def _allocation(granted=1200.0, start=date(2026, 1, 1), end=date(2026, 12, 31)):
    return ComputeAllocation(
        id=1,
        organization_id=1,
        provider="ABCI",
        gpu_type="H100",
        granted_gpu_hours=granted,
        period_start=start,
        period_end=end,
    )


def test_forecast_extends_the_burn_rate_to_the_period_end():
    # 600 used through June, 100/month: July–December add 600 → 1,200 = the grant exactly
    assert forecast(_allocation(), through="2026-06", actual=600, burn_rate=100) == (1200, None)


def test_runs_out_date_is_interpolated_inside_its_month():
    # 600 used, 200/month, 1,200 granted: 3 months → runs out at the start of October
    end, runs_out = forecast(_allocation(), through="2026-06", actual=600, burn_rate=200)
    assert end == 1800 and runs_out == date(2026, 10, 1)
    # 250/month: 2.4 months → 40 % into September (30 days → 12 days)
    assert forecast(_allocation(), through="2026-06", actual=600, burn_rate=250)[1] == date(
        2026, 9, 13
    )


def test_already_used_up_runs_out_at_the_end_of_the_last_month():
    assert forecast(_allocation(), through="2026-06", actual=1300, burn_rate=50)[1] == date(
        2026, 6, 30
    )


def test_no_burn_rate_no_forecast():
    assert forecast(_allocation(), through="2026-06", actual=0, burn_rate=None) == (None, None)


@pytest.mark.parametrize(
    ("planned", "actual", "reported", "runs_out", "expected"),
    [
        (1000, 0, 0, None, Status.NO_DATA),
        (1000, 1100, 3, None, Status.ON_TRACK),  # exactly +10 %: not more than the threshold
        (1000, 1100.5, 3, None, Status.OVER_PLAN),
        (1000, 800, 3, None, Status.ON_TRACK),  # exactly −20 %
        (1000, 799.5, 3, None, Status.UNDER_PLAN),
        (0, 5, 1, None, Status.OVER_PLAN),  # nothing planned, something used
        (1000, 1000, 3, date(2026, 10, 1), Status.RUNS_OUT),  # runs out wins over on track
    ],
)
def test_status_thresholds(planned, actual, reported, runs_out, expected):
    assert (
        status_of(
            planned=planned,
            actual=actual,
            months_reported=reported,
            runs_out=runs_out,
            over_percent=10,
            under_percent=20,
        )
        == expected
    )


def test_outlooks_sum_in_the_database(session_factory):
    with session_factory.begin() as session:
        org, _ = member_store.upsert_org(session, code="ORGA", name="Alpha")
        allocation = ComputeAllocation(
            organization_id=org.id,
            provider="ABCI",
            gpu_type="H100",
            granted_gpu_hours=1200,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        session.add(allocation)
        session.flush()
        for n, month in enumerate(
            ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"], start=1
        ):
            store.upsert_plan(session, allocation_id=allocation.id, month=month, planned=100)
            if month <= "2026-05":  # June not reported; July not ended
                store.add_report(
                    session,
                    UsageReport(
                        organization_id=org.id,
                        allocation_id=allocation.id,
                        month=month,
                        gpu_hours=100 * n,
                        reporter="U1",
                        submitted_at=NOW,
                    ),
                )
    with session_factory() as session:
        [outlook] = outlooks(session=session, settings=SETTINGS, now=NOW)
    assert outlook.through == "2026-06"
    assert outlook.planned_to_date == 600  # Jan–Jun
    assert outlook.actual_to_date == 1500  # 100+200+300+400+500
    assert outlook.months_reported == 5
    assert outlook.burn_rate == 450  # mean of April and May (the window is Apr–Jun)
    assert outlook.runs_out == date(2026, 6, 30)  # already past the grant
    assert outlook.status == Status.RUNS_OUT
    assert outlook.variance == 900 and outlook.variance_percent == 150


def test_normalisation_factor_matches_the_gpu_type_case_insensitively():
    factors = {"H100": 1.0, " a100 ": 0.5}
    assert normalisation_factor(factors, "h100") == 1.0
    assert normalisation_factor(factors, "A100") == 0.5
    assert normalisation_factor(factors, "V100") is None  # no factor: nothing normalised
    assert normalisation_factor({}, "H100") is None
    assert normalisation_factor(factors, None) is None


def test_outlooks_carry_the_factor_and_normalise_only_with_one(session_factory):
    with session_factory.begin() as session:
        org, _ = member_store.upsert_org(session, code="ORGA", name="Alpha")
        for gpu_type in ("A100", "H100"):
            session.add(
                ComputeAllocation(
                    organization_id=org.id,
                    provider="ABCI",
                    gpu_type=gpu_type,
                    granted_gpu_hours=1200,
                    period_start=date(2026, 1, 1),
                    period_end=date(2026, 12, 31),
                )
            )
        session.flush()
        for allocation in store.allocations_for_org(session, org.id):
            store.upsert_plan(session, allocation_id=allocation.id, month="2026-06", planned=300)
    settings = Settings(_env_file=None, gpu_normalisation="a100=0.5")
    with session_factory() as session:
        by_type = {
            o.allocation.gpu_type: o for o in outlooks(session=session, settings=settings, now=NOW)
        }
        plain = outlooks(session=session, settings=SETTINGS, now=NOW)
    a100, h100 = by_type["A100"], by_type["H100"]
    assert a100.factor == 0.5 and a100.normalised(a100.planned_to_date) == 150
    assert a100.normalised(a100.allocation.granted_gpu_hours) == 600
    assert a100.normalised(None) is None
    assert h100.factor is None and h100.normalised(h100.planned_to_date) is None
    assert [o.factor for o in plain] == [None, None]


def test_status_reply_shows_normalised_gpu_hours_only_with_a_factor(loaded):  # noqa: F811
    from bot.services.compute import status
    from bot.services.members import resolve_actor

    def reply(settings):
        with loaded.begin() as session:
            actor = resolve_actor(session, "U0ALICE", "en")
            message = status(
                session=session, actor=actor, org_code=None, settings=settings, now=NOW
            )
        return message.text + str(message.blocks)

    plain = Settings(_env_file=None)
    assert "Normalised" not in reply(plain)
    factored = Settings(_env_file=None, gpu_normalisation={"h100": 0.5})
    text = reply(factored)
    assert "Normalised GPU-hours (× 0.5)" in text and "granted 6,500" in text
