"""Every benchmark in a quick default, then the tables (`bench/run`, or `python -m bench`).

See bench/README.md for what each measures.

    .venv/bin/python -m bench [--only ack,rendering] [--requests 100] [--repeat 1]
        [--postgres-url URL] [--long]

`--long`: 1,000 requests per ack cell and 5 rendering runs (several times longer). The
PostgreSQL modes of the ack benchmark need `--postgres-url` or `KIBAN_BENCH_POSTGRES_URL` /
`KIBAN_TEST_POSTGRES_URL` (a server: a database is created and dropped); without, they are
skipped. The fan-out benchmark (`bench/fanout.py`) runs here once it exists.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import time

from bench import ack, rendering


def machine() -> str:
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs,"
        f" Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


BENCHMARKS = ("ack", "rendering", "fanout")


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark {', '.join(unknown) or '(none)'}; choose among {', '.join(BENCHMARKS)}"
        )
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        type=lambda text: _names(text),
        help=f"comma-separated, among {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--requests", type=int, help="per ack cell (default 100; --long 1000)")
    parser.add_argument("--repeat", type=int, help="rendering runs (default 1; --long 5)")
    parser.add_argument("--postgres-url")
    parser.add_argument("--long", action="store_true")
    args = parser.parse_args()
    only = set(args.only)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # the sandbox's, under load
    started = time.perf_counter()
    print(f"machine: {machine()}")
    sections = []
    if "ack" in only:
        print("\n== ack latency (bench/ack.py) ==")
        cells = ack.run(
            modes=["sqlite", "workers", "replicas"],
            users=list(ack.USERS),
            kinds=list(ack.KINDS),
            requests=args.requests or (1000 if args.long else 100),
            workers=2,
            postgres_url=args.postgres_url,
        )
        sections.append(
            ("ack, users without pause: Kiban against the floor", ack.ratio_table(cells))
        )
        print("\n== ack latency, users pausing 1 s on average between requests ==")
        paced = ack.run(
            modes=["sqlite", "workers"],
            users=list(ack.USERS),
            kinds=list(ack.KINDS),
            requests=args.requests or (1000 if args.long else 100),
            workers=2,
            postgres_url=args.postgres_url,
            think=1.0,
        )
        sections.append(
            ("ack, users pausing ~1 s: Kiban against the floor", ack.ratio_table(paced))
        )
    if "rendering" in only:
        print("\n== rendering (bench/rendering.py) ==")
        results = rendering.run(repeat=args.repeat or (5 if args.long else 1))
        sections.append(("rendering: growth from 1/4 size", rendering.growth_table(results)))
    if "fanout" in only:
        from bench import fanout

        print("\n== fan-out (bench/fanout.py) ==")
        fanout.main([])
    for title, table in sections:
        print(f"\n-- {title} --\n{table}")
    print(f"\nall done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
