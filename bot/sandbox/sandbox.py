"""`Sandbox`: a local stand-in for a Slack workspace that the real bot talks to over loopback.

    sb = Sandbox(workspace=ws, signing_secret="...", bot_token="xoxb-sandbox", journal_path=None)
    sb.start()                       # 127.0.0.1, ephemeral port, daemon thread
    client = WebClient(token="xoxb-sandbox", base_url=sb.api_url)
    sb.bot_url = "http://127.0.0.1:BOTPORT/slack/events"
    d = sb.driver()
    d.command("U0ALICE", "/compute report")
    sb.render("modal:U0ALICE"); sb.failures

It is stricter than Slack, never looser (ARCHITECTURE.md "The sandbox"): what Slack would reject
it rejects, with Slack's error codes, and it records each such answer in `failures`.
All public methods are thread-safe.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import store
from .driver import Driver
from .faults import Faults
from .journal import Journal
from .server import SandboxServer
from .state import Entry, State
from .webapi import WebAPI
from .workspace import Workspace


class Sandbox:
    """The workspace, its Web API server, its journal and its failures."""

    bot_user_id = "U0KIBAN"
    team_id = "T0KIBAN"
    bot_id = "B0KIBAN"
    app_id = "A0KIBAN"

    def __init__(
        self,
        *,
        workspace: Workspace,
        signing_secret: str,
        bot_token: str = "xoxb-sandbox",
        journal_path: Path | str | None = None,
        post_rate: float = 1.0,
        post_burst: int = 5,
        workspace_post_rate: float | None = None,
        workspace_post_burst: int = 50,
    ) -> None:
        """`post_rate` (messages/s) and `post_burst` set chat.postMessage's per-channel bucket;
        `workspace_post_rate` (default none) adds one bucket for the whole workspace."""
        self.workspace = workspace
        self.signing_secret = signing_secret
        self.bot_token = bot_token
        self.state = State()
        self.journal = Journal(Path(journal_path) if journal_path else None)
        self.webapi = WebAPI(
            self,
            post_rate=post_rate,
            post_burst=post_burst,
            workspace_post_rate=workspace_post_rate,
            workspace_post_burst=workspace_post_burst,
        )
        self.faults = Faults()  # injected Web API failures (bot.sandbox.faults)
        self._server = SandboxServer(self)
        self.port: int | None = None
        self.bot_url: str | None = None

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> Sandbox:
        """Serve on 127.0.0.1 (ephemeral port) from a daemon thread; returns self."""
        if self.port is None:
            self.port = self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()
        self.port = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/` (raises RuntimeError before `start()`)."""
        if self.port is None:
            raise RuntimeError("Sandbox.start() first")
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        """`http://127.0.0.1:PORT/api/`: the `base_url` for `slack_sdk.WebClient`."""
        return self.base_url + "api/"

    # the person ------------------------------------------------------------------------------
    def driver(self, settle: Callable[[], None] | None = None) -> Driver:
        """A driver; `settle` is called after each action (default: wait until no Web API call
        is in flight and none arrived for 0.3 s, at most 15 s)."""
        return Driver(self, settle)

    # what people see -------------------------------------------------------------------------
    def conversation(self, name: str) -> list[Entry]:
        """Entries of "#name", "dm:USER", "mpim:U1,U2,…", "ephemeral:USER", "modal:USER" or
        "home:USER". A group DM may also be named by its `G…` id or its members' names in any
        order ("mpim:carol,alice"); see `workspace` for the naming."""
        group = self.workspace.group_dm(name)
        return self.state.conversation(group.name if group else name)

    def conversations(self) -> list[str]:
        """Names of the conversations that have entries, in first-seen order."""
        with self.state.lock:
            return list(self.state.order)

    def render_entry(self, entry: Entry) -> str:
        """The entry as a person reads it (with "(edited)" for updated messages)."""
        return entry.rendered + (" (edited)" if entry.edited else "")

    def render(self, name: str) -> str:
        """Every entry of one conversation so far, as text, separated by blank lines (names as
        `conversation` takes them)."""
        return "\n\n".join(self.render_entry(e) for e in self.conversation(name))

    def say(self, user: str, conversation: str, text: str) -> Entry:
        """Store a message written by a person (no event is sent to the bot): something the
        bot cannot `chat.update` (`cant_update_message`)."""
        return store.add_message(self, conversation, text=text, blocks=None, user=user)

    @property
    def failures(self) -> list[str]:
        """What Slack would have rejected or the bot did wrong, one readable string each."""
        with self.state.lock:
            return list(self.state.failures)
