"""Reconciliation: a self-report (the modal) and a measured figure (sacct, FOCUS) for the same
allocation and month that disagree beyond the tolerance are reported to the operator channel,
once, with both figures; CSV figures and agreeing figures say nothing."""

from __future__ import annotations

import pytest

from bot.blocks.compute import ReportInput
from bot.services import reconciliation
from bot.services.compute import submit_report
from bot.services.compute_imports import apply_month_totals
from bot.services.members import resolve_actor
from storage import compute as store
from storage import members as member_store
from storage.compute import ReportSource
from tests.services.test_compute_services import NOW, SETTINGS, loaded  # noqa: F401


@pytest.mark.parametrize(
    ("reported", "measured", "tolerance", "expected"),
    [
        (1050, 1000, 5, None),  # exactly at the tolerance: fine
        (1051, 1000, 5, 5.1),  # just beyond it
        (949, 1000, 5, 5.1),  # below, too
        (0, 0, 5, None),
        (5, 0, 5, float("inf")),  # use reported, none measured
        (1000, 1000, 0, None),
    ],
)
def test_disagreement_edges(reported, measured, tolerance, expected):
    result = reconciliation.disagreement(reported, measured, tolerance)
    assert result == (pytest.approx(expected) if expected not in (None, float("inf")) else expected)


def _ids(session):
    org = member_store.get_org_by_code(session, "ORGA")
    [allocation] = store.allocations_for_org(session, org.id)
    return org, allocation


def _self_report(factory, hours, ref):
    with factory.begin() as session:
        org, allocation = _ids(session)
        actor = resolve_actor(session, "U0ALICE", "en")
        data = ReportInput(
            org_id=org.id,
            allocation_id=allocation.id,
            month="2026-03",
            gpu_hours=hours,
            progress=None,
            issues=None,
            improvement_plan=None,
        )
        result = submit_report(
            session=session, actor=actor, data=data, settings=SETTINGS, now=NOW, source_ref=ref
        )
        return [n for n in result.notices if n.kind == "reconciliation"]


def _measured(factory, hours, source=ReportSource.SACCT, ref="sha:1"):
    with factory.begin() as session:
        org, allocation = _ids(session)
        _status, notices = apply_month_totals(
            session=session,
            org=org,
            allocation=allocation,
            totals={"2026-03": hours},
            source=source,
            source_ref=ref,
            reporter="cli",
            settings=SETTINGS,
            now=NOW,
            notify=True,
        )
        return [n for n in notices if n.kind == "reconciliation"]


def test_measured_import_disagreeing_with_the_self_report_warns_operators_once(loaded):  # noqa: F811
    assert _self_report(loaded, 1200, "view:V1") == []
    [warning] = _measured(loaded, 1000)
    assert warning.channel == "C0OPS"
    text = warning.render("en").text + str(warning.render("en").blocks)
    assert "1,200" in text and "1,000" in text and "Slurm (sacct)" in text and "20.0%" in text
    assert "measured one" in text
    ja = str(warning.render("ja").blocks)
    assert "自己申告" in ja and "計測" in ja
    assert _measured(loaded, 1000) == []  # the same file again: nothing new
    # the lead corrects the self-report to agree: no warning
    assert _self_report(loaded, 1010, "view:V2") == []
    # a self-report far from the measured figure warns again, naming the self-report in force
    [again] = _self_report(loaded, 1500, "view:V3")
    assert "self-reported one" in str(again.render("en").blocks)


def test_measured_figure_equal_to_the_self_report_is_still_recorded_as_measured(loaded):  # noqa: F811
    _self_report(loaded, 1000, "view:V1")
    assert _measured(loaded, 1000) == []
    with loaded.begin() as session:
        _org, allocation = _ids(session)
        sources = [
            r.source
            for r in store.report_revisions(session, allocation_id=allocation.id, month="2026-03")
        ]
    assert sources == ["modal", "sacct"]
    # so a later self-report that disagrees with it is caught
    assert len(_self_report(loaded, 2000, "view:V2")) == 1


def test_csv_figures_are_neither_self_reports_nor_measured(loaded):  # noqa: F811
    _self_report(loaded, 1200, "view:V1")
    assert _measured(loaded, 500, source=ReportSource.CSV) == []
    assert _measured(loaded, 500, source=ReportSource.FOCUS, ref="sha:2") != []
