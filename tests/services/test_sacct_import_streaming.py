"""sacct imports read as a stream and staged in chunks: the same jobs, totals and report
whatever the chunk size, bounded lists of skipped rows and other-GPU jobs with the right
counts, and the same file given as lines or as text is recognised."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.parsing.sacct import MAX_SKIPPED, parse_sacct
from bot.services.admin import import_setup
from bot.services.compute_imports import import_sacct
from bot.services.members import org_by_code
from bot.settings import Settings
from storage import compute as store
from storage.compute import SacctJobUsage
from tests.conftest import SETUP_YAML

SETTINGS = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
HEADER = "JobID|State|Start|End|ElapsedRaw|AllocTRES\n"
# ORGC's allocation: A100, 2024-04 .. 2027-03.
ROWS = (
    "700|REQUEUED|2024-04-02T00:00:00|2024-04-02T01:00:00|3600|gres/gpu=2\n"  # 1st run
    "701|COMPLETED|2024-04-30T23:00:00|2024-05-01T01:00:00|7200|gres/gpu:a100=1\n"  # 2 months
    "702|COMPLETED|2024-04-03T00:00:00|2024-04-03T02:00:00|7200|gres/gpu:v100=4\n"  # other GPU
    "703|COMPLETED|2024-03-31T20:00:00|2024-04-01T02:00:00|21600|gres/gpu=1\n"  # half outside
    "704|COMPLETED|2024-04-04T00:00:00|2024-04-04T01:00:00|3600|gres/gpu=8\n"  # replaced below
    "700|COMPLETED|2024-04-03T00:00:00|2024-04-03T03:00:00|10800|gres/gpu=2\n"  # 2nd run
    "705|RUNNING|2024-04-05T00:00:00|Unknown|3600|gres/gpu=1\n"  # skipped
    "704|COMPLETED|2024-04-04T00:00:00|2024-04-04T02:00:00|7200|gres/gpu=8\n"  # later End
    "700.batch|COMPLETED|2024-04-03T00:00:00|2024-04-03T03:00:00|10800|gres/gpu=2\n"  # a step
)


@pytest.fixture
def loaded(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    return session_factory


def _import(factory, text, **kwargs):
    with factory.begin() as session:
        return import_sacct(
            session=session,
            org_code="ORGC",
            provider=None,
            text=text,
            reporter="cli",
            settings=SETTINGS,
            now=NOW,
            notify=False,
            **kwargs,
        )


def _stored(factory) -> dict[tuple[str, str], tuple[float, int]]:
    with factory() as session:
        rows = session.exec(select(SacctJobUsage)).all()
    return {(r.job_id, r.month): (pytest.approx(r.gpu_hours), r.gpus) for r in rows}


def _expected(text: str) -> dict[tuple[str, str], tuple[float, int]]:
    """What the import stores, worked out from the whole-file parser as it used to be."""
    jobs: dict[tuple[str, str], tuple[float, int]] = {}
    for u in parse_sacct(text, tz=ZoneInfo(SETTINGS.timezone)).usages:
        if (u.gpu_type or "a100").casefold() == "a100" and "2024-04" <= u.month <= "2027-03":
            hours, gpus = jobs.get((u.job_id, u.month), (0.0, 0))
            jobs[(u.job_id, u.month)] = (hours + u.gpu_hours, max(gpus, u.gpus))
    return {key: (pytest.approx(hours), gpus) for key, (hours, gpus) in jobs.items()}


@pytest.mark.parametrize("chunk_rows", [1, 3, 10_000])
def test_chunk_size_changes_nothing(loaded, chunk_rows):
    result = _import(loaded, HEADER + ROWS, chunk_rows=chunk_rows)
    # 700: 2 + 6 GPU-h; 701: 1 + 1; 703: 2 of 6 h in April; 704: 16 (the later row)
    assert result.file_hours == {"2024-04": pytest.approx(27.0), "2024-05": pytest.approx(1.0)}
    assert result.month_status["2024-04"] == ("created", pytest.approx(27.0))
    assert result.outside_period == ["2024-03"]
    assert result.other_gpu_type == {"v100": [4]} and result.other_gpu_jobs == {"v100": 1}
    assert [s.line for s in result.skipped] == [6, 8] and result.skipped_more == 0
    assert (result.rows_read, result.gpu_jobs) == (9, 6)  # 704's later row replaces its first
    assert _stored(loaded) == _expected(HEADER + ROWS)
    assert _stored(loaded)[("704", "2024-04")] == (pytest.approx(16.0), 8)


def test_reimport_as_lines_is_the_same_file(loaded):
    text = HEADER + ROWS
    first = _import(loaded, text)
    again = _import(loaded, iter(text.splitlines(keepends=True)), chunk_rows=2)
    assert again.month_status["2024-04"] == ("duplicate", first.month_status["2024-04"][1])
    assert _stored(loaded) == _expected(text)


def test_upsert_counts(loaded):
    def counts(text):
        with loaded.begin() as session:
            stage = store.SacctStage(session, period=("2024-04", "2027-03")).open()
            stage.add([(n, job, "2024-04", hours, 1, None) for n, (job, hours) in enumerate(text)])
            stage.add(
                [(99, "other", "2024-04", 5.0, 1, "v100"), (98, "old", "2020-01", 5.0, 1, None)]
            )
            allocation = store.allocations_for_org(session, org_by_code(session, "ORGC").id)[0]
            out = store.upsert_sacct_jobs(
                session, allocation_id=allocation.id, stage=stage, now=NOW
            )
            stage.close()
            return out

    assert counts([("1", 1.0), ("2", 2.0), ("2", 1.0)]) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert counts([("1", 1.0), ("2", 3.0), ("3", 1.0)]) == {
        "created": 1,
        "updated": 0,
        "unchanged": 2,
    }
    assert counts([("1", 1.5), ("2", 3.0)]) == {"created": 0, "updated": 1, "unchanged": 1}


def test_many_bad_rows_and_other_gpu_jobs_are_counted_not_all_listed(loaded):
    extra = 30
    bad = "".join(f"{i}|COMPLETED|bad|x|3600|gres/gpu=1\n" for i in range(MAX_SKIPPED + extra))
    v100 = "".join(
        f"{5000 + i}|COMPLETED|2024-04-03T00:00:00|2024-04-03T01:00:00|3600|gres/gpu:v100=1\n"
        for i in range(MAX_SKIPPED + 5)
    )
    result = _import(loaded, HEADER + bad + v100 + ROWS, chunk_rows=100)
    assert len(result.skipped) == MAX_SKIPPED and result.skipped_more == extra + 2
    assert result.skipped[0].line == 2 and result.skipped[-1].line == MAX_SKIPPED + 1
    assert result.other_gpu_jobs == {"v100": MAX_SKIPPED + 6}
    assert len(result.other_gpu_type["v100"]) == MAX_SKIPPED
    summary = result.summary()
    assert f"rows skipped: {MAX_SKIPPED + extra + 2}" in summary
    assert f"… and {extra + 2} more rows skipped, not listed" in summary
    assert f"ほかに {extra + 2} 行をスキップしました" in summary
    assert f"not counted: {MAX_SKIPPED + 6} job(s) on v100" in summary and ", … 6 more)" in summary
    assert result.file_hours == {"2024-04": pytest.approx(27.0), "2024-05": pytest.approx(1.0)}


def test_preview_of_a_file_with_many_bad_rows_says_how_many(harness):
    bad = "".join(f"{i}|COMPLETED|bad|x|3600|gres/gpu=1\n" for i in range(MAX_SKIPPED + 7))
    harness.driver.upload("U0HANA", "many.txt", (HEADER + bad + ROWS).encode())
    preview = harness.sandbox.render("dm:U0HANA")
    assert f"スキップした行は全部で {MAX_SKIPPED + 9:,} 行です" in preview
    assert "v100 のジョブ 1 件" in preview
