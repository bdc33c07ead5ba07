"""Benchmark: the weekly digests, the monthly reminders and the App Home for a large programme,
at 1/4, 1/2 and the full size of `bench.dataset` (50 organizations, 3,000 members, three
years of data), to show that time and memory grow linearly (or less) with the data.

Measured, each from the database to the Block Kit of every message (no Slack call):

* `weekly digest`: `digests.weekly_digest`, every part rendered (the digest channel's).
* `operator figures`: `digests.operator_digest_input` alone (the database part, which the job
  reads in its transaction; "blocks" counts organizations here).
* `operator digest`: the same then `digests.operator_digest` (one burn-up chart per
  organization, drawn with matplotlib) and its messages rendered. Not warmed up (slow).
* `monthly reminders`: `digests.monthly_reminders`, each DM rendered.
* `home: operator`, `home: member`, `home: reviewer`: `home.home_view` for one person.

Time is the median of `--repeat` runs (seconds, `time.perf_counter`); peak memory is
`tracemalloc`'s peak over one more run (MiB, Python allocations only; tracemalloc slows
that run, so it is not timed). The growth table divides each size's figure by the 1/4
size's: linear growth gives 2.0 and 4.0.

    .venv/bin/python -m bench.rendering [--scales 0.25,0.5,1] [--repeat 3] [--database-url URL]

Default: a fresh SQLite file per size in a temporary folder (a PostgreSQL URL must name a
server: a database is created and dropped per size). Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.services import digests
from bot.services.home import home_view
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade

from .dataset import NOW, fill

SETTINGS = Settings(
    _env_file=None,
    digest_channel="C0DIGEST",
    operator_channel="C0OPS",
    default_language="en",
)
SCALES = (0.25, 0.5, 1.0)
COLD = {"operator digest"}  # seconds per run: the other items warm it up


def rendered(notices) -> int:
    """Render every message of `notices` in English; returns the number of blocks."""
    count = 0
    for notice in notices:
        messages = notice.parts("en") if notice.parts else [notice.render("en")]
        for message in messages:
            count += len(message.blocks or [])
    return count


def weekly(factory) -> int:
    with factory() as session:
        notices = digests.weekly_digest(session=session, settings=SETTINGS, now=NOW)
    return rendered(notices)


def operator_figures(factory) -> int:
    with factory() as session:
        data = digests.operator_digest_input(session=session, settings=SETTINGS, now=NOW)
    return len(data.orgs)


def operator_charts(factory) -> int:
    with factory() as session:
        data = digests.operator_digest_input(session=session, settings=SETTINGS, now=NOW)
    return rendered(digests.operator_digest(data))


def reminders(factory) -> int:
    with factory() as session:
        notices = digests.monthly_reminders(session=session, settings=SETTINGS, now=NOW)
    return rendered(notices)


def home_of(user: str) -> Callable:
    def run(factory) -> int:
        with factory() as session:
            actor = resolve_actor(session, user, "en")
            return len(
                home_view(session=session, actor=actor, settings=SETTINGS, now=NOW)["blocks"]
            )

    return run


ITEMS: dict[str, Callable] = {
    "weekly digest": weekly,
    "operator figures": operator_figures,
    "operator digest": operator_charts,
    "monthly reminders": reminders,
    "home: operator": home_of("UOPS"),
    "home: member": home_of("U00100"),
    "home: reviewer": home_of("UREV0"),
}


@dataclass
class Result:
    item: str
    scale: float
    seconds: float
    peak_mib: float
    blocks: int


def measure(factory, item: str, repeat: int) -> tuple[float, float, int]:
    """(median seconds, peak MiB, blocks) of `item` on the data behind `factory`."""
    run = ITEMS[item]
    if item not in COLD:
        run(factory)  # warm: imports, caches, the database's pages
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        blocks = run(factory)
        times.append(time.perf_counter() - started)
    gc.collect()
    tracemalloc.start()
    try:
        run(factory)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return statistics.median(times), peak / 2**20, blocks


def measure_scale(url: str, scale: float, repeat: int, echo=print) -> list[Result]:
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    sizes = fill(factory, scale)
    echo(
        f"  scale {scale:g}: {sizes['orgs']} organizations, {sizes['members']} members,"
        f" filled in {time.perf_counter() - started:.1f} s"
    )
    results = []
    for item in ITEMS:
        seconds, peak, blocks = measure(factory, item, repeat)
        results.append(Result(item, scale, seconds, peak, blocks))
        echo("  " + row(results[-1]))
    engine.dispose()
    return results


def row(r: Result) -> str:
    return (
        f"{r.item:<18} {r.scale:>5g} {r.seconds * 1000:>9.1f} ms {r.peak_mib:>8.1f} MiB"
        f" {r.blocks:>6} blocks"
    )


def growth_table(results: list[Result]) -> str:
    """Each item's time and peak memory at every scale over those at the smallest."""
    scales = sorted({r.scale for r in results})
    base = {r.item: r for r in results if r.scale == scales[0]}
    head = "".join(f" {f'×{s / scales[0]:g} time':>10} {'mem':>5}" for s in scales[1:])
    lines = [f"{'item':<18} {'full ms':>9} {'full MiB':>8}{head}"]
    for item in ITEMS:
        by_scale = {r.scale: r for r in results if r.item == item}
        full = by_scale[scales[-1]]
        line = f"{item:<18} {full.seconds * 1000:>9.1f} {full.peak_mib:>8.1f}"
        for s in scales[1:]:
            r = by_scale[s]
            line += (
                f" {r.seconds / base[item].seconds:>10.2f}"
                f" {r.peak_mib / max(base[item].peak_mib, 1e-9):>5.2f}"
            )
        lines.append(line)
    return "\n".join(lines)


def run(
    *, scales=SCALES, repeat: int = 3, database_url: str | None = None, echo=print
) -> list[Result]:
    """Every item at every scale, each on a fresh database."""
    from bench.ack import fresh_postgres

    results: list[Result] = []
    for scale in scales:
        if database_url:
            url, drop = fresh_postgres(database_url)
            try:
                results += measure_scale(url, scale, repeat, echo)
            finally:
                drop()
            continue
        with tempfile.TemporaryDirectory(prefix="kiban-bench-") as tmp:
            results += measure_scale(f"sqlite:///{Path(tmp) / 'b.sqlite3'}", scale, repeat, echo)
    return results


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default=",".join(f"{s:g}" for s in SCALES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args(argv)
    results = run(
        scales=[float(s) for s in args.scales.split(",")],
        repeat=args.repeat,
        database_url=args.database_url,
    )
    print()
    print(growth_table(results))
    return results


if __name__ == "__main__":
    main()
