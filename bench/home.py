"""Benchmark: rendering the App Home (issue #8) for a large programme.

The programme of `bench.dataset` (50 organizations, 3,000 members, three years of data; with
`--members M` every count scaled by M / 3,000). Times `bot.services.home.home_view` (the
database reads and the Block Kit, no Slack call) for a member, an operator and a reviewer,
then for every member in turn, as a refresh of everyone's Home would. Prints the median and
95th percentile per role and the total. `bench/rendering.py` shows how it grows with size.

    .venv/bin/python -m bench.home [--database-url URL] [--members 3000]

Default: a fresh SQLite file in a temporary folder. It is not a test: timings depend on the
machine and its load. Each view is also checked: at most 100 blocks, valid for Slack.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bot.sandbox.blockkit import validate_view
from bot.services.home import home_view
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade

from .dataset import MEMBERS, NOW, fill

SETTINGS = Settings(_env_file=None)


def render(factory, user: str) -> float:
    """Seconds to build `user`'s Home (English); the view is checked."""
    start = time.perf_counter()
    with factory() as session:
        actor = resolve_actor(session, user, "en")
        view = home_view(session=session, actor=actor, settings=SETTINGS, now=NOW)
    seconds = time.perf_counter() - start
    assert len(view["blocks"]) <= 100 and validate_view(view) == [], user
    return seconds


def summary(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{label:<28} n={len(times):>5}  median {statistics.median(times) * 1000:7.1f} ms  "
        f"p95 {p95 * 1000:7.1f} ms  total {sum(times):6.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--members", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        fill(factory, args.members / MEMBERS)
        print(f"filled in {time.perf_counter() - started:.1f} s")
        for label, user in (("operator", "UOPS"), ("reviewer (30 subjects)", "UREV0")):
            print(summary(label, [render(factory, user) for _ in range(5)]))
        print(summary("one member", [render(factory, "U00100") for _ in range(5)]))
        everyone = [render(factory, f"U{n:05d}") for n in range(args.members)]
        print(summary("every member in turn", everyone))
        engine.dispose()


if __name__ == "__main__":
    main()
