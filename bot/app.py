"""The Bolt app factory: `create_app(...)` builds the app; nothing is registered at import."""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import sessionmaker

from bot.clients.llm import llm_from
from bot.clients.slack import SlackGateway, make_web_client
from bot.deps import Deps, utc_now
from bot.settings import Settings

# A listener acks at once, then waits on Slack (views.open, posts, a rate limit's Retry-After):
# an ack must never wait for a free thread, so the pool is larger than Bolt's default of 5.
LISTENER_THREADS = 64


def create_app(
    settings: Settings,
    session_factory: sessionmaker,
    client: WebClient | None = None,
    *,
    clock=utc_now,
    listener_executor: Executor | None = None,
    verify_token: bool = True,
) -> tuple[App, Deps]:
    """Build Kiban's Bolt app and the deps its listeners use.

    `client` defaults to a WebClient for `settings.slack_api_url` with Kiban's retry handlers;
    `clock` returns the current aware UTC time (the demo passes a simulated one);
    `listener_executor` runs listeners (default: a pool of `LISTENER_THREADS`);
    `verify_token=False`: Bolt does not call `auth.test` now (`kiban serve` checked it once).
    Raises slack_bolt's BoltError when the token is rejected (`auth.test`).
    """
    from handlers import (
        alerts,
        allocations,
        announcements,
        compute,
        compute_uploads,
        data,
        data_directory,
        data_requests,
        dedup,
        evals,
        event_followup,
        events,
        home,
        instructions,
        members,
        practices,
        progress,
        reviews,
        trend_report,
        trends,
    )

    client = client or make_web_client(
        settings.slack_bot_token.get_secret_value(),
        settings.slack_api_url,
        timeout=settings.slack_timeout,
    )
    deps = Deps(
        settings=settings,
        session_factory=session_factory,
        slack=SlackGateway(
            client,
            default_lang=settings.default_language,
            operator_channel=settings.operator_channel,
        ),
        clock=clock,
        llm=llm_from(settings),
    )
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="kiban-listener"),
        token_verification_enabled=verify_token,
    )

    @app.middleware
    def _inject_deps(context, next):  # noqa: A002 (Bolt's name)
        context["deps"] = deps
        next()

    dedup.register(app)  # after deps: events taken once by event_id, replays refused

    for module in (
        members,
        compute,
        compute_uploads,
        alerts,
        instructions,
        allocations,
        evals,
        data,
        data_directory,
        data_requests,
        events,
        event_followup,
        reviews,
        trends,
        trend_report,
        progress,
        practices,
        announcements,
        home,
    ):
        module.register(app)
    return app, deps
