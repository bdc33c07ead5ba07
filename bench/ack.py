"""Benchmark: how fast Kiban acknowledges Slack's requests under load, against the floor.

Three request kinds, signed like Slack (v0: HMAC-SHA256 of `v0:{timestamp}:{body}`) and shaped
like Slack's payloads (built by the sandbox's driver, `bot.sandbox.driver`):

* `command`: `/compute report`. Kiban acks at once; its listener then calls `views.open` on
  the sandbox (the trigger_id lives 3 s: the table counts the modals that did not open).
* `submission`: a valid submission of the report modal, each with a new view id and new
  GPU-hours, so each stores a revision of the month's report before the ack (validation and
  the write happen before the ack); the confirmation DM, the channel summary and the Home
  refresh follow after it.
* `click`: the Home's **Acknowledge** button on an instruction (ack first; the first click
  records it, the others change nothing; then the Home is published again).

Each cell (kind × concurrent users) is measured against Kiban and, in the same run, against
the floor (`bench/floor.py`: a bare Bolt app on the same server stack whose listeners only
`ack()`). Users are closed-loop: each sends its next request as soon as the last one was
answered, over a new connection. Latency is from connecting to the last byte of the answer.
Between cells the bench waits until Kiban's work after the acks is done (no Web API call for
0.5 s, at most 60 s: "drain").

Modes (each with both servers started as processes, the sandbox and the load in this one):

* `sqlite`: `kiban serve` (waitress, one process) on SQLite.
* `workers`: `kiban serve --workers N` (gunicorn) on PostgreSQL.
* `replicas`: two `kiban serve --workers N` on the same port (SO_REUSEPORT), PostgreSQL.

    .venv/bin/python -m bench.ack [--modes sqlite,workers,replicas] [--users 10,50,200]
        [--kinds command,submission,click] [--requests 200] [--workers 2] [--postgres-url URL]

`--requests` is per cell (at least twice the users). PostgreSQL: `--postgres-url`, else
`KIBAN_BENCH_POSTGRES_URL` or `KIBAN_TEST_POSTGRES_URL` (a server URL: a fresh database is
created and dropped); without one the PostgreSQL modes are skipped. The workspace: 200
English-speaking members in 20 organizations (one allocation and one open instruction each)
and an operator. Timings depend on the machine and its load: not a test.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import logging
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.blocks.compute import Ids as ComputeIds
from bot.sandbox import AckResult, Sandbox, Workspace
from bot.sandbox import store as sandbox_store
from bot.sandbox.driver import Driver, sign
from bot.services.admin import import_setup
from storage.db import make_engine, make_session_factory, normalize_url
from storage.instructions import Instruction
from storage.members import Organization
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("command", "submission", "click")
USERS = (10, 50, 200)
ORGS = 20
MEMBERS = 200  # the most concurrent users a run can have
READY = re.compile(r"serving HTTP on port \d+")


# the workspace and the programme ---------------------------------------------------------------
def member_ids(n: int = MEMBERS) -> list[str]:
    return [f"U1{i:04d}" for i in range(n)]


def workspace() -> dict:
    users = [{"id": "U0OPS", "name": "ops", "locale": "en-US"}] + [
        {"id": uid, "name": f"member{i}", "locale": "en-US"} for i, uid in enumerate(member_ids())
    ]
    channels = [{"id": "C0OPS", "name": "secretariat", "private": True}]
    channels += [
        {"id": f"C0ORG{n:02d}", "name": f"org{n:02d}", "private": True} for n in range(ORGS)
    ]
    channels.append({"id": "C0DIGEST", "name": "community-digest"})
    return {"users": users, "channels": channels}


def setup_yaml(today: date) -> str:
    """The `kiban admin import` file: one organization per 10 members, one allocation each
    (three years around today, 1,000 GPU-hours planned a month)."""
    start = date(today.year - 2, 1, 1)
    end = date(today.year + 1, 12, 31)
    lines = [
        "organizations:",
        "  - {code: SEC, name: Secretariat, kind: secretariat, channel: C0OPS, language: en,",
        "     members: [{user: U0OPS, role: operator}]}",
    ]
    ids = member_ids()
    per = MEMBERS // ORGS
    for n in range(ORGS):
        members = ", ".join(
            f"{{user: {uid}, role: {'org_lead' if i == 0 else 'member'}}}"
            for i, uid in enumerate(ids[n * per : (n + 1) * per])
        )
        lines += [
            f"  - code: O{n:02d}",
            f"    name: Org {n:02d}",
            "    kind: developer",
            f"    channel: C0ORG{n:02d}",
            "    language: en",
            f"    members: [{members}]",
            "    allocations:",
            "      - provider: ABCI",
            "        gpu_type: H100",
            "        granted_gpu_hours: 36000",
            f"        period_start: {start.isoformat()}",
            f"        period_end: {end.isoformat()}",
        ]
    return "\n".join(lines) + "\n"


def prepare_database(url: str) -> None:
    """Migrate, import the programme and give each organization one open instruction."""
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    with factory.begin() as session:
        import_setup(session=session, text=setup_yaml(now.date()))
    with factory.begin() as session:
        orgs = [o.id for o in session.exec(select(Organization)) if o.code != "SEC"]
        session.execute(
            insert(Instruction),
            [
                {
                    "organization_id": org,
                    "title": "Submit the quarterly safety review",
                    "body": "Please read and acknowledge.",
                    "due_date": now.date() + timedelta(days=30),
                    "issued_by": "U0OPS",
                    "issued_at": now,
                }
                for org in orgs
            ],
        )
    engine.dispose()


def fresh_postgres(server_url: str) -> tuple[str, callable]:
    """A new, empty database on the server at `server_url`: (its URL, drop())."""
    admin = create_engine(normalize_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"kiban_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalize_url(server_url)).set(database=name)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def postgres_server(explicit: str | None) -> str | None:
    """The PostgreSQL server URL to use, or None when none is given or it cannot be reached."""
    url = (
        explicit
        or os.environ.get("KIBAN_BENCH_POSTGRES_URL")
        or os.environ.get("KIBAN_TEST_POSTGRES_URL")
    )
    if not url:
        return None
    try:
        engine = create_engine(normalize_url(url))
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001 (any failure to connect means "not reachable")
        return None
    return url


# servers ----------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Servers:
    """Server processes sharing one port, started with their logs in `logs`."""

    port: int
    procs: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def start(self, argv: list[str], env: dict, log: Path) -> None:
        out = log.open("w")
        self.procs.append(
            subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        )
        self.logs.append(log)

    def wait_ready(self, processes: int, limit: float = 90.0) -> None:
        """Until `processes` serving processes have said they are ready."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            ready = sum(len(READY.findall(p.read_text(errors="replace"))) for p in self.logs)
            if ready >= processes:
                return
            for proc, log in zip(self.procs, self.logs, strict=True):
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"servers not ready in {limit} s: {self.logs}")

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()


def kiban_env(sb: Sandbox, database_url: str, port: int) -> dict:
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": sb.bot_token,
        "SLACK_SIGNING_SECRET": sb.signing_secret,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": sb.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
        "OPERATOR_CHANNEL": "C0OPS",
        "DIGEST_CHANNEL": "C0DIGEST",
        "DEFAULT_LANGUAGE": "en",
    }


def start_servers(
    sb: Sandbox, database_url: str, replicas: int, workers: int, logdir: Path
) -> tuple[Servers, Servers]:
    """Kiban's and the floor's servers (`replicas` processes of `workers` each), ready."""
    kiban, floor = Servers(free_port()), Servers(free_port())
    workers_args = ["--workers", str(workers)] if workers > 1 else []
    for r in range(replicas):
        kiban.start(
            [sys.executable, "-m", "bot", "serve", *workers_args],
            kiban_env(sb, database_url, kiban.port),
            logdir / f"kiban-{r}.log",
        )
        floor.start(
            [sys.executable, "-m", "bench.floor", "--port", str(floor.port)]
            + ["--secret", sb.signing_secret, "--api-url", sb.api_url, *workers_args],
            dict(os.environ),
            logdir / f"floor-{r}.log",
        )
    for servers in (kiban, floor):
        servers.wait_ready(replicas * workers)
    return kiban, floor


# requests ---------------------------------------------------------------------------------------
class Capture(Driver):
    """The sandbox's driver building each request as a person's action would (fresh
    trigger_id, response_url, action_ts), but keeping the body instead of sending it."""

    def __init__(self, sb: Sandbox) -> None:
        super().__init__(sb, settle=lambda: None)
        self.body: str | None = None

    def _send(self, kind: str, body: str, content_type: str) -> AckResult:
        self.body = body
        return AckResult(status=200, body="", json=None, elapsed=0.0, late=False)


FORM = "application/x-www-form-urlencoded"


class Requests:
    """Bodies for each kind and user; the submission and click templates are taken once per
    user from a real exchange with Kiban (its modal, its Home)."""

    def __init__(self, sb: Sandbox, users: list[str]) -> None:
        self.sb = sb
        self.users = users
        self.submissions: dict[str, dict] = {}
        self.clicks: dict[str, dict] = {}
        self.serial = itertools.count(1)

    def prepare(self, bot_url: str) -> None:
        """Open each user's report modal and Home against Kiban, keep the payloads."""
        self.sb.bot_url = bot_url
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(self._prepare_user, self.users))

    def _prepare_user(self, user: str) -> None:
        sb = self.sb
        real = Driver(sb, settle=lambda: None)
        capture = Capture(sb)
        real.command(user, "/compute report")
        wait_for(lambda: sandbox_store.top_modal(sb, user) is not None, f"modal of {user}")
        capture.fill(user, {"GPU-hours used": "100"})
        if capture.body is None:
            raise RuntimeError(f"the report modal of {user} could not be submitted")
        self.submissions[user] = unpack(capture.body)
        real.open_home(user)
        wait_for(lambda: user in sb.state.homes, f"Home of {user}")
        capture.body = None
        capture.click(user, "Acknowledge", "home")
        self.clicks[user] = unpack(capture.body)

    def body(self, kind: str, user: str) -> tuple[str, str]:
        """(body, content type) of a new request of `kind` from `user`."""
        if kind == "command":
            capture = Capture(self.sb)
            capture.command(user, "/compute report")
            return capture.body, FORM
        n = next(self.serial)
        if kind == "submission":
            payload = json.loads(json.dumps(self.submissions[user]))
            payload["trigger_id"] = self.sb.state.issue_trigger(user)
            payload["view"]["id"] = f"VB{n:09d}"
            value = payload["view"]["state"]["values"][ComputeIds.GPU_HOURS][ComputeIds.INPUT]
            value["value"] = str(100 + n % 900)
        else:
            payload = json.loads(json.dumps(self.clicks[user]))
            payload["trigger_id"] = self.sb.state.issue_trigger(user)
            payload["actions"][0]["action_ts"] = self.sb.state.next_ts()
        return urlencode({"payload": json.dumps(payload)}), FORM


def unpack(body: str) -> dict:
    from urllib.parse import parse_qs

    return json.loads(parse_qs(body)["payload"][0])


def wait_for(condition, what: str, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for the {what}")
        time.sleep(0.02)


def post(port: int, secret: str, body: str, content_type: str) -> tuple[int, str, float]:
    """POST one signed request on a new connection: (HTTP status or 0, answer, seconds)."""
    ts = str(int(time.time()))
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(secret, ts, body),
    }
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/slack/events", body.encode(), headers)
        response = conn.getresponse()
        answer = response.read().decode("utf-8", "replace")
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        status, answer = 0, f"{type(error).__name__}: {error}"
    finally:
        conn.close()
    return status, answer, time.perf_counter() - started


# measuring --------------------------------------------------------------------------------------
@dataclass
class Cell:
    """One measurement: `latencies` in seconds of the answered requests."""

    mode: str
    app: str
    kind: str
    users: int
    latencies: list[float]
    errors: int
    seconds: float
    failures: int = 0  # Slack calls the sandbox refused during the cell (e.g. expired trigger)
    drain: float = 0.0  # seconds until Kiban's work after the acks was done

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.pct(0.99)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def run_cell(
    sb: Sandbox, reqs: Requests, port: int, kind: str, users: int, total: int, think: float = 0.0
) -> tuple[list[float], int, float]:
    """`users` closed-loop users sending `total` requests of `kind`: (latencies, errors, wall
    seconds). `think`: each user's mean pause between requests, in seconds (exponential,
    seeded per user); 0: none (a stress test)."""
    left = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def user_loop(i: int) -> None:
        user = reqs.users[i % len(reqs.users)]
        pauses = random.Random(i)
        while next(left) < total:
            if think:
                time.sleep(pauses.expovariate(1 / think))
            body, content_type = reqs.body(kind, user)
            status, answer, seconds = post(port, sb.signing_secret, body, content_type)
            with lock:
                if status == 200 and not answer.strip():  # every kind here acks empty
                    latencies.append(seconds)
                else:
                    errors.append(f"HTTP {status}: {answer[:200]}")

    started = time.perf_counter()
    threads = [threading.Thread(target=user_loop, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    if errors:
        print(f"  {len(errors)} errors in {kind} × {users}, e.g. {errors[0]}", file=sys.stderr)
    return latencies, len(errors), seconds


def drain(sb: Sandbox, quiet: float = 0.5, limit: float = 60.0) -> float:
    """Seconds until no Web API call is in flight and none arrived for `quiet` s."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        with sb.state.lock:
            idle = sb.state.inflight == 0 and time.monotonic() - sb.state.last_activity >= quiet
        if idle:
            break
        time.sleep(0.05)
    return max(0.0, time.monotonic() - started - quiet)


def measure_mode(
    mode: str,
    database_url: str,
    *,
    replicas: int,
    workers: int,
    users: list[int],
    kinds: list[str],
    requests: int,
    think: float = 0.0,
    echo=print,
) -> list[Cell]:
    """Start the sandbox and both servers for `mode`, measure every cell, stop them."""
    prepare_database(database_url)
    sb = Sandbox(
        workspace=Workspace.from_dict(workspace()),
        signing_secret=secrets.token_hex(16),
        post_rate=1e6,  # Slack's per-channel limit would only measure the SDK's retries here
        post_burst=10**6,
    ).start()
    cells: list[Cell] = []
    with tempfile.TemporaryDirectory(prefix="kiban-bench-") as tmp:
        kiban, floor = start_servers(sb, database_url, replicas, workers, Path(tmp))
        try:
            reqs = Requests(sb, member_ids(max(users)))
            started = time.perf_counter()
            reqs.prepare(f"http://127.0.0.1:{kiban.port}/slack/events")
            drain(sb)
            echo(
                f"  [{mode}] {len(reqs.users)} users' modals and Homes opened in "
                f"{time.perf_counter() - started:.1f} s"
            )
            for kind in kinds:  # warm both (imports, connections, caches)
                for port in (floor.port, kiban.port):
                    for user in reqs.users[:20]:
                        status, answer, _ = post(port, sb.signing_secret, *reqs.body(kind, user))
                        if status != 200 or answer.strip():
                            raise RuntimeError(f"warm-up {kind}: HTTP {status} {answer[:300]}")
            drain(sb)
            for kind in kinds:
                for n in users:
                    total = max(requests, 2 * n)
                    for app, port in (("floor", floor.port), ("kiban", kiban.port)):
                        before = len(sb.failures)
                        latencies, errors, seconds = run_cell(sb, reqs, port, kind, n, total, think)
                        cell = Cell(mode, app, kind, n, latencies, errors, seconds)
                        cell.drain = drain(sb)
                        cell.failures = len(sb.failures) - before
                        cells.append(cell)
                        echo("  " + row(cell))
        finally:
            kiban.stop()
            floor.stop()
            sb.stop()
    return cells


# reporting --------------------------------------------------------------------------------------
HEADER = (
    f"{'mode':<9} {'app':<6} {'kind':<11} {'users':>5} {'n':>5} {'err':>4} "
    f"{'p50 ms':>8} {'p99 ms':>8} {'req/s':>7} {'drain s':>7} {'slack!':>6}"
)


def row(cell: Cell) -> str:
    return (
        f"{cell.mode:<9} {cell.app:<6} {cell.kind:<11} {cell.users:>5} "
        f"{len(cell.latencies):>5} {cell.errors:>4} {cell.p50 * 1000:>8.1f} "
        f"{cell.p99 * 1000:>8.1f} {cell.throughput:>7.1f} {cell.drain:>7.1f} {cell.failures:>6}"
    )


def ratio_table(cells: list[Cell]) -> str:
    """Kiban's p99 over the floor's, and its throughput over the floor's, per cell."""
    floor = {(c.mode, c.kind, c.users): c for c in cells if c.app == "floor"}
    lines = [
        f"{'mode':<9} {'kind':<11} {'users':>5} {'p99 kiban/floor':>16} "
        f"{'req/s kiban/floor':>18} {'kiban p99 ms':>13}"
    ]
    for c in cells:
        f = floor.get((c.mode, c.kind, c.users))
        if c.app != "kiban" or f is None:
            continue
        lines.append(
            f"{c.mode:<9} {c.kind:<11} {c.users:>5} {c.p99 / f.p99:>16.1f} "
            f"{c.throughput / f.throughput:>18.2f} {c.p99 * 1000:>13.1f}"
        )
    return "\n".join(lines)


def run(
    *,
    modes: list[str],
    users: list[int],
    kinds: list[str],
    requests: int,
    workers: int,
    postgres_url: str | None,
    think: float = 0.0,
    echo=print,
) -> list[Cell]:
    """Every cell of every mode that can run here (PostgreSQL modes need a server)."""
    server = postgres_server(postgres_url)
    cells: list[Cell] = []
    echo(HEADER)
    for mode in modes:
        if mode == "sqlite":
            with tempfile.TemporaryDirectory(prefix="kiban-bench-db-") as tmp:
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
                cells += measure_mode(
                    mode, url, replicas=1, workers=1, users=users, kinds=kinds,
                    requests=requests, think=think, echo=echo,
                )  # fmt: skip
            continue
        if server is None:
            echo(f"  [{mode}] skipped: no PostgreSQL (--postgres-url or KIBAN_TEST_POSTGRES_URL)")
            continue
        url, drop = fresh_postgres(server)
        try:
            cells += measure_mode(
                mode, url, replicas=2 if mode == "replicas" else 1, workers=workers,
                users=users, kinds=kinds, requests=requests, think=think, echo=echo,
            )  # fmt: skip
        finally:
            drop()
    return cells


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modes", default="sqlite,workers,replicas")
    parser.add_argument("--users", default=",".join(map(str, USERS)))
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--requests", type=int, default=200, help="per cell (≥ 2 × users)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
    parser.add_argument("--postgres-url")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause per user between requests (s)"
    )
    args = parser.parse_args(argv)
    args.modes = [m for m in args.modes.split(",") if m]
    args.users = [int(u) for u in args.users.split(",") if u]
    args.kinds = [k for k in args.kinds.split(",") if k]
    unknown = set(args.modes) - {"sqlite", "workers", "replicas"} | set(args.kinds) - set(KINDS)
    if unknown or any(not 1 <= u <= MEMBERS for u in args.users):
        parser.error(f"unknown mode or kind {sorted(unknown)}, or users outside 1..{MEMBERS}")
    return args


def main(argv: list[str] | None = None) -> list[Cell]:
    args = parse_args(argv)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # the sandbox's, under load
    cells = run(
        modes=args.modes,
        users=args.users,
        kinds=args.kinds,
        requests=args.requests,
        workers=args.workers,
        postgres_url=args.postgres_url,
        think=args.think,
    )
    print()
    print(ratio_table(cells))
    return cells


if __name__ == "__main__":
    main()
