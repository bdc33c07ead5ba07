"""The trend report's draft through the sandbox (issue #8): drafted on the first business day
in the operator channel, a section edited in its modal (the draft updated in place),
regenerated with the LLM after the ack, approved once and published with its files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
from sqlmodel import select

from bot.clients.llm import LLMClient
from bot.sandbox.store import top_modal
from jobs.trend_report import run_trend_draft
from storage.trends import TrendItem, TrendReport
from tests.services.test_trend_report import GOOD, SETTINGS, chat

FIRST_BUSINESS_DAY = datetime(2026, 5, 1, 0, 30, tzinfo=UTC)  # Fri 1 May 09:30 JST


def add_items(h):
    with h.session_factory.begin() as session:
        session.add(
            TrendItem(
                url="https://news.example/llama",
                original_url="https://news.example/llama",
                title="Llama 4 released",
                source="command",
                added_by="U0ALICE",
                added_at=datetime(2026, 4, 10, tzinfo=UTC),
                month="2026-04",
                theme="international",
            )
        )


def test_draft_edit_regenerate_approve(harness):
    h = harness
    add_items(h)
    h.clock.moment = FIRST_BUSINESS_DAY
    assert run_trend_draft(deps=h.deps, now=datetime(2026, 4, 30, 0, 30, tzinfo=UTC)) == 0
    assert run_trend_draft(deps=h.deps, now=FIRST_BUSINESS_DAY) == 1
    assert run_trend_draft(deps=h.deps, now=FIRST_BUSINESS_DAY) == 0  # claimed once
    draft = h.sandbox.render("#secretariat")
    assert "動向レポート案: 2026-04（第 1 版）" in draft and "Llama 4 released" in draft
    assert "LLM が設定されていない" in draft

    # edit the "other" section: the draft is updated in place, not posted again
    posts = len(h.sandbox.conversation("#secretariat"))
    h.driver.click("U0SATO", "編集", "#secretariat")
    modal = top_modal(h.sandbox, "U0SATO").view
    assert "国際的な開発動向" in json.dumps(modal, ensure_ascii=False)
    ack = h.driver.fill(
        "U0SATO", {"日本語": "編集した <https://x.example|リンク>", "英語": "edited"}
    )
    assert ack.body == ""
    assert len(h.sandbox.conversation("#secretariat")) == posts
    assert "編集した" in h.sandbox.render("#secretariat")

    # regenerate with an LLM: asked after the ack, the draft updated in place
    h.deps.llm = LLMClient(
        SETTINGS,
        http_client=httpx.Client(
            transport=httpx.MockTransport(
                lambda r: httpx.Response(200, json=chat(json.dumps(GOOD)))
            )
        ),
    )
    ack = h.driver.click("U0SATO", "再生成", "#secretariat")
    assert ack.elapsed < 3
    assert "international の要約" in h.sandbox.render("#secretariat")
    assert "@sato が再生成しました" in h.sandbox.render("#secretariat")

    # a member cannot approve; the operator approves once
    h.driver.click("U0KENJI", "承認して公開", "#secretariat")
    assert "事務局" in h.sandbox.render("ephemeral:U0KENJI")
    with h.session_factory() as session:
        assert session.exec(select(TrendReport)).one().status == "draft"
    h.driver.click("U0SATO", "承認して公開", "#secretariat")
    digest = h.sandbox.render("#community-digest")
    assert "生成AI動向レポート: 2026-04" in digest
    assert "trend-report-2026-04-ja.md" in digest and "trend-report-2026-04-en.md" in digest
    with h.session_factory() as session:
        [report] = session.exec(select(TrendReport)).all()
    assert report.status == "published" and report.approved_by == "U0SATO"
    assert "承認し" in h.sandbox.render("#secretariat")
