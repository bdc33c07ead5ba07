"""No configured secret (bot token, signing secret, app token, LLM API key, database password)
appears in a log record (message, args, traceback), in anything sent to Slack or a user (the
sandbox journal), or in what the CLI prints, along representative failing paths, with logging
at DEBUG."""

from __future__ import annotations

import json
import logging
import socket

import httpx
import pytest
from sqlmodel import select

from bot import logging_redact
from bot.app import create_app
from bot.blocks.common import Message
from bot.cli import main
from bot.clients.llm import LLMClient
from bot.clients.slack import Notice, SlackGateway, make_web_client
from bot.sandbox import Sandbox, Workspace
from bot.sandbox.server import start_in_thread, stop_in_thread
from bot.scenario.harness import IdleTrackingExecutor, ScenarioSettings
from bot.server import make_http_server
from bot.services import delivery
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.outbox import OutboxMessage
from tests.conftest import SETTINGS, WORKSPACE

BOT_TOKEN = "xoxb-LEAKCHECK-bot-1111"
SIGNING_SECRET = "leakcheck-signing-2222"
APP_TOKEN = "xapp-LEAKCHECK-app-3333"
LLM_KEY = "sk-LEAKCHECK-llm-4444"
DB_PASSWORD = "LeakCheckDbPw5555"
SECRETS = (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, LLM_KEY, DB_PASSWORD)
LOUD = ("", "slack_bolt", "slack_sdk", "httpx", "httpcore", "openai", "urllib3", "sqlalchemy")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: connecting is refused


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaked in: {text[:500]}"


def logged(caplog) -> list[str]:
    """Everything a log handler could write: message, raw msg, args, traceback, stack."""
    texts = [caplog.text]
    for record in caplog.records:
        texts += [record.getMessage(), str(record.msg), repr(record.args)]
        texts += [record.exc_text or "", record.stack_info or ""]
        if record.exc_info:
            texts.append(logging.Formatter().formatException(record.exc_info))
    return texts


@pytest.fixture(autouse=True)
def debug_logs(caplog):
    for name in LOUD:
        caplog.set_level(logging.DEBUG, logger=name or None)
    yield caplog
    logging_redact.install()  # forget this test's secrets


@pytest.fixture
def env(monkeypatch, tmp_path):
    """The environment `kiban` reads: every secret set, a SQLite database."""
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "LLM_API_KEY": LLM_KEY,
        "LLM_BASE_URL": f"http://127.0.0.1:{_closed_port()}/v1",
        "LLM_MODEL": "leak-model",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}",
        "LOG_LEVEL": "DEBUG",
    }
    monkeypatch.chdir(tmp_path)  # no .env from the repository
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def running(env, tmp_path):
    """The real bot over HTTP with every secret configured, its sandbox knowing the token;
    redaction installed as `kiban` installs it at start-up."""
    with Sandbox(
        workspace=Workspace.from_dict(WORKSPACE), signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN
    ) as sandbox:
        settings = ScenarioSettings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token=APP_TOKEN,
            slack_api_url=sandbox.api_url,
            llm_api_key=LLM_KEY,
            llm_base_url=env["LLM_BASE_URL"],
            llm_model="leak-model",
            database_url=env["DATABASE_URL"],
            **SETTINGS,
        )
        logging_redact.install(settings, extra=[DB_PASSWORD])
        upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        executor = IdleTrackingExecutor()
        app, deps = create_app(settings, make_session_factory(engine), listener_executor=executor)
        server = make_http_server(app, "127.0.0.1", 0)
        thread = start_in_thread(server, "kiban-leak-check")
        sandbox.bot_url = f"http://127.0.0.1:{server.effective_port}/slack/events"
        driver = sandbox.driver(settle=executor.wait_idle)
        try:
            yield sandbox, driver, deps, settings
        finally:
            executor.wait_idle()
            stop_in_thread(server, thread)
            executor.shutdown(wait=True)
            engine.dispose()


def test_cli_start_up_installs_redaction_of_every_configured_secret(
    env, monkeypatch, capsys, caplog
):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://kiban:{DB_PASSWORD}@127.0.0.1:1/kiban")
    assert main(["db", "upgrade"]) == 2  # the database cannot be reached
    out, err = capsys.readouterr()
    assert "cannot open the database" in err
    # from now on, a library echoing a secret is redacted, whatever the logger
    logging.getLogger("some.library").error("echoed %s %s %s %s and %s", *SECRETS)
    try:
        raise RuntimeError(f"connect to postgresql://kiban:{DB_PASSWORD}@db with {BOT_TOKEN}")
    except RuntimeError:
        logging.getLogger("some.library").exception("failed")
    assert "echoed [redacted] [redacted]" in caplog.text
    assert_no_secret(out, err, *logged(caplog))


@pytest.mark.parametrize("case", ["unreachable", "rejected_token", "no_signing_secret"])
def test_kiban_serve_misconfigured_prints_no_secret(env, monkeypatch, capsys, caplog, case):
    if case == "unreachable":  # it serves anyway (the outbox waits): stop it at once
        import bot.server

        monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{_closed_port()}/api/")
        monkeypatch.setenv("PORT", str(_closed_port()))
        monkeypatch.setenv("SLACK_APP_TOKEN", "")  # HTTP mode
        stopped = type("Stopped", (), {"run": lambda self: None})()
        monkeypatch.setattr(bot.server, "make_http_server", lambda *a, **k: stopped)
        assert main(["serve"]) == 0
        assert any("serving anyway" in message for message in logged(caplog))
    elif case == "rejected_token":
        with Sandbox(
            workspace=Workspace.from_dict(WORKSPACE), signing_secret="x", bot_token="xoxb-other"
        ) as sandbox:
            monkeypatch.setenv("SLACK_API_URL", sandbox.api_url)
            assert main(["serve"]) == 2
            assert_no_secret(json.dumps(sandbox.journal.records))
    else:
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "")
        assert main(["serve"]) == 2
    out, err = capsys.readouterr()
    assert err.strip() or case == "unreachable"
    assert_no_secret(out, err, *logged(caplog))


def test_failing_paths_of_the_running_bot_log_no_secret(running, monkeypatch, caplog, capsys):
    sandbox, driver, deps, settings = running
    # Slack API errors: an unknown user, a channel that does not exist
    assert deps.slack.user_info("U0NOBODY") is None
    note = Notice(channel="C0NOPE", render=lambda lang: Message("hi"), lang="en", kind="t")
    delivery.deliver(
        session_factory=deps.session_factory,
        gateway=deps.slack,
        settings=settings,
        notices=[note],
        now=deps.now(),
    )
    # transport failure: Slack unreachable, for users.info and for a post (kept in the outbox)
    down = SlackGateway(make_web_client(BOT_TOKEN, f"http://127.0.0.1:{_closed_port()}/api/"))
    assert down.user_info("U0ALICE") is None
    delivery.deliver(
        session_factory=deps.session_factory,
        gateway=down,
        settings=settings,
        notices=[note],
        now=deps.now(),
    )
    with deps.session_factory() as session:
        stored = [row.last_error or "" for row in session.exec(select(OutboxMessage))]
    assert any("network error" in error for error in stored)
    assert_no_secret(*stored)
    # the LLM endpoint: unreachable, then refusing the key and echoing it back
    assert LLMClient(settings).complete_json(system="s", user={}) is None

    def refuse(request: httpx.Request) -> httpx.Response:
        key = request.headers["authorization"]
        return httpx.Response(401, json={"error": {"message": f"Incorrect API key: {key}"}})

    refusing = LLMClient(settings, http_client=httpx.Client(transport=httpx.MockTransport(refuse)))
    assert refusing.complete_json(system="s", user={}) is None
    # a crash inside a listener, its error echoing credentials (as some libraries' do)
    import bot.services.home as home

    def crash(**_kw):
        raise RuntimeError(f"upstream refused token {BOT_TOKEN} (key {LLM_KEY})")

    monkeypatch.setattr(home, "home_view", crash)
    driver.open_home("U0ALICE")
    # Slack refusing what a listener sends
    monkeypatch.setattr(home, "home_view", lambda **_kw: {"type": "home", "blocks": "nope"})
    driver.open_home("U0ALICE")
    # a request signed with the wrong secret
    assert driver.send_raw("{}", secret="wrong-secret").status == 401

    messages = [r.getMessage() for r in caplog.records]
    assert any("users.info U0NOBODY failed" in m for m in messages)
    assert any("LLM call failed" in m for m in messages)
    assert any("listener failed" in m for m in messages)
    assert any("could not publish the Home" in m for m in messages)
    apology = sandbox.render("dm:U0ALICE")
    assert apology  # the user was told something went wrong, without details
    out, err = capsys.readouterr()
    assert_no_secret(out, err, apology, json.dumps(sandbox.journal.records), *logged(caplog))


def test_an_unparsable_database_url_is_refused_without_its_password(env, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"postgresql//kiban:{DB_PASSWORD}@db/kiban")
    assert main(["db", "upgrade"]) == 2
    out, err = capsys.readouterr()
    assert "DATABASE_URL" in err
    assert_no_secret(out, err)


def test_a_password_given_as_a_query_parameter_is_masked_too(env, monkeypatch, capsys, caplog):
    """libpq also takes `?password=…`: masked in what the CLI prints and in the logs."""
    secret = "QueryPassw0rd9"
    url = f"postgresql://kiban@127.0.0.1:1/kiban?sslmode=disable&password={secret}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["export", "public", "--out", "x"]) == 2
    out, err = capsys.readouterr()
    assert secret not in out + err and "***" in err
    assert all(secret not in line for line in logged(caplog))
