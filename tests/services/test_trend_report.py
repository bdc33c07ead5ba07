"""The monthly trend report's draft (issue #8): the LLM's sections when it answers, the plain
template when it is absent, hangs or fails (at most the configured number of calls), the
programme's figures, edits, and publication only after approval, once."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlmodel import select

from bot.clients.llm import LLMClient
from bot.errors import UserError
from bot.services import trend_report
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage.trends import TrendItem, TrendReport
from tests.conftest import SETUP_YAML

NOW = datetime(2026, 5, 1, 0, 30, tzinfo=UTC)  # Friday 1 May, 09:30 JST
SETTINGS = Settings(
    _env_file=None,
    operator_channel="C0OPS",
    digest_channel="C0DIGEST",
    llm_base_url="http://llm.test/v1",
    llm_model="tiny",
    llm_timeout_seconds=0.5,
)


def chat(content: str) -> dict:
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "tiny",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
    }


def llm(handler) -> LLMClient:
    return LLMClient(SETTINGS, http_client=httpx.Client(transport=httpx.MockTransport(handler)))


GOOD = {
    "sections": {
        theme: {"ja": f"{theme} の要約 <!here>", "en": f"summary of {theme}"}
        for theme in ("international", "use_cases", "economic", "other")
    }
}


def seed(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        for i, (theme, title) in enumerate(
            [("international", "Llama 4 released"), ("economic", "生産性 20% 向上")]
        ):
            session.add(
                TrendItem(
                    url=f"https://news.example/{i}",
                    original_url=f"https://news.example/{i}?utm_source=x",
                    title=title,
                    note="見ておくべき" if i else "",
                    source="command",
                    added_by="U0ALICE",
                    added_at=datetime(2026, 4, 10, tzinfo=UTC),
                    month="2026-04",
                    theme=theme,
                )
            )


def make_draft(session_factory, client):
    with session_factory() as session:
        items = trend_report.items_for(session, "2026-04")
    written = trend_report.llm_sections(client, "2026-04", items)
    with session_factory.begin() as session:
        return trend_report.draft(
            session=session,
            settings=SETTINGS,
            month="2026-04",
            now=NOW,
            written=written,
            llm_configured=client is not None,
        )


def test_the_llm_writes_the_themes_and_kiban_the_figures(session_factory):
    seed(session_factory)
    report, [notice] = make_draft(
        session_factory, llm(lambda r: httpx.Response(200, json=chat(json.dumps(GOOD))))
    )
    assert report.generated_with == "llm"
    lead, line = report.sections["international"]["en"].split("\n")
    assert lead == "summary of international"  # the LLM's lead, then Kiban's own link line
    assert line == "• <https://news.example/0|Llama 4 released>"  # tracking removed
    assert "&lt;!here&gt;" in report.sections["international"]["ja"]  # model text stays inert
    assert "GPU時間" in report.sections["figures"]["ja"]
    assert notice.channel == "C0OPS" and notice.ts is None
    text = json.dumps(notice.render("ja").blocks, ensure_ascii=False)
    assert "動向レポート案: 2026-04" in text and "承認して公開" in text


def test_without_an_llm_the_template_lists_titles_and_notes_and_says_so(session_factory):
    seed(session_factory)
    report, [notice] = make_draft(session_factory, None)
    assert report.generated_with == "template"
    assert "Llama 4 released" in report.sections["international"]["en"]
    assert "生産性 20% 向上" in report.sections["economic"]["ja"]
    assert "見ておくべき" in report.sections["economic"]["ja"]
    assert "LLM が設定されていない" in json.dumps(notice.render("ja").blocks, ensure_ascii=False)


@pytest.mark.parametrize("status", [429, 500])
def test_a_failing_endpoint_is_called_at_most_twice_and_the_draft_still_arrives(
    session_factory, status
):
    seed(session_factory)
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(
            status, json={"error": {"message": "busy"}}, headers={"retry-after": "0"}
        )

    report, [notice] = make_draft(session_factory, llm(handler))
    assert len(calls) == 2  # the request and the client's one retry
    assert report.generated_with == "template"
    assert "使える回答が得られなかった" in json.dumps(
        notice.render("ja").blocks, ensure_ascii=False
    )


def test_a_hanging_endpoint_times_out_within_the_bound(session_factory):
    seed(session_factory)
    calls = []

    class Hang(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            calls.append(self.path)
            time.sleep(3)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hang)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = SETTINGS.model_copy(
            update={"llm_base_url": f"http://127.0.0.1:{server.server_port}/v1"}
        )
        began = time.monotonic()
        report, _ = make_draft(session_factory, LLMClient(settings))
        elapsed = time.monotonic() - began
    finally:
        server.shutdown()
    assert len(calls) <= 2 and report.generated_with == "template"
    assert elapsed < 2 * 0.5 + 2.5  # two timeouts and the client's backoff, no more


def test_an_unusable_reply_falls_back_to_the_template(session_factory):
    seed(session_factory)
    partial = {"sections": {"international": {"ja": "x", "en": "y"}}}  # themes missing
    report, _ = make_draft(
        session_factory, llm(lambda r: httpx.Response(200, json=chat(json.dumps(partial))))
    )
    assert report.generated_with == "template"


def test_edits_then_one_approval_publishes_to_the_channels_with_files(session_factory):
    seed(session_factory)
    report, _ = make_draft(session_factory, None)
    with session_factory.begin() as session:
        sato = resolve_actor(session, "U0SATO", "ja")
        trend_report.edit_section(
            session=session,
            actor=sato,
            report_id=report.id,
            section="other",
            texts={"ja": "編集済み", "en": "edited"},
            settings=SETTINGS,
        )
    with pytest.raises(UserError), session_factory.begin() as session:  # a member may not
        trend_report.approve(
            session=session,
            actor=resolve_actor(session, "U0ALICE", "en"),
            report_id=report.id,
            settings=SETTINGS,
            now=NOW,
        )
    with session_factory.begin() as session:
        notices, _ = trend_report.approve(
            session=session,
            actor=resolve_actor(session, "U0SATO", "ja"),
            report_id=report.id,
            settings=SETTINGS,
            now=NOW,
        )
    kinds = [(n.kind, n.channel) for n in notices]
    assert ("trend_published", "C0DIGEST") in kinds and ("trend_files", "C0DIGEST") in kinds
    files = dict(next(n for n in notices if n.kind == "trend_files").files)
    assert "edited" in files["trend-report-2026-04-en.md"]
    assert "[Llama 4 released](https://news.example/0)" in files["trend-report-2026-04-en.md"]
    with pytest.raises(UserError, match="already been published"), session_factory.begin() as s:
        trend_report.approve(
            session=s,
            actor=resolve_actor(s, "U0SATO", "en"),
            report_id=report.id,
            settings=SETTINGS,
            now=NOW,
        )
    with session_factory() as session:
        [stored] = session.exec(select(TrendReport)).all()
    assert (stored.status, stored.approved_by, stored.revision) == ("published", "U0SATO", 2)


def test_a_month_not_over_cannot_be_drafted(session_factory):
    seed(session_factory)
    with pytest.raises(UserError, match="not over yet"), session_factory.begin() as session:
        trend_report.draft(
            session=session,
            settings=SETTINGS,
            month="2026-05",  # the month of NOW
            now=NOW,
            written=None,
            llm_configured=False,
        )
    with pytest.raises(UserError, match="not over yet"), session_factory.begin() as session:
        trend_report.draft(
            session=session,
            settings=SETTINGS,
            month="2030-01",
            now=NOW,
            written=None,
            llm_configured=False,
        )


def test_links_cannot_be_disguised_and_markdown_lists_items():
    from bot.blocks.trend_report import from_typed, safe_link, to_markdown

    assert safe_link("https://evil.example/x", "https://good.example") == (
        "<https://evil.example/x|https://evil.example/x>"
    )
    assert (
        safe_link("https://news.example/a", "News <b>") == "<https://news.example/a|News &lt;b&gt;>"
    )
    typed = "see <https://evil.example|good.example> and <!here>"
    assert from_typed(typed) == "see <https://evil.example|https://evil.example> and &lt;!here&gt;"
    md = to_markdown("• <https://a.example|A> — x\n・<https://b.example|B>")
    assert md == "- [A](https://a.example) — x\n- [B](https://b.example)"


def test_the_approval_names_only_the_channels_that_got_the_report(session_factory):
    seed(session_factory)
    report, _ = make_draft(session_factory, None)
    settings = SETTINGS.model_copy(update={"trend_channels": ["C0NEWS", "C0DIGEST"]})
    with session_factory.begin() as session:
        notices, failed = trend_report.approve(
            session=session,
            actor=resolve_actor(session, "U0SATO", "en"),
            report_id=report.id,
            settings=settings,
            now=NOW,
        )
    failed.append("C0NEWS")  # as the handler does once Slack refused it
    text = notices[-1].render("en").text
    assert "published in <#C0DIGEST>" in text and "refused the post in <#C0NEWS>" in text


def test_a_member_listing_items_sees_only_their_own_notes(session_factory):
    from bot.services import trends

    seed(session_factory)
    with session_factory.begin() as session:
        item = session.exec(select(TrendItem).where(TrendItem.theme == "international")).one()
        item.note = "[U0ALICE] mine\n[U0KENJI] みらいの社内事情"
        session.add(item)
    with session_factory() as session:
        shown = trends.list_items(
            session=session,
            actor=resolve_actor(session, "U0ALICE", "en"),
            settings=SETTINGS,
            now=datetime(2026, 4, 20, tzinfo=UTC),
            month="2026-04",
        )
    text = json.dumps(shown.blocks, ensure_ascii=False)
    assert "mine" in text and "社内事情" not in text


def test_disseminated_results_and_approved_practices_join_the_report(session_factory):
    """A survey project's result marked for dissemination is in the programme's figures (never
    a result only reported); the best practices approved in the month close "other", an
    anonymous one without any organization; one approved in May is not in April's report."""
    from storage.members import Organization, OrgKind, upsert_org
    from storage.practices import Practice
    from storage.progress import Dissemination, ProgressReport

    seed(session_factory)
    april = datetime(2026, 4, 20, tzinfo=UTC)
    with session_factory.begin() as session:
        survey, _ = upsert_org(
            session, code="SURV", name="ガバナンス調査", kind=OrgKind.SURVEY_PROJECT.value
        )
        texts = dict(plan="p", progress="p", issues="内部の課題", improvement_plan="i")
        shared = ProgressReport(
            organization_id=survey.id,
            month="2026-04",
            results="事例集を公開 <!here>",
            reporter="U0X",
            submitted_at=april,
            **texts,
        )
        session.add(shared)
        session.flush()
        session.add(
            Dissemination(
                report_id=shared.id,
                organization_id=survey.id,
                month="2026-04",
                results=shared.results,
                marked_by="U0SATO",
                marked_at=april,
            )
        )
        orga = session.exec(select(Organization).where(Organization.code == "ORGA")).one()
        for title, org_id, reviewed in [
            ("出典台帳", orga.id, april),
            ("匿名の手順", None, april),
            ("五月の手順", None, datetime(2026, 5, 1, tzinfo=UTC)),
        ]:
            session.add(
                Practice(
                    title=title,
                    body="b",
                    area="data_governance",
                    organization_id=org_id,
                    status="approved",
                    submitted_by="U0KENJI",
                    submitted_at=april,
                    reviewed_by="U0SATO",
                    reviewed_at=reviewed,
                )
            )
    report, _ = make_draft(session_factory, None)
    figures = report.sections["figures"]["ja"]
    assert "ガバナンス調査" in figures and "事例集を公開 &lt;!here&gt;" in figures
    assert "内部の課題" not in figures
    other = report.sections["other"]["ja"]
    assert "出典台帳" in other and "Alpha AI" in other
    anonymous = next(line for line in other.splitlines() if "匿名の手順" in line)
    assert "匿名" in anonymous.replace("匿名の手順", "") and "U0KENJI" not in other
    assert "五月の手順" not in other


def test_the_markdown_files_never_carry_typed_html_and_links_survive_odd_urls():
    """Text people typed (`<script>`, a disguised link) stays text in the Markdown files, and a
    link whose address holds `<`, `>`, `|` or `&` is one working link, in Slack and in the file."""
    from bot.blocks.common import escape
    from bot.blocks.trend_report import safe_link, to_markdown

    typed = escape("RESULT <script>x</script> <https://evil.example|https://meti.go.jp> & co")
    line = "• " + safe_link("https://example.org/a?b=<c>|d&e=1", "出典")
    md = to_markdown(f"{typed}\n{line}")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "<https://evil.example" not in md
    assert "- [出典](https://example.org/a?b=%3Cc%3E%7Cd&amp;e=1)" in md
    assert line == "• <https://example.org/a?b=%3Cc%3E%7Cd&amp;e=1|出典>"
