"""Killed mid-send, then restarted (issue #10): a Kiban process runs a job that fans out many
messages through a slow Slack (the sandbox answers each post after 0.1 s) and is killed with
SIGKILL once some have gone; a new process then runs the same job and the outbox. Every
message the job decided is delivered exactly once — the one in flight when the process died
included (found by its key, not posted again) — and nothing is decided twice.

SQLite, and PostgreSQL when configured. Slow-ish (a few seconds each): marked `slow`, run by
`.ci/run` like every test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.sandbox import Sandbox, Workspace
from bot.services.admin import import_setup
from bot.services.usage_imports import import_usage_csv
from jobs.compute import run_condition_alerts, run_weekly_digest
from jobs.delivery import run_outbox
from storage.outbox import LEASE, OutboxMessage
from tests.faults.crash_child import deps_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ORGS = 40
LEADS = [f"U0L{n:02d}" for n in range(1, ORGS + 1)]
WEDNESDAY = datetime(2026, 4, 15, 1, 30, tzinfo=UTC)  # 10:30 JST, reports for March missing
MONDAY = datetime(2026, 4, 13, 0, 0, tzinfo=UTC)  # 09:00 JST: the weekly digest
OPERATOR = {"operator_channel": "C0OPS"}
DIGEST = {"digest_channel": "C0DIGEST", "operator_channel": "C0OPS"}  # with a chart per org


def _workspace() -> dict:
    users = [{"id": "U0SATO", "name": "sato"}] + [
        {"id": lead, "name": f"lead{lead[-2:]}"} for lead in LEADS
    ]
    channels = [{"id": "C0OPS", "name": "secretariat"}, {"id": "C0DIGEST", "name": "digest"}]
    return {"users": users, "channels": channels}


def _setup() -> str:
    orgs = [
        "  - {code: SEC, name: Secretariat, kind: secretariat, channel: C0OPS, language: ja,"
        " members: [{user: U0SATO, role: operator}]}"
    ]
    for n, lead in enumerate(LEADS, start=1):
        orgs.append(
            f"  - code: D{n:02d}\n    name: Developer {n:02d}\n    kind: developer\n"
            f"    language: ja\n    members: [{{user: {lead}, role: org_lead}}]\n"
            "    allocations:\n      - {provider: ABCI, gpu_type: H100, granted_gpu_hours: 9000,"
            " period_start: 2026-01-01, period_end: 2026-12-31,"
            " plans: {2026-01: 700, 2026-02: 700, 2026-03: 700, 2026-04: 700}}"
        )
    return "organizations:\n" + "\n".join(orgs) + "\n"


@pytest.fixture
def programme(database_url):
    with Sandbox(workspace=Workspace.from_dict(_workspace()), signing_secret="s") as sandbox:
        factory = deps_for(database_url, sandbox.api_url, WEDNESDAY, {}).session_factory
        with factory.begin() as session:
            import_setup(session=session, text=_setup())
        yield sandbox, database_url


def _report_february(database_url, sandbox) -> None:
    """Usage for February from every organization (so each has a chart in the digest)."""
    rows = [f"Developer {n:02d},2026-02,ABCI,H100,{600 + n}" for n in range(1, ORGS + 1)]
    deps = deps_for(database_url, sandbox.api_url, MONDAY, {})
    with deps.session_factory.begin() as session:
        import_usage_csv(
            session=session,
            text="organization,month,provider,gpu_type,gpu_hours\n" + "\n".join(rows) + "\n",
            reporter="test",
            settings=deps.settings,
            now=MONDAY - timedelta(days=30),
            notify=False,
        )


def _posted(sandbox, kinds=("message", "file")) -> list:
    """Every message (and file share) the bot posted, in any conversation."""
    return [e for e in sandbox.state.entries if e.kind in kinds and e.user == "U0KIBAN"]


def _kill_while_sending(sandbox, database_url, job, now, extra, until) -> int:
    """Run `job` in a child process and SIGKILL it once `until(sandbox, faults)` is true
    (mid-fan-out; `faults` the slow-down per method, whose `hits` count the calls made).
    Returns how many messages were posted when it died."""
    faults = {
        method: sandbox.faults.add(method, "timeout", delay=0.1)  # slow, not failing
        for method in ("chat.postMessage", "files.completeUploadExternal")
    }
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.faults.crash_child",
            database_url,
            sandbox.api_url,
            job,
            now.isoformat(),
            json.dumps(extra),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not until(sandbox, faults):
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the child never got going"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    _idle(sandbox)  # the call in flight when it died still lands in Slack
    sandbox.faults.clear()
    return len(_posted(sandbox))


def _idle(sandbox, quiet: float = 0.3, limit: float = 30.0) -> None:
    """Wait until the sandbox has no request in flight and none came for `quiet` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with sandbox.state.lock:
            idle = sandbox.state.inflight == 0
            quiet_for = time.monotonic() - sandbox.state.last_activity
        if idle and quiet_for >= quiet:
            return
        time.sleep(0.02)
    raise AssertionError("the sandbox never went quiet")


def _keys(sandbox) -> list[str]:
    return [
        ((e.raw.get("metadata") or {}).get("event_payload") or {}).get("key")
        for e in _posted(sandbox, ("message",))
    ]


def _shared_files(sandbox) -> list[str]:
    return [f["id"] for e in _posted(sandbox, ("file",)) for f in e.raw["files"]]


def _rows(deps) -> list[OutboxMessage]:
    with deps.session_factory() as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def _exactly_once(sandbox, deps) -> list[OutboxMessage]:
    rows = _rows(deps)
    assert rows and all(row.sent_at is not None for row in rows)
    posts = [row for row in rows if not row.file_ids]
    assert all(row.ts for row in posts)
    assert sorted(_keys(sandbox)) == sorted(row.key for row in posts)  # each once, no other
    shared = [fid for row in rows for fid in row.file_ids]
    assert sorted(_shared_files(sandbox)) == sorted(shared)  # each file shared once
    return rows


def test_killed_in_the_middle_of_an_alert_fan_out(programme):
    sandbox, database_url = programme
    at_death = _kill_while_sending(
        sandbox,
        database_url,
        "condition_alerts",
        WEDNESDAY,
        OPERATOR,
        until=lambda sandbox, _faults: len(_posted(sandbox)) >= 8,
    )
    assert 8 <= at_death < 2 * ORGS  # it died with alerts still to send

    deps = deps_for(database_url, sandbox.api_url, WEDNESDAY, OPERATOR)  # the restart
    assert run_condition_alerts(deps=deps, now=WEDNESDAY) == 0  # the day was decided once
    run_outbox(deps=deps, now=WEDNESDAY + timedelta(minutes=1))  # the rest
    run_outbox(deps=deps, now=WEDNESDAY + LEASE + timedelta(minutes=1))  # the one in flight

    rows = _exactly_once(sandbox, deps)
    alerts = [
        row.channel for row in rows if row.kind == "condition" and row.channel.startswith("U")
    ]
    assert sorted(alerts) == LEADS  # every lead, once
    for lead in LEADS:
        assert len(sandbox.conversation(f"dm:{lead}")) == 1


def test_killed_while_the_digest_charts_are_being_shared(programme):
    """The shared digest went; the operator digest's 40 charts were uploaded and their sharing
    call made, and the process died before Slack answered: the restart finds them shared
    (files.info) and neither uploads nor shares them again."""
    sandbox, database_url = programme
    _report_february(database_url, sandbox)
    _kill_while_sending(
        sandbox,
        database_url,
        "weekly_digest",
        MONDAY,
        DIGEST,
        until=lambda _sandbox, faults: faults["files.completeUploadExternal"].hits >= 1,
    )
    deps = deps_for(database_url, sandbox.api_url, MONDAY, DIGEST)
    charts = _rows(deps)[1]
    assert charts.sent_at is None and len(charts.file_ids) == ORGS  # died not knowing
    assert len(_shared_files(sandbox)) == ORGS  # though Slack did share them
    assert run_weekly_digest(deps=deps, now=MONDAY) == 0  # the week was claimed with its queue
    run_outbox(deps=deps, now=MONDAY + LEASE + timedelta(minutes=1))

    rows = _exactly_once(sandbox, deps)
    assert [row.kind for row in rows] == ["digest", "operator_digest"]
    assert len(rows[1].file_ids) == ORGS  # one chart per organization, each shared once
    prepared = [
        e for e in sandbox.journal.records if e.get("method") == "files.getUploadURLExternal"
    ]
    assert len(prepared) == ORGS  # uploaded once
    assert len(sandbox.conversation("#digest")) == 1
