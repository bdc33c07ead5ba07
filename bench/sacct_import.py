"""Benchmark: reading and importing a large `sacct --parsable2` export, against plain `csv`.

Issue #3 asks that importing a 1,000,000-row file streams with peak memory under 300 MB and
a rate within 3x of plain `csv` reading of the same file. This script generates a synthetic
export (rows shaped like the real Habrok sample: JobID, Start, End, Elapsed, ElapsedRaw,
AllocTRES with GPUs), then measures, each in its own child process so peaks do not mix:

- baseline: `csv.reader` over the file, counting rows;
- parse: iterating over `bot.parsing.sacct.read_sacct` (GPU-hours per job and month), as
  the import reads the file, keeping nothing;
- import: the whole `kiban import sacct` path into a fresh SQLite database.

    .venv/bin/python bench/sacct_import.py [--rows 1000000] [--skip-import]

Each child times its own work (`time.perf_counter`, interpreter start-up excluded) and reports
its peak resident set size, `resource.getrusage(RUSAGE_SELF).ru_maxrss`: the whole process
(interpreter, libraries, SQLite's cache), not only Python objects as `tracemalloc` would see.
It prints rows/s, the time relative to the baseline and the peak, then PASS or FAIL against
the targets (peak under 300 MB; import within 3x of the baseline's time). It is not a test:
timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = "JobID|User|Account|State|Start|End|Elapsed|ElapsedRaw|AllocTRES"
PEAK_MB = 300
RATIO = 3.0


def generate(path: Path, rows: int) -> None:
    """Write `rows` job rows: 1–8 GPUs, a few hours each, spread over 2026-01..2026-03."""
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for n in range(rows):
            day = 1 + n % 28
            month = 1 + (n // 28) % 3
            hours = 1 + n % 7
            gpus = 1 + n % 8
            start = f"2026-{month:02d}-{day:02d}T{n % 12:02d}:00:00"
            end = f"2026-{month:02d}-{day:02d}T{n % 12 + hours:02d}:00:00"
            out.write(
                f"{1000000 + n}|user{n % 50}|acct|COMPLETED|{start}|{end}|"
                f"{hours:02d}:00:00|{hours * 3600}|billing={gpus},cpu=8,gres/gpu={gpus},node=1\n"
            )


# Each child runs `work(path)`, returning a row count, and prints its figures as JSON.
_REPORT = (
    "import json, resource, sys, time\n"
    "started = time.perf_counter()\n"
    "rows = work(sys.argv[1])\n"
    "seconds = time.perf_counter() - started\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux\n"
    "print(json.dumps({'rows': rows, 'seconds': seconds, 'peak_mb': peak / 1024}))\n"
)
CHILD = {
    "baseline": (
        "import csv\n"
        "def work(path):\n"
        "    with open(path, newline='', encoding='utf-8') as f:\n"
        "        return sum(1 for _ in csv.reader(f, delimiter='|')) - 1\n"
    ),
    "parse": (
        "from zoneinfo import ZoneInfo\n"
        "from bot.parsing.sacct import read_sacct, utf8_file_lines\n"
        "def work(path):\n"
        "    rows = read_sacct(utf8_file_lines(path), tz=ZoneInfo('Asia/Tokyo'))\n"
        "    for _ in rows:\n"
        "        pass\n"
        "    return rows.counts.rows_read\n"
    ),
    "import": (
        "import contextlib, io, re\n"
        "from bot.cli import main\n"
        "def work(path):\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):\n"
        "        assert main(['import', 'sacct', path, '--org', 'BENCH', '--no-notify']) == 0\n"
        "    return int(re.search(r'rows read: (\\d+)', out.getvalue())[1])\n"
    ),
}

SETUP = """organizations:
  - code: BENCH
    name: Bench
    allocations:
      - provider: Cluster
        gpu_type: H100
        granted_gpu_hours: 100000000
        period_start: 2026-01-01
        period_end: 2026-12-31
"""


def measure(kind: str, path: Path, env: dict) -> dict:
    """{"rows", "seconds", "peak_mb"} of one child process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD[kind] + _REPORT, str(path)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-import", action="store_true", help="parse only (faster)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sacct.txt"
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "SLACK_BOT_TOKEN": "",
            "LOG_LEVEL": "WARNING",
        }
        setup = Path(tmp) / "setup.yaml"
        setup.write_text(SETUP, encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "bot", "admin", "import", str(setup)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"{args.rows:,} rows, {size_mb:.0f} MB; peak = ru_maxrss (whole process RSS)")
        print(f"{'step':>9} {'seconds':>8} {'rows/s':>10} {'× baseline':>11} {'peak MB':>8}")
        results = {}
        for kind in ["baseline", "parse"] + ([] if args.skip_import else ["import"]):
            r = results[kind] = measure(kind, path, env)
            assert r["rows"] == args.rows, f"{kind} read {r['rows']} rows"
            ratio = r["seconds"] / results["baseline"]["seconds"]
            print(
                f"{kind:>9} {r['seconds']:>8.1f} {args.rows / r['seconds']:>10,.0f} "
                f"{ratio:>11.1f} {r['peak_mb']:>8.0f}"
            )
    failed = False
    for kind in ("parse", "import"):
        if kind not in results:
            continue
        r = results[kind]
        ratio = r["seconds"] / results["baseline"]["seconds"]
        for what, ok, figure in (
            (f"peak under {PEAK_MB} MB", r["peak_mb"] < PEAK_MB, f"{r['peak_mb']:.0f} MB"),
            (f"within {RATIO:g}x of csv", ratio <= RATIO, f"{ratio:.1f}x"),
        ):
            failed |= kind == "import" and not ok
            note = "" if kind == "import" else " (for information; the target is the import's)"
            print(f"{'PASS' if ok else 'FAIL'}: {kind} {what}: {figure}{note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
