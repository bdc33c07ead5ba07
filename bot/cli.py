"""The `kiban` command (also `python -m bot`): serve, demo, db upgrade, import sacct / focus /
csv / holders, export compute / evals / review, admin import.

Every subcommand has `--help`. Errors a person can fix are printed in Japanese and English
and exit with status 2; nothing is half-written (each command is one transaction). That
includes a file or folder that cannot be read or written (`--out` naming a file, no
permission). Notices an import could not deliver to Slack are listed after the data is
stored, and the command still succeeds.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import timedelta
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from bot import logging_redact
from bot.errors import UserError
from bot.settings import Settings

EXIT_USER_ERROR = 2

log = logging.getLogger(__name__)


def _read_text(path: str) -> str:
    """A UTF-8 text file's content (BOM removed). Raises UserError for a missing or binary file."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UserError(
            f"Cannot read {path}: {error.strerror}.", f"{path} を読めません: {error.strerror}。"
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(
            f"{path} is not UTF-8 text (byte {error.start}).",
            f"{path} は UTF-8 のテキストではありません（{error.start} バイト目）。",
        ) from None


def _out_dir(path: str) -> Path:
    """The folder `path` for output files, created when missing. Raises UserError when it is
    not a folder or cannot be created."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError(
            f"--out {path} is not a folder.", f"--out {path} はフォルダではありません。"
        ) from None
    except OSError as error:
        raise UserError(
            f"Cannot create the folder {path}: {error.strerror}.",
            f"フォルダ {path} を作成できません: {error.strerror}。",
        ) from None
    return out


def _write_files(out: Path, files: list[tuple[str, str | bytes]]) -> list[Path]:
    """Write each (name, content) into the folder `out`; text as UTF-8. Returns the paths.
    Raises UserError when one cannot be written; those already written are removed."""
    written: list[Path] = []
    for name, content in files:
        target = out / name
        try:
            if isinstance(content, str):
                target.write_text(content, encoding="utf-8")
            else:
                target.write_bytes(content)
        except OSError as error:
            for path in written:
                path.unlink(missing_ok=True)
            raise UserError(
                f"Cannot write {target}: {error.strerror}.",
                f"{target} に書き込めません: {error.strerror}。",
            ) from None
        written.append(target)
    return written


def _session_factory(settings: Settings, *, existing: bool = False):
    """Migrate the configured database, then open it. `existing`: an export, which must read
    Kiban's data, never a new empty database (a wrong `DATABASE_URL`, or a relative SQLite path
    run from another folder, e.g. by cron, would otherwise publish an empty feed); raises
    UserError when the database does not exist or was never set up."""
    from storage.db import make_engine, make_session_factory
    from storage.migrate import upgrade

    if existing:
        _require_kiban_database(settings.database_url)
    upgrade(settings.database_url)
    return make_session_factory(make_engine(settings.database_url))


def _require_kiban_database(database_url: str) -> None:
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from storage.db import make_engine

    url = make_url(database_url)
    shown = _safe_url(database_url)
    missing = UserError(
        f"The database {shown} holds no Kiban data: check DATABASE_URL (a relative SQLite path "
        "is read from the current folder). Nothing was written.",
        f"データベース {shown} には Kiban のデータがありません。DATABASE_URL を確認してください"
        "（SQLite の相対パスは現在のフォルダから読まれます）。何も書き出していません。",
    )
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database)
        # not even opened unless it is an SQLite file: opening writes a header into an empty one
        if not path.is_file():
            raise missing
        with path.open("rb") as head:
            if head.read(16) != b"SQLite format 3\x00":
                raise missing
    engine = make_engine(database_url)
    try:
        if not inspect(engine).has_table("alembic_version"):
            raise missing
    finally:
        engine.dispose()


def cmd_db_upgrade(args, settings: Settings) -> int:
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    print(f"database upgraded: {_safe_url(settings.database_url)}")
    return 0


def cmd_admin_import(args, settings: Settings) -> int:
    from bot.services.admin import format_counts, import_setup

    text = _read_text(args.file)
    factory = _session_factory(settings)
    with factory.begin() as session:
        counts = import_setup(session=session, text=text)
    print(f"imported {args.file}: {format_counts(counts)}")
    return 0


def cmd_import_sacct(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.parsing.sacct import utf8_file_lines
    from bot.services.compute_imports import import_sacct

    text = utf8_file_lines(args.file)  # read while importing, never whole: files can be large
    factory = _session_factory(settings)
    fields = [f.strip() for f in args.fields.split(",")] if args.fields else None
    notify = args.notify and bool(settings.slack_bot_token.get_secret_value())
    now = utc_now()
    with _queue(settings, factory, now, notify) as work:
        result = import_sacct(
            session=work.session,
            org_code=args.org,
            provider=args.provider,
            gpu_type=args.gpu_type,
            text=text,
            reporter="cli",
            settings=settings,
            now=now,
            fields=fields,
            notify=notify,
        )
        if notify:
            work.send(result.notices)
    print(result.summary())
    _send_or_say_why(args, settings, work, notify)
    return 0


def _gateway(settings: Settings):
    from bot.clients.slack import SlackGateway, make_web_client

    return SlackGateway(
        make_web_client(
            settings.slack_bot_token.get_secret_value(),
            settings.slack_api_url,
            timeout=settings.slack_timeout,
        ),
        default_lang=settings.default_language,
        operator_channel=settings.operator_channel,
    )


def _queue(settings: Settings, factory, now, notify: bool):
    """The unit of work an import runs in: its notices are queued with its data (when Slack is
    to be notified) and sent by `_send_or_say_why` after the commit."""
    from bot.services.delivery import unit_of_work

    return unit_of_work(
        session_factory=factory, gateway=_gateway(settings), settings=settings, now=now, flush=False
    )


def _send_or_say_why(args, settings: Settings, work, notify: bool) -> None:
    """Send an import's queued notices, or say why Slack is not notified. Never fails the
    command: what Slack refused is listed, and what it could not take now (unreachable, 5xx,
    rate limits) stays in the outbox for `kiban serve` (or `kiban outbox send`)."""
    if not notify:
        why_ja, why_en = (
            ("--no-notify", "--no-notify")
            if not args.notify
            else ("SLACK_BOT_TOKEN が設定されていません", "SLACK_BOT_TOKEN is not set")
        )
        print(
            f"Slack には通知していません（{why_ja}）。チャンネルへの通知はなく、超過アラートは"
            "次回 Slack に通知する取り込み・報告時に確認されます。 / "
            f"Slack was not notified ({why_en}): no channel note, and over-plan alerts were not "
            "checked; they will be on the next import or report made with Slack.",
            file=sys.stderr,
        )
        return
    failures = work.flush()
    if failures:
        print(
            "Slack が受け付けなかった通知があります（取り込んだデータは保存済みです）:\n"
            "Slack refused some notices (the imported data is stored):\n"
            + "\n".join(f"  {failure}" for failure in failures),
            file=sys.stderr,
        )
    if work.report.delayed:
        print(
            "Slack から受け取りの確認がなかった通知は送信キューに保存しました。kiban serve が"
            " Slack に接続でき次第送信します（届いていたものは二重に送りません。すぐ送るには"
            " kiban outbox send）:\n"
            "Slack did not confirm some notices; they are kept in the outbox and sent once "
            "Slack answers, by kiban serve (or now: kiban outbox send), never twice:\n"
            + "\n".join(f"  {line}" for line in work.report.delayed),
            file=sys.stderr,
        )


def cmd_import_focus(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.services.usage_imports import import_focus

    text = _read_text(args.file)
    factory = _session_factory(settings)
    notify = args.notify and bool(settings.slack_bot_token.get_secret_value())
    now = utc_now()
    with _queue(settings, factory, now, notify) as work:
        result = import_focus(
            session=work.session,
            org_code=args.org,
            text=text,
            reporter="cli",
            settings=settings,
            now=now,
            sub_account=args.sub_account,
            provider=args.provider,
            notify=notify,
        )
        if notify:
            work.send(result.notices)
    print(result.summary())
    _send_or_say_why(args, settings, work, notify)
    return 0


def cmd_import_csv(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.services.usage_imports import import_usage_csv

    text = _read_text(args.file)
    factory = _session_factory(settings)
    notify = args.notify and bool(settings.slack_bot_token.get_secret_value())
    now = utc_now()
    with _queue(settings, factory, now, notify) as work:
        result = import_usage_csv(
            session=work.session,
            text=text,
            reporter="cli",
            settings=settings,
            now=now,
            notify=notify,
        )
        if notify:
            work.send(result.notices)
    print(result.summary())
    _send_or_say_why(args, settings, work, notify)
    return 0


def cmd_import_holders(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.services.data_directory import format_counts, import_holders

    text = _read_text(args.file)
    factory = _session_factory(settings)
    with factory.begin() as session:
        counts = import_holders(session=session, text=text, filename=args.file, now=utc_now())
    print(f"imported {args.file}: {format_counts(counts)}")
    return 0


def cmd_export_compute(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.parsing.months import parse_month
    from bot.services.compute_export import export_month

    month = parse_month(args.month).strftime("%Y-%m")
    factory = _session_factory(settings, existing=True)
    with factory() as session:  # refused months and databases leave no folder behind
        files = export_month(
            session=session,
            actor=None,
            settings=settings,
            month=month,
            lang=args.lang or settings.default_language,
            now=utc_now(),
        )
    markdown, csv_file = _write_files(
        _out_dir(args.out), [(files.markdown_name, files.markdown), (files.csv_name, files.csv)]
    )
    print(f"wrote {markdown} and {csv_file}")
    return 0


def cmd_export_evals(args, settings: Settings) -> int:
    from bot.services.eval_export import export_evals

    factory = _session_factory(settings, existing=True)
    with factory() as session:
        name, data = export_evals(session)
    (written,) = _write_files(_out_dir(args.out), [(name, data)])
    print(f"wrote {written}")
    return 0


def cmd_export_review(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.render.review_export import export_round, find_round

    factory = _session_factory(settings, existing=True)
    with factory() as session:  # the round is looked up first: no folder for an unknown one
        round_ = find_round(session, args.round)
        files = export_round(
            session, round_.id, args.lang or settings.default_language, now=utc_now()
        )
    for written in _write_files(_out_dir(args.out), files):
        print(f"wrote {written}")
    return 0


def cmd_export_progress(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.parsing.months import parse_month
    from bot.services.progress_export import export_month

    month = parse_month(args.month).strftime("%Y-%m")
    factory = _session_factory(settings, existing=True)
    with factory() as session:  # the month is checked first: no folder for a refused one
        files = export_month(
            session=session,
            actor=None,
            settings=settings,
            month=month,
            lang=args.lang or settings.default_language,
            now=utc_now(),
        )
    for written in _write_files(_out_dir(args.out), files):
        print(f"wrote {written}")
    return 0


def cmd_export_public(args, settings: Settings) -> int:
    from bot.deps import utc_now
    from bot.render.public_feed import export_public

    factory = _session_factory(settings, existing=True)
    with factory() as session:
        files = export_public(
            session,
            settings=settings,
            base_url=args.base_url or settings.public_base_url,
            now=utc_now(),
        )
    for written in _write_files(_out_dir(args.out), files):
        print(f"wrote {written}")
    return 0


def cmd_outbox(args, settings: Settings) -> int:
    """`kiban outbox`: what waits to be sent, and what was given up in the last 7 days;
    `kiban outbox send [--failed]`: send what waits now (held quiet-hours DMs keep their
    morning; `--failed`: the given-up ones too, once more)."""
    from bot.deps import utc_now
    from bot.services.delivery import send
    from storage import outbox

    factory = _session_factory(settings, existing=True)
    now = utc_now()
    week_ago = now - timedelta(days=7)
    if args.outbox_command != "send":
        with factory() as session:
            rows = outbox.waiting_and_failed(session, failed_since=week_ago)
        print(_outbox_listing(rows, settings))
        return 0
    if not settings.slack_bot_token.get_secret_value():
        raise UserError(
            "SLACK_BOT_TOKEN must be set to send the outbox.",
            "送信キューを送るには SLACK_BOT_TOKEN を設定してください。",
        )
    with factory.begin() as session:
        outbox.retry_now(session, now=now)
        if args.failed:
            outbox.requeue_failed(session, since=week_ago, now=now)
    report = send(session_factory=factory, gateway=_gateway(settings), settings=settings, now=now)
    with factory() as session:
        held = len(outbox.held(session))
    print(
        f"送信 {report.sent} 件、再送待ち {report.waiting} 件、断念 {len(report.failures)} 件、"
        f"静穏時間で朝まで保留 {held} 件 / sent: {report.sent}; waiting for a retry: "
        f"{report.waiting}; given up: {len(report.failures)}; held for the morning: {held}"
    )
    for line in [*report.failures, *report.delayed]:
        print(f"  {line}")
    return 0


def _outbox_listing(rows, settings: Settings) -> str:
    """`kiban outbox`'s table: one line per message, the time in the programme's zone."""
    if not rows:
        return "未送信のメッセージはありません / the outbox is empty: every message was sent"

    def when(moment) -> str:
        return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z")

    lines = [
        "未送信・保留・断念（過去 7 日）のメッセージ / messages waiting, held, or given up in "
        "the last 7 days:"
    ]
    for row in rows:
        what = f"{row.kind} → {row.channel}"
        if row.failed_at:
            lines.append(f"  断念 given up   {when(row.failed_at)}  {what}: {row.last_error}")
        elif row.held:
            lines.append(f"  保留 held       until {when(row.due_at)} (quiet hours)  {what}")
        else:
            tries = f"{row.attempts} failed attempt(s)" if row.attempts else "not tried yet"
            why = f": {row.last_error}" if row.last_error else ""
            lines.append(f"  待機 waiting    next try {when(row.due_at)}, {tries}  {what}{why}")
    return "\n".join(lines)


def cmd_serve(args, settings: Settings) -> int:
    from bot.server import serve

    serve(settings, workers=args.workers)
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from bot.scenario.runner import BUNDLED_ALL, run_scenario

    # the sandbox rate-limits like Slack and the SDK retries after Retry-After: normal
    # operation, logged at INFO, which in a demo only looks alarming
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)

    out = _out_dir(args.out)
    if args.scenario:
        return 0 if run_scenario(Path(args.scenario), out_dir=out, echo=print).ok else 1
    # the bundled scenarios: the first (compute) writes to OUT, the others to OUT/<name>
    reports = [
        run_scenario(path, out_dir=out if i == 0 else out / path.stem, echo=print)
        for i, path in enumerate(BUNDLED_ALL)
    ]
    return 0 if all(report.ok for report in reports) else 1


def _safe_url(url: str) -> str:
    from storage.db import safe_url

    return safe_url(url)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiban", description="Kiban (基盤): the programme's Slack app."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the bot (Socket Mode or HTTP) and its scheduler")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="HTTP worker processes on PORT (PostgreSQL only; default 1: one process). The port"
        " is shared (SO_REUSEPORT): another `kiban serve --workers N` on it joins as a replica",
    )
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser(
        "demo", help="play a scenario against the local Slack sandbox (no token, no network)"
    )
    demo.add_argument(
        "--scenario",
        help="scenario YAML file (default: the bundled ones, compute monitoring to OUT and "
        "evaluation results to OUT/evals)",
    )
    demo.add_argument(
        "--out", default="demo-out", help="folder for transcript.md and journal.jsonl"
    )
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_sub.add_parser("upgrade", help="apply Alembic migrations to DATABASE_URL")
    db_upgrade.set_defaults(func=cmd_db_upgrade)

    imp = sub.add_parser("import", help="import usage data and the data-holder directory")
    imp_sub = imp.add_subparsers(dest="import_command", required=True)
    sacct = imp_sub.add_parser(
        "sacct", help="import Slurm accounting output (sacct --parsable2 with a header)"
    )
    sacct.add_argument("file", help="the sacct output file")
    sacct.add_argument("--org", required=True, help="organization short code, e.g. ORGA")
    sacct.add_argument(
        "--provider", help='the allocation\'s provider (ABCI) or label ("ABCI (H100)")'
    )
    sacct.add_argument("--gpu-type", help="the allocation's GPU type, when a provider has several")
    sacct.add_argument(
        "--fields", help="comma-separated field list, for files exported with --noheader"
    )
    sacct.add_argument(
        "--no-notify",
        dest="notify",
        action="store_false",
        help="do not post the channel note and over-plan alerts to Slack",
    )
    sacct.set_defaults(func=cmd_import_sacct)
    focus = imp_sub.add_parser(
        "focus", help="import a FOCUS cloud cost-and-usage export (GPU SKUs by sku_table.yaml)"
    )
    focus.add_argument("file", help="the FOCUS CSV export")
    focus.add_argument("--org", required=True, help="organization short code, e.g. ORGA")
    focus.add_argument("--sub-account", help="the organization's SubAccountId in the file")
    focus.add_argument("--provider", help="the allocation's provider, when it has several")
    focus.set_defaults(func=cmd_import_focus)
    csv_parser = imp_sub.add_parser(
        "csv", help="import the plain CSV organization,month,provider,gpu_type,gpu_hours"
    )
    csv_parser.add_argument("file", help="the CSV file")
    csv_parser.set_defaults(func=cmd_import_csv)
    holders = imp_sub.add_parser(
        "holders",
        help="load the data-holder directory from YAML or CSV (same key: updated; idempotent)",
    )
    holders.add_argument(
        "file",
        help="a .yaml/.yml file (a list, or data_holders: list) or a .csv file with a header",
    )
    holders.set_defaults(func=cmd_import_holders)
    for parser_ in (focus, csv_parser):
        parser_.add_argument(
            "--no-notify",
            dest="notify",
            action="store_false",
            help="do not post the channel note and over-plan alerts to Slack",
        )

    export = sub.add_parser("export", help="reports for the ministry")
    export_sub = export.add_subparsers(dest="export_command", required=True)
    export_compute = export_sub.add_parser(
        "compute", help="a month's compute report: Markdown and CSV (plan, actual, forecast)"
    )
    export_compute.add_argument("month", help="the month, e.g. 2026-03")
    export_compute.add_argument("--out", default=".", help="folder for the two files")
    export_compute.add_argument("--lang", choices=["ja", "en"], help="default: DEFAULT_LANGUAGE")
    export_compute.set_defaults(func=cmd_export_compute)
    export_evals = export_sub.add_parser(
        "evals", help="every published evaluation result as CSV (one row per score)"
    )
    export_evals.add_argument("--out", default=".", help="folder for kiban-evals.csv")
    export_evals.set_defaults(func=cmd_export_evals)
    export_review = export_sub.add_parser(
        "review",
        help="a review round for the secretariat: scores, aggregation, decisions and audit CSVs "
        "and the committee minutes (Markdown)",
    )
    export_review.add_argument("round", help="the round's number or its exact name")
    export_review.add_argument("--out", default=".", help="folder for the five files")
    export_review.add_argument("--lang", choices=["ja", "en"], help="default: DEFAULT_LANGUAGE")
    export_review.set_defaults(func=cmd_export_review)
    export_progress = export_sub.add_parser(
        "progress", help="the survey projects' progress reports and advice for a month"
    )
    export_progress.add_argument("month", help="the month, e.g. 2026-03")
    export_progress.add_argument("--out", default=".", help="folder for the two files")
    export_progress.add_argument("--lang", choices=["ja", "en"], help="default: DEFAULT_LANGUAGE")
    export_progress.set_defaults(func=cmd_export_progress)
    export_public = export_sub.add_parser(
        "public", help="the public feed: Atom feed and static HTML index of what was made public"
    )
    export_public.add_argument("--out", default=".", help="folder for feed.xml and index.html")
    export_public.add_argument(
        "--base-url", help="where the files will be served; default: PUBLIC_BASE_URL"
    )
    export_public.set_defaults(func=cmd_export_public)

    box = sub.add_parser("outbox", help="messages waiting to be sent, or given up")
    box_sub = box.add_subparsers(dest="outbox_command")
    box_send = box_sub.add_parser("send", help="send every waiting message now")
    box_send.add_argument(
        "--failed", action="store_true", help="also the ones given up in the last 7 days, once"
    )
    box.set_defaults(func=cmd_outbox)

    admin = sub.add_parser("admin", help="operator setup")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    admin_import = admin_sub.add_parser(
        "import", help="load organizations, members, allocations and plans from a YAML file"
    )
    admin_import.add_argument("file", help="the setup YAML file (format: README)")
    admin_import.set_defaults(func=cmd_admin_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kiban` console script. Returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']).upper()}: {item['msg']}"
            for item in error.errors()
        )
        print(f"設定が正しくありません / invalid settings: {problems}", file=sys.stderr)
        return EXIT_USER_ERROR
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("alembic", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # the SDK logs every failed attempt at ERROR; Kiban logs each failure once, with what waits
    logging.getLogger("slack_sdk.web.base_client").setLevel(logging.CRITICAL)
    logging_redact.install(settings)  # no configured secret reaches a log record
    try:
        return args.func(args, settings)
    except UserError as error:
        print(error.bilingual(), file=sys.stderr)
        return EXIT_USER_ERROR
    except OperationalError as error:  # the database cannot be opened or reached
        where = _safe_url(settings.database_url)
        print(
            f"データベース {where} を開けません / cannot open the database {where}: {error.orig}",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except OSError as error:  # a file or folder the command reads or writes (not the network)
        if error.filename is None:
            raise
        log.debug("file error", exc_info=True)
        name, reason = error.filename, error.strerror or type(error).__name__
        print(
            f"{name} を読み書きできません: {reason} / cannot read or write {name}: {reason}",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
