"""The public feed (`kiban export public`): a valid Atom feed and an HTML index of published
public announcements and published trend reports (theme sections only), and THE privacy
test: a sentinel planted in every organization-private or not-yet-public place across the
domains never reaches either file, while the public items do. Injection attempts in a title,
a body or a trend section come out as inert text."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import feedparser
import pytest
from sqlalchemy import inspect, select

from bot.blocks.trend_report import from_typed
from bot.errors import UserError
from bot.render.public_feed import export_public, mrkdwn_html
from bot.services import trend_report
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage.announcements import Announcement
from storage.compute import ComputeAllocation, UsageReport
from storage.data_holders import DataHolder
from storage.data_requests import DataRequest
from storage.evals import EvalSubmission
from storage.events import Event, EventSurvey
from storage.instructions import Instruction
from storage.members import get_org_by_code
from storage.practices import Practice
from storage.progress import Dissemination, ProgressAdvice, ProgressReport
from storage.reviews import ReviewRound, ReviewSubject, Scorecard
from storage.trends import TrendItem, TrendReport
from tests.conftest import SETUP_YAML

SETTINGS = Settings(_env_file=None, public_feed_title="Kiban 公開情報", timezone="Asia/Tokyo")
BASE = "https://kiban.example/public/"
NOW = datetime(2026, 4, 20, 3, 0, tzinfo=UTC)
AT = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
SECRET = "SECRET"  # every sentinel starts with it


def s(place: str) -> str:
    return f"{SECRET}-{place}"


def announcement(**values) -> Announcement:
    base = dict(
        title={"ja": "題", "en": "Title"},
        body={"ja": "本文", "en": "Body"},
        to_channels=True,
        to_public=True,
        publish_at=AT,
        status="published",
        author="U0SATO",
        created_at=AT - timedelta(days=1),
        published_at=AT,
    )
    base.update(values)
    return Announcement(**base)


def secret_announcement(place: str, **values) -> Announcement:
    return announcement(
        title={"ja": s(f"{place}-title-ja"), "en": s(f"{place}-title-en")},
        body={"ja": s(f"{place}-body-ja"), "en": s(f"{place}-body-en")},
        **values,
    )


def seed_private(session) -> None:
    """A sentinel in every organization-private or not (yet) public place we know of."""
    import_setup(session=session, text=SETUP_YAML)
    orga = get_org_by_code(session, "ORGA").id
    allocation = session.exec(
        select(ComputeAllocation).where(ComputeAllocation.organization_id == orga)
    ).scalar_one()
    session.add(
        UsageReport(
            organization_id=orga,
            allocation_id=allocation.id,
            month="2026-03",
            gpu_hours=1234.5,
            progress=s("usage-progress"),
            issues=s("usage-issues"),
            improvement_plan=s("usage-improvement"),
            reporter="U0ALICE",
            submitted_at=AT,
        )
    )
    report = ProgressReport(
        organization_id=orga,
        month="2026-03",
        plan=s("progress-plan"),
        progress=s("progress-progress"),
        issues=s("progress-issues"),
        improvement_plan=s("progress-improvement"),
        results=s("progress-results"),
        help_needed=s("progress-help"),
        reporter="U0ALICE",
        submitted_at=AT,
    )
    session.add(report)
    session.flush()
    session.add(
        ProgressAdvice(
            report_id=report.id,
            organization_id=orga,
            month="2026-03",
            author="U0SATO",
            text=s("progress-advice"),
            given_at=AT,
        )
    )
    session.add(
        Dissemination(  # shared in the community, not with the public
            report_id=report.id,
            organization_id=orga,
            month="2026-03",
            results=s("dissemination"),
            marked_by="U0SATO",
            marked_at=AT,
        )
    )
    for status, org in (("pending", orga), ("rejected", orga), ("approved", None)):
        session.add(
            Practice(
                title=s(f"practice-{status}-title"),
                body=s(f"practice-{status}-body"),
                area="security",
                organization_id=org,
                status=status,
                submitted_by="U0ALICE",
                submitted_at=AT,
                search_text=s(f"practice-{status}-search"),
                reject_reason=s("practice-reason") if status == "rejected" else None,
                reviewed_at=None if status == "pending" else AT - timedelta(days=10),
            )
        )
    for status in ("submitted", "approved", "published"):  # results are group-internal
        session.add(
            EvalSubmission(
                organization_id=orga,
                submitted_by="U0ALICE",
                submitted_at=AT,
                model_name=s(f"eval-{status}-model"),
                model_revision="r1",
                model_type="base",
                notes=s(f"eval-{status}-notes"),
                file_name="results.json",
                file_format="json",
                file_sha256="0" * 64,
                report_json="{}",
                status=status,
                decision_reason=s(f"eval-{status}-reason"),
            )
        )
    session.add(
        DataRequest(
            organization_id=orga,
            requested_by="U0ALICE",
            data_needed=s("data-needed"),
            purpose=s("data-purpose"),
            size_text="1TB",
            created_at=AT,
            last_activity_at=AT,
            reason=s("data-reason"),
        )
    )
    session.add(
        DataHolder(
            key="holder-1",
            name=s("holder-name"),
            description=s("holder-description"),
            access_conditions=s("holder-conditions"),
            contact_email="holder@example.org",
        )
    )
    session.add(
        Instruction(
            organization_id=orga,
            title=s("instruction-title"),
            body=s("instruction-body"),
            due_date=date(2026, 4, 30),
            issued_by="U0SATO",
            issued_at=AT,
        )
    )
    review = ReviewRound(
        name=s("round"), kind="selection", deadline=AT, chair="U0SATO", created_at=AT
    )
    session.add(review)
    session.flush()
    subject = ReviewSubject(
        round_id=review.id,
        name=s("subject-name"),
        proposal_title=s("subject-proposal"),
        decision="accept",
        decision_note=s("subject-decision-note"),
    )
    session.add(subject)
    session.flush()
    session.add(
        Scorecard(
            round_id=review.id,
            subject_id=subject.id,
            user_id="U0GAKU",
            scores={"novelty": 5},
            comments=s("scorecard-comments"),
            recommendation="accept",
            chair_note=s("scorecard-chair-note"),
            submitted_at=AT,
            updated_at=AT,
        )
    )
    event = Event(
        title=s("event-title"),
        description=s("event-description"),
        purpose=s("event-purpose"),
        starts_at=AT,
        ends_at=AT + timedelta(hours=1),
        created_by="U0SATO",
    )
    session.add(event)
    session.flush()
    session.add(
        EventSurvey(
            event_id=event.id,
            user_id="U0ALICE",
            rating=4,
            useful=s("survey-useful"),
            change=s("survey-change"),
            answered_at=AT,
        )
    )
    session.add(
        TrendItem(
            url="https://news.example/secret",
            original_url="https://news.example/secret",
            title=s("trend-item-title"),
            note=s("trend-item-note"),
            source="command",
            added_at=AT,
            month="2026-03",
        )
    )
    session.add(
        TrendReport(  # a draft: not published
            month="2026-04",
            status="draft",
            sections={
                key: {"ja": s(f"draft-{key}-ja"), "en": s(f"draft-{key}-en")}
                for key in ("international", "use_cases", "economic", "other", "figures")
            },
            drafted_at=AT,
        )
    )
    # announcements that are not public, or not yet published
    session.add(secret_announcement("channel-only", to_public=False))
    session.add(secret_announcement("awaiting", status="awaiting_approval", published_at=None))
    session.add(
        secret_announcement(
            "cancelled", status="cancelled", published_at=None, cancelled_by="U0GAKU"
        )
    )
    session.add(
        secret_announcement(
            "scheduled",
            status="scheduled",
            publish_at=NOW + timedelta(days=3),
            published_at=None,
            approved_by="U0GAKU",
        )
    )
    session.add(secret_announcement("publishing", status="publishing", published_at=NOW))


def seed_public(session) -> None:
    session.add(
        announcement(
            title={"ja": "PUBLIC-お知らせ", "en": "PUBLIC-notice"},
            body={
                "ja": from_typed("詳細は <https://example.org/a?b=1&c=2|こちら> へ。\n2行目"),
                "en": from_typed("See <https://example.org/a?b=1&c=2|here>."),
            },
            approved_by="U0GAKU",
            published_at=AT,
        )
    )
    session.add(
        TrendReport(
            month="2026-03",
            status="published",
            drafted_at=AT,
            published_at=AT + timedelta(days=1),
            approved_by="U0SATO",
            sections={
                "international": {
                    "ja": "PUBLIC-国際 • <https://news.example/llama|Llama 4> — 公開",
                    "en": "PUBLIC-international • <https://news.example/llama|Llama 4>",
                },
                "use_cases": {"ja": "PUBLIC-活用", "en": "PUBLIC-use-cases"},
                "economic": {"ja": "", "en": ""},
                "other": {"ja": "PUBLIC-その他", "en": "PUBLIC-other"},
                "figures": {"ja": s("figures-ja"), "en": s("figures-en")},
            },
        )
    )


def export(factory, base_url=BASE) -> tuple[str, str]:
    with factory() as session:
        files = dict(export_public(session, settings=SETTINGS, base_url=base_url, now=NOW))
    assert set(files) == {"feed.xml", "index.html"}
    return files["feed.xml"].decode("utf-8"), files["index.html"]


def planted(factory) -> set[str]:
    """Every table holding a sentinel in some column (how far the seeding reached)."""
    tables = set()
    with factory() as session:
        for mapper in _mappers():
            table = mapper.local_table
            for row in session.execute(select(*table.columns)).all():
                if any(SECRET in str(value) for value in row):
                    tables.add(table.name)
    return tables


def _mappers():
    from sqlmodel import SQLModel

    return [inspect(cls) for cls in _table_classes(SQLModel)]


def _table_classes(base):
    for cls in base.__subclasses__():
        if getattr(cls, "__table__", None) is not None:
            yield cls
        yield from _table_classes(cls)


class Tags(HTMLParser):
    """Every start tag and its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(markup: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(markup)
    parser.close()
    return parser.tags


SAFE_TAGS = {"div", "p", "h3", "br", "a"}
PAGE_TAGS = SAFE_TAGS | {
    "html", "head", "meta", "title", "link", "style", "body", "header", "h1", "main",
    "article", "h2", "span", "time",
}  # fmt: skip


# --- THE privacy test ----------------------------------------------------------------------------


def test_nothing_private_reaches_the_public_feed(session_factory):
    with session_factory.begin() as session:
        seed_private(session)
        seed_public(session)
    reached = planted(session_factory)
    assert {
        "usagereport", "progressreport", "progressadvice", "dissemination", "practice",
        "evalsubmission", "datarequest", "dataholder", "instruction", "reviewround",
        "reviewsubject", "scorecard", "event", "eventsurvey", "trenditem", "trendreport",
        "announcement",
    } <= reached  # fmt: skip

    feed, index = export(session_factory)
    assert SECRET not in feed and SECRET not in html.unescape(feed)
    assert SECRET not in index and SECRET not in html.unescape(index)
    for public in ("PUBLIC-お知らせ", "PUBLIC-notice", "PUBLIC-international", "PUBLIC-国際"):
        assert public in feed and public in index
    assert "PUBLIC-use-cases" in index and "PUBLIC-その他" in index


def test_a_report_drafted_and_approved_for_real_leaks_no_figures(session_factory):
    """Through the real path (`trend_report.draft` then `approve`): the figures section, built
    from the organizations' internal data (usage, results marked for dissemination, …), stays
    out. What the draft itself puts in the theme sections — the collected items' titles and
    notes, and the best practices approved that month — is published as the operator
    approved it."""
    with session_factory.begin() as session:
        seed_private(session)
    now = datetime(2026, 4, 2, 1, 0, tzinfo=UTC)
    with session_factory.begin() as session:
        report, _ = trend_report.draft(
            session=session,
            settings=SETTINGS,
            month="2026-03",
            now=now,
            written=None,
            llm_configured=False,
        )
        report_id = report.id
    with session_factory.begin() as session:
        actor = resolve_actor(session, "U0SATO", "ja")
        trend_report.approve(
            session=session, actor=actor, report_id=report_id, settings=SETTINGS, now=now
        )
    feed, index = export(session_factory)
    approved_content = {
        s("trend-item-title"), s("trend-item-note"), s("practice-approved-title"),
    }  # fmt: skip
    assert set(re.findall(rf"{SECRET}-[\w-]+", index)) <= approved_content
    assert set(re.findall(rf"{SECRET}-[\w-]+", feed)) <= approved_content
    assert "2026-03" in index


def test_the_feed_is_valid_atom_with_stable_ids(session_factory):
    with session_factory.begin() as session:
        seed_private(session)
        seed_public(session)
    feed, index = export(session_factory)
    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Kiban 公開情報"
    assert parsed.feed.id == BASE
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "alternate": BASE + "index.html",
        "self": BASE + "feed.xml",
    }
    trend, notice = parsed.entries  # newest first: the report was published a day later
    assert notice.id == BASE + "index.html#announcement-6"  # after the 5 private ones
    assert trend.id == BASE + "index.html#trend-report-2026-03"
    assert notice.title == "PUBLIC-お知らせ / PUBLIC-notice"
    assert notice.published_parsed[:5] == (2026, 4, 1, 1, 0)
    assert notice.updated_parsed[:5] == (2026, 4, 1, 1, 0)
    assert parsed.feed.updated_parsed[:3] == (2026, 4, 2)
    content = notice.content[0]
    assert content.type == "text/html"
    assert '<a href="https://example.org/a?b=1&amp;c=2"' in content.value
    assert 'lang="ja"' in content.value and 'lang="en"' in content.value
    assert "Trend report" not in trend.content[0].value  # no kind label in the content
    assert "International development" in trend.content[0].value
    assert "プログラムの実績" not in trend.content[0].value  # the figures section is left out

    again, _ = export(session_factory)
    assert again == feed  # the same database gives the same feed (no clock in it)

    # the HTML index: both entries with their anchors and a link to the feed
    tags = tags_of(index)
    ids = [attrs["id"] for tag, attrs in tags if tag == "article"]
    assert ids == ["trend-report-2026-03", "announcement-6"]
    assert ("link", {"rel": "alternate", "type": "application/atom+xml", "title": "Kiban 公開情報", "href": "feed.xml"}) in tags  # fmt: skip
    assert "2026-04-01 10:00 JST" in index


def test_an_empty_feed_is_valid(session_factory):
    feed, index = export(session_factory)
    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0 and parsed.entries == []
    assert parsed.feed.updated_parsed[:4] == (2026, 4, 20, 3)  # `now`
    assert "まだ公開されたものはありません" in index


def test_injection_is_escaped(session_factory):
    typed = (
        "<javascript:alert(1)|click me> <https://ok.example/x|https://evil.example> "
        '<https://ok.example/"onmouseover="alert(1)|quote>'
    )
    with session_factory.begin() as session:
        session.add(
            announcement(
                title={"ja": '"><img src=x onerror=alert(1)>', "en": "<script>alert(1)</script>"},
                body={"ja": from_typed(typed), "en": from_typed("<b>bold</b> &amp; more")},
            )
        )
        session.add(
            TrendReport(
                month="2026-03",
                status="published",
                drafted_at=AT,
                published_at=AT,
                sections={
                    "international": {
                        "ja": "<javascript:alert(2)|evil> <@U0ALICE> <!date^1^{date}|4月1日>",
                        "en": '<https://x.example/a"b|x> <mailto:a@b.example|mail> </script>',
                    }
                },
            )
        )
    feed, index = export(session_factory)
    assert "<script>" not in index and "<img" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index  # shown as typed, inert
    assert "&lt;img src=x onerror=alert(1)&gt;" in index
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;amp; more" in index
    assert "U0ALICE" not in index and "4月1日" in index
    for tag, attrs in tags_of(index):
        assert tag in PAGE_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        if "href" in attrs:
            assert attrs["href"].startswith(("https://", "#", "feed.xml")), attrs
    hrefs = [a["href"] for tag, a in tags_of(index) if tag == "a" and a["href"].startswith("http")]
    assert "https://ok.example/x" in hrefs
    assert all("javascript" not in h and '"' not in h and "evil" not in h for h in hrefs)
    assert ">https://ok.example/x</a>" in index  # a disguised label shows the real address

    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0
    for entry in parsed.entries:
        raw = entry.content[0].value
        for tag, attrs in tags_of(raw):
            assert tag in SAFE_TAGS, tag
            assert set(attrs) <= {"href", "rel", "lang"}, attrs
    titles = [e.title for e in parsed.entries]
    assert any("<script>alert(1)</script>" in title for title in titles)  # text, not markup


def test_mrkdwn_html():
    assert mrkdwn_html("a &lt;b&gt; &amp; c\nd") == "a &lt;b&gt; &amp; c<br>\nd"
    assert mrkdwn_html("<https://a.example/?x=1&amp;y=2|A &amp; B>") == (
        '<a href="https://a.example/?x=1&amp;y=2" rel="nofollow noopener">A &amp; B</a>'
    )
    assert mrkdwn_html("<ftp://a.example|f> <JAVASCRIPT:x|j> <#C123|chan>") == "f j chan"


def test_base_url_must_be_web(session_factory):
    with pytest.raises(UserError) as error, session_factory() as session:
        export_public(session, settings=SETTINGS, base_url="javascript:alert(1)", now=NOW)
    assert "PUBLIC_BASE_URL" in error.value.en and error.value.ja
    feed, _ = export(session_factory, base_url="https://kiban.example/no-slash")
    assert feedparser.parse(feed).feed.id == "https://kiban.example/no-slash/"


def test_mrkdwn_bold_becomes_strong_and_stays_escaped():
    from bot.render.public_feed import mrkdwn_html

    html = str(mrkdwn_html("*今月のベストプラクティス*\n*&lt;img src=x onerror=alert(1)&gt;* a*b"))
    assert html.startswith("<strong>今月のベストプラクティス</strong><br>")
    assert "<strong>&lt;img src=x onerror=alert(1)&gt;</strong>" in html and "a*b" in html


def test_links_into_the_slack_workspace_never_reach_the_public_feed():
    """A permalink to a (private) channel's message, kept as a practice's source, is shown as
    its label only: it names a channel and a message and opens only for members."""
    from bot.render.public_feed import mrkdwn_html

    html = str(
        mrkdwn_html(
            "• <https://kiban.slack.com/archives/C0ORGB/p1714450000000100|出典> "
            "<https://files.slack.com/files-pri/T1-F1/x.png|図> <https://example.org/a|公開>"
        )
    )
    assert "slack.com" not in html and "出典" in html and "図" in html
    assert '<a href="https://example.org/a"' in html
