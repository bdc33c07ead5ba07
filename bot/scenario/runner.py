"""Play a scenario: start the sandbox and the real bot (HTTP mode, fresh SQLite in a temporary
folder), load the setup through `kiban admin import`'s service, then run each step on a
simulated clock. Jobs run at their real trigger times as the clock advances.

Writes `transcript.md` (what each person saw after each step) and `journal.jsonl` (every
request and response both ways) to `out_dir`. The run is ok when every expectation held and
the sandbox recorded no failure (a rejected call, a late ack, invalid blocks).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import httpx

from bot.clients.llm import LLMClient
from bot.errors import UserError
from bot.sandbox import DriverError, Sandbox
from bot.scenario import model
from bot.scenario.fake_llm import FakeLLM
from bot.scenario.harness import Harness, SimClock
from bot.services.admin import format_counts
from bot.services.compute_imports import import_sacct
from bot.services.delivery import deliver
from bot.settings import Settings
from jobs.scheduler import due_runs

BUNDLED = Path(__file__).parent / "bundled" / "march.yaml"
# every bundled scenario `kiban demo` plays: compute monitoring, evaluation results,
# data-holder introductions, events
BUNDLED_ALL = (
    BUNDLED,
    Path(__file__).parent / "bundled" / "evals.yaml",
    Path(__file__).parent / "bundled" / "intros.yaml",
    Path(__file__).parent / "bundled" / "events.yaml",
    Path(__file__).parent / "bundled" / "review.yaml",
    Path(__file__).parent / "bundled" / "trends.yaml",
    Path(__file__).parent / "bundled" / "programme.yaml",
)


@dataclass
class Report:
    """The outcome of a run."""

    name: str
    expectations: int = 0
    expectations_failed: int = 0
    failed: list[str] = field(default_factory=list)  # failed expectations, steps and crashes
    sandbox_failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.sandbox_failures


class _Crashes(logging.Handler):
    """Collects the exceptions Kiban's one error handler logged while a step ran."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            self.seen.append(f"{type(error).__name__}: {error}")


class Transcript:
    """What people saw, step by step, as Markdown (also echoed as plain text)."""

    def __init__(self, sandbox: Sandbox, echo: Callable[[str], None], names: dict[str, str]):
        self.sandbox = sandbox
        self.echo = echo
        self.names = names
        self.lines: list[str] = []
        self.seen: dict[tuple[str, str], str] = {}

    def write(self, text: str = "") -> None:
        self.lines.append(text)
        self.echo(text)

    def who(self, user: str) -> str:
        return f"{self.names.get(user, user)} ({user})"

    def flush_new(self) -> None:
        """Write every entry that appeared or changed since the last call."""
        for name in self.sandbox.conversations():
            for entry in self.sandbox.conversation(name):
                key = (name, entry.ts)
                rendered = self.sandbox.render_entry(entry)
                if self.seen.get(key) == rendered:
                    continue
                label = "updated" if key in self.seen else entry.kind
                self.seen[key] = rendered
                self.write(f"  ┌ {name} · {label}")
                for line in rendered.splitlines() or [""]:
                    self.write(f"  │ {line}")
                self.write("  └")


def run_scenario(path: Path, *, out_dir: Path, echo: Callable[[str], None] = print) -> Report:
    """Play the scenario at `path`; write transcript and journal to `out_dir`. Returns a Report.

    Raises UserError when the scenario file (or a file it names) is wrong.
    """
    scenario = model.load_scenario(path)
    steps = scenario.typed_steps()
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = out_dir / "journal.jsonl"
    journal.unlink(missing_ok=True)
    names = {user.id: user.name for user in scenario.workspace.users}
    report = Report(name=scenario.name)
    setup_text = _read(scenario.resolve(scenario.setup)) if scenario.setup else None
    with Harness(
        workspace=scenario.workspace.model_dump(),
        settings=_with_local_feeds(scenario),
        start=scenario.start,
        journal_path=journal,
    ) as harness:
        sandbox = harness.sandbox
        transcript = Transcript(sandbox, echo, names)
        transcript.write(f"# Kiban demo: {scenario.name}")
        transcript.write()
        if setup_text is not None:
            counts = harness.admin_import(setup_text)
            transcript.write(f"$ kiban admin import {scenario.setup}")
            transcript.write(f"  {format_counts(counts)}")
        player = _Player(
            scenario,
            harness.settings,
            harness.deps,
            harness.driver,
            sandbox,
            harness.clock,
            transcript,
            report,
            out_dir,
        )
        try:
            for number, step in enumerate(steps, start=1):
                player.play(number, step)
            harness.settle()
        finally:
            if player.fake_llm is not None:
                player.fake_llm.close()
        saved = _save_shared_files(sandbox, out_dir / "files")
        if saved:
            transcript.write()
            transcript.write(
                f"Files shared in Slack, saved to {out_dir / 'files'}: {', '.join(saved)}"
            )
        report.sandbox_failures = list(sandbox.failures)
        transcript.write()
        transcript.write("## Result")
        transcript.write(
            f"expectations: {report.expectations - report.expectations_failed} passed, "
            f"{report.expectations_failed} failed"
        )
        for failure in report.failed:
            transcript.write(f"- FAILED {failure}")
        for failure in report.sandbox_failures:
            transcript.write(f"- SLACK WOULD REJECT: {failure}")
        transcript.write("OK" if report.ok else "NOT OK")
        conversations = ["", "## Conversations at the end", ""]
        for name in sandbox.conversations():
            conversations += [f"### {name}", "", "```"]
            conversations += [sandbox.render(name), "```", ""]
        (out_dir / "transcript.md").write_text(
            "\n".join(transcript.lines + conversations) + "\n", encoding="utf-8"
        )
    return report


def _with_local_feeds(scenario: model.Scenario) -> dict:
    """The scenario's settings, a trend feed that is a file path taken relative to the
    scenario file (as other files it names are)."""
    settings = dict(scenario.settings)
    feeds = settings.get("trend_feeds")
    if isinstance(feeds, list):
        settings["trend_feeds"] = [
            f if f.startswith(("http://", "https://")) else str(scenario.resolve(f)) for f in feeds
        ]
    return settings


def _save_shared_files(sandbox: Sandbox, folder: Path) -> list[str]:
    """Download every file shared in the run (as Slack serves them, with the bot token) so a
    person can open the exports and charts. Returns the file names."""
    names = []
    for name in sandbox.conversations():
        for entry in sandbox.conversation(name):
            for shared in entry.raw.get("files", []):
                response = httpx.get(
                    shared["url_private_download"],
                    headers={"Authorization": f"Bearer {sandbox.bot_token}"},
                )
                folder.mkdir(parents=True, exist_ok=True)
                (folder / shared["name"]).write_bytes(response.content)
                names.append(shared["name"])
    return names


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise UserError(
            f"Cannot read {path}: {error.strerror}.", f"{path} を読めません: {error.strerror}。"
        ) from None


@dataclass
class _Player:
    scenario: model.Scenario
    settings: Settings
    deps: object
    driver: object
    sandbox: Sandbox
    clock: SimClock
    transcript: Transcript
    report: Report
    out_dir: Path
    fake_llm: FakeLLM | None = None

    def play(self, number: int, step) -> None:
        handler = getattr(self, "_" + type(step).__name__)
        crashes = _Crashes()
        logging.getLogger("handlers.errors").addHandler(crashes)
        try:
            handler(number, step)
        except DriverError as error:  # the person could not do it (no modal, no such button)
            self.transcript.write(f"  FAILED: {error}")
            self.report.failed.append(f"step {number}: {error}")
        finally:
            logging.getLogger("handlers.errors").removeHandler(crashes)
        for crash in crashes.seen:  # Kiban raised: the user saw an apology; the demo fails
            self.transcript.write(f"  FAILED: Kiban raised {crash}")
            self.report.failed.append(f"step {number}: Kiban raised {crash}")
        self.transcript.flush_new()

    def _heading(self, number: int, text: str) -> None:
        local = self.clock.now().astimezone(self.settings.tz)
        self.transcript.write()
        self.transcript.write(f"[{number}] {local:%Y-%m-%d %H:%M} {local.tzname()} · {text}")

    def _AtStep(self, number: int, step: model.AtStep) -> None:
        target = step.at.astimezone(UTC)
        for moment, spec in due_runs(self.settings.timezone, self.clock.now(), target):
            self.clock.moment = moment
            self._heading(number, f"scheduled job {spec.id}")
            delivered = spec.func(deps=self.deps, now=moment)
            self.transcript.write(f"  {spec.id}: {delivered} message(s)")
            self.transcript.flush_new()
        self.clock.moment = max(self.clock.moment, target)
        self._heading(number, "clock")

    def _NoteStep(self, number: int, step: model.NoteStep) -> None:
        self.transcript.write()
        self.transcript.write(f"— {step.note}")

    def _ack_line(self, ack) -> str:
        if ack is None:
            return "  (not submitted)"
        late = " LATE" if ack.late else ""
        return f"  ack {ack.status} in {ack.elapsed * 1000:.0f} ms{late}"

    def _CommandStep(self, number: int, step: model.CommandStep) -> None:
        self._heading(number, f"{self.transcript.who(step.user)} runs {step.command}")
        self.transcript.write(
            self._ack_line(self.driver.command(step.user, step.command, step.channel))
        )

    def _FillStep(self, number: int, step: model.FillStep) -> None:
        values = ", ".join(f"{k} = {v!r}" for k, v in step.fill.items())
        action = "fills and submits" if step.submit else "fills"
        self._heading(number, f"{self.transcript.who(step.user)} {action}: {values}")
        self.transcript.write(
            self._ack_line(
                self.driver.fill(
                    step.user, step.fill, submit=step.submit, base_dir=self.scenario.base_dir
                )
            )
        )

    def _ClickStep(self, number: int, step: model.ClickStep) -> None:
        self._heading(
            number, f"{self.transcript.who(step.user)} clicks [{step.click}] in {step.in_}"
        )
        self.transcript.write(self._ack_line(self.driver.click(step.user, step.click, step.in_)))

    def _ShortcutStep(self, number: int, step: model.ShortcutStep) -> None:
        on = f"the message with {step.message!r}" if step.message else "the latest message"
        self._heading(
            number,
            f"{self.transcript.who(step.user)} uses the shortcut {step.shortcut} on {on} "
            f"in {step.in_}",
        )
        self.transcript.write(
            self._ack_line(self.driver.shortcut(step.user, step.shortcut, step.in_, step.message))
        )

    def _SayStep(self, number: int, step: model.SayStep) -> None:
        self._heading(number, f"{self.transcript.who(step.user)} posts in {step.in_}")
        self.sandbox.say(step.user, step.in_, step.say)

    def _LlmStep(self, number: int, step: model.LlmStep) -> None:
        """Switch the fake LLM on (started once, stopped with the scenario) or off."""
        if step.llm == "on":
            if self.fake_llm is None:
                self.fake_llm = FakeLLM().__enter__()
            settings = self.settings.model_copy(
                update={"llm_base_url": self.fake_llm.base_url, "llm_model": "fake-llm"}
            )
            self.deps.llm = LLMClient(settings)
            self._heading(number, f"an LLM answers at {self.fake_llm.base_url} (local fake)")
        else:
            self.deps.llm = None
            self._heading(number, "no LLM")

    def _HomeStep(self, number: int, step: model.HomeStep) -> None:
        self._heading(number, f"{self.transcript.who(step.user)} opens App Home")
        self.transcript.write(self._ack_line(self.driver.open_home(step.user)))

    def _UploadStep(self, number: int, step: model.UploadStep) -> None:
        path = self.scenario.resolve(step.upload)
        self._heading(number, f"{self.transcript.who(step.user)} sends {path.name} to Kiban")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise UserError(
                f"Cannot read {path}: {error.strerror}.", f"{path} を読めません: {error.strerror}。"
            ) from None
        self.transcript.write(
            self._ack_line(self.driver.upload(step.user, path.name, content, step.in_))
        )

    def _ImportSacctStep(self, number: int, step: model.ImportSacctStep) -> None:
        path = self.scenario.resolve(step.import_sacct)
        command = f"kiban import sacct {path.name} --org {step.org}"
        self._heading(number, f"operator runs `{command}`")
        with self.deps.session_factory.begin() as session:
            result = import_sacct(
                session=session,
                org_code=step.org,
                provider=step.provider,
                text=_read(path),
                reporter="cli",
                settings=self.settings,
                now=self.clock.now(),
            )
        for line in result.summary().splitlines():
            self.transcript.write(f"  {line}")
        deliver(
            session_factory=self.deps.session_factory,
            gateway=self.deps.slack,
            settings=self.settings,
            notices=result.notices,
            now=self.clock.now(),
        )

    def _ExportStep(self, number: int, step: model.ExportStep) -> None:
        """Write the export's files to `export/` of the output folder, as the CLI would."""
        from bot.render.public_feed import export_public
        from bot.services.progress_export import export_month

        if step.export == "progress" and step.month is None:
            raise UserError(
                "An `export: progress` step needs `month: YYYY-MM`.",
                "`export: progress` には `month: YYYY-MM` が必要です。",
            )
        shown = f"progress {step.month}" if step.export == "progress" else "public"
        self._heading(number, f"operator runs `kiban export {shown}`")
        lang = step.lang or self.settings.default_language
        with self.deps.session_factory() as session:
            if step.export == "public":
                files = export_public(
                    session,
                    settings=self.settings,
                    base_url=self.settings.public_base_url,
                    now=self.clock.now(),
                )
            else:
                files = export_month(
                    session=session,
                    actor=None,
                    settings=self.settings,
                    month=step.month,
                    lang=lang,
                    now=self.clock.now(),
                )
        folder = self.out_dir / "export"
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files:
            target = folder / name
            if isinstance(content, str):
                target.write_text(content, encoding="utf-8")
            else:
                target.write_bytes(content)
            self.transcript.write(f"  wrote {target}")

    def _ExpectStep(self, number: int, step: model.ExpectStep) -> None:
        expect = step.expect
        self.report.expectations += 1
        problem = self._check(expect)
        status = "ok" if problem is None else f"FAILED: {problem}"
        described = ", ".join(
            f"{k}={v!r}" for k, v in expect.model_dump(by_alias=True, exclude_none=True).items()
        )
        self.transcript.write(f"[{number}] expect {described}: {status}")
        if problem:
            self.report.expectations_failed += 1
            self.report.failed.append(f"step {number}: expect {described}: {problem}")

    def _check(self, expect: model.Expectation) -> str | None:
        if expect.in_.startswith("file:"):  # a file an `export` step wrote
            path = self.out_dir / "export" / expect.in_.removeprefix("file:")
            if not path.is_file():
                return f"no file {path}"
            entries, texts = [], [path.read_text(encoding="utf-8")]
        else:
            entries = self.sandbox.conversation(expect.in_)
            texts = [self.sandbox.render_entry(entry) for entry in entries]
        if expect.error_on is not None:
            errors = [self.sandbox.render_entry(e) for e in entries if e.kind == "errors"]
            if not any(expect.error_on in text for text in errors):
                return f"no inline error under {expect.error_on!r} in {expect.in_}"
        if expect.contains is not None:
            matching = [text for text in texts if expect.contains in text]
            if expect.count is not None and len(matching) != expect.count:
                return f"{len(matching)} message(s) contain {expect.contains!r}, expected {expect.count}"
            if expect.count is None and not matching:
                return f"nothing in {expect.in_} contains {expect.contains!r}"
        elif expect.count is not None and len(texts) != expect.count:
            return f"{len(texts)} message(s) in {expect.in_}, expected {expect.count}"
        if expect.not_contains is not None and any(expect.not_contains in t for t in texts):
            return f"something in {expect.in_} contains {expect.not_contains!r}"
        return None
