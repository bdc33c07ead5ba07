"""The weekly digests as people read them: the shared digest with figures or, with
DIGEST_VISIBILITY=status, only who reported (no GPU-hours of anyone, never notes); the operator
digest with full figures, normalised GPU-hours where configured, and one PNG chart per
organization, reaching only the operator channel even when one chart cannot be drawn."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import select

from bot.blocks.common import Message
from bot.render import charts
from bot.scenario.harness import Harness
from bot.services import compute, digests
from bot.services.admin import import_setup
from bot.settings import Settings
from jobs.compute import run_weekly_digest
from storage import compute as store
from storage import members as member_store
from storage.compute import ReportSource
from tests.conftest import APRIL_FIRST, SETTINGS, SETUP_YAML, WORKSPACE

NOW = datetime(2026, 4, 6, 0, 0, tzinfo=UTC)  # Monday 2026-04-06 09:00 JST: the digest's slot
FACTORS = {"h100": 1.0, "A100": 0.5}  # the setup says "H100": matched case-insensitively
# organizations of the setup with an allocation (the secretariat has none)
WITH_ALLOCATIONS = {"ORGA": "Alpha AI", "ORGB": "みらい言語研究所", "ORGC": "北星データ"}


def _settings(**overrides) -> Settings:
    return Settings(
        _env_file=None, **{"operator_channel": "C0OPS", "digest_channel": "C0DIGEST", **overrides}
    )


def _report(factory, code, month, hours, progress=None, allocation_index=0):
    with factory.begin() as session:
        org = member_store.get_org_by_code(session, code)
        allocation = store.allocations_for_org(session, org.id)[allocation_index]
        compute.store_report(
            session=session,
            org=org,
            allocation=allocation,
            month=month,
            gpu_hours=hours,
            texts=(progress, None, None),
            reporter="U0ALICE",
            source=ReportSource.MODAL,
            source_ref=None,
            now=APRIL_FIRST,
        )


@pytest.fixture
def loaded(session_factory):
    """The standard setup; Alpha AI reported March (1,350.5, with a note) and some of April."""
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    _report(session_factory, "ORGA", "2026-03", 1350.5, progress="hush-hush progress")
    _report(session_factory, "ORGA", "2026-04", 300, progress="hush-hush April plans")
    return session_factory


def _seen(message: Message) -> str:
    """Everything a reader can see of a message: its text and its blocks' texts."""
    return message.text + "\n" + json.dumps(message.blocks, ensure_ascii=False)


def _shared(factory, lang, **settings) -> str:
    with factory() as session:
        [notice] = digests.weekly_digest(session=session, settings=_settings(**settings), now=NOW)
    assert notice.channel == "C0DIGEST" and not notice.files
    return _seen(notice.render(lang))


def _operator(factory, lang, **settings) -> tuple[str, list[tuple[str, bytes]], str]:
    with factory() as session:
        data = digests.operator_digest_input(
            session=session, settings=_settings(**settings), now=NOW
        )
    [notice] = digests.operator_digest(data)
    return notice.render(lang).text, notice.files, notice.channel


# --- the shared digest -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_status_visibility_says_who_reported_and_no_figure_of_anyone(loaded, lang):
    seen = _shared(loaded, lang, digest_visibility="status")
    if lang == "en":
        assert "*Alpha AI*: reported" in seen
        assert "*みらい言語研究所*: not reported (" in seen and "*北星データ*: not reported" in seen
        assert "Usage reports for 2026-03, as of 2026-04-06." in seen
    else:
        assert "*Alpha AI*: 報告済み" in seen and "*北星データ*: 未報告（Habrok (A100)）" in seen
    assert "Secretariat" not in seen  # no allocation, nothing to report
    # take away the month, the date and the allocation names (GPU models have digits):
    # not one digit is left, so no GPU-hours, percentage or total of any organization
    rest = seen
    for allowed in ("2026-03", "2026-04-06", "H100", "A100"):
        rest = rest.replace(allowed, "")
    assert re.findall(r"\d", rest) == []
    assert "hush-hush" not in seen


def test_figures_visibility_shows_this_months_figures_per_organization(loaded):
    seen = _shared(loaded, "en")  # the default
    assert "*Alpha AI*: 300 / 1,200 GPU-hours (25%)" in seen
    assert re.search(r"\d", seen.replace("2026-03", "").replace("2026-04", ""))


@pytest.mark.parametrize("visibility", ["figures", "status"])
def test_the_shared_digest_never_carries_notes(loaded, visibility):
    for lang in ("en", "ja"):
        assert "hush-hush" not in _shared(loaded, lang, digest_visibility=visibility)


def test_no_digest_channel_no_shared_digest(loaded):
    with loaded() as session:
        settings = _settings(digest_channel="", digest_visibility="status")
        assert digests.weekly_digest(session=session, settings=settings, now=NOW) == []


# --- the operator digest -----------------------------------------------------------------------


def test_operator_digest_has_every_figure_and_one_png_per_organization(loaded):
    text, files, channel = _operator(loaded, "en")
    assert channel == "C0OPS"
    assert [name for name, _ in files] == [
        f"kiban-digest-{code}-2026-03.png" for code in WITH_ALLOCATIONS
    ]
    assert all(png.startswith(b"\x89PNG") for _, png in files)
    assert (
        "• *ABCI (H100)*: plan to date 3,000 · actual 1,350.5 · variance -1,649.5 (-55.0%)"
        " · forecast at period end 13,505 · Will run out on 2026-12-20" in text
    )
    assert "*みらい言語研究所* (ORGB)" in text and "• *ABCI (A100)*: plan to date 200" in text
    assert "No data yet" in text
    assert "normalised" not in text.lower()  # no factors configured: raw figures only
    assert "hush-hush" not in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_operator_digest_shows_normalised_gpu_hours_where_a_factor_is_set(loaded, lang):
    text, _, _ = _operator(loaded, lang, gpu_normalisation=FACTORS)
    if lang == "en":
        # ORGB's A100 plan to date (200, March) counts half; the H100 allocations one to one
        assert "normalised GPU-hours (× 0.5): plan to date 100 · actual 0" in text
        assert "normalised GPU-hours (× 1): plan to date 3,000 · actual 1,350.5" in text
    else:
        assert "正規化GPU時間（係数 0.5）: 計画累計 100" in text
    raw, _, _ = _operator(loaded, lang)
    assert "× 0.5" not in raw and "係数" not in raw and "正規化" not in raw


def test_operator_digest_only_where_the_factor_exists(loaded):
    text, _, _ = _operator(loaded, "en", gpu_normalisation={"A100": 0.5})
    alpha = text.split("*みらい言語研究所*")[0]
    assert "*ABCI (H100)*" in alpha and "normalised" not in alpha  # H100: no factor
    assert text.count("normalised GPU-hours (× 0.5)") == 2  # ORGB's and ORGC's A100


def test_a_chart_that_fails_leaves_the_others_and_is_named(loaded, monkeypatch, caplog):
    drawn = charts.burn_up_png

    def burn_up(series, lang):
        if series.org_code == "ORGC":
            raise RuntimeError("font exploded")
        return drawn(series, lang)

    monkeypatch.setattr(charts, "burn_up_png", burn_up)
    text, files, _ = _operator(loaded, "en")
    assert [name for name, _ in files] == [
        "kiban-digest-ORGA-2026-03.png",
        "kiban-digest-ORGB-2026-03.png",
    ]
    assert "The chart could not be drawn for: 北星データ (ORGC)." in text
    assert "*北星データ* (ORGC)\n• *Habrok (A100)*: plan to date 420" in text  # figures stay
    assert "font exploded" in caplog.text


def test_no_operator_channel_no_operator_digest(loaded):
    with loaded() as session:
        data = digests.operator_digest_input(
            session=session, settings=_settings(operator_channel=""), now=NOW
        )
    assert data is None and digests.operator_digest(data) == []


# --- the weekly job, in the sandbox ------------------------------------------------------------


@contextmanager
def _harness(tmp_path, **settings):
    journal = tmp_path / "journal.jsonl"
    with Harness(
        workspace=WORKSPACE,
        settings={**SETTINGS, **settings},
        start=APRIL_FIRST,
        journal_path=journal,
    ) as h:
        h.admin_import(SETUP_YAML)
        h.journal = lambda: [json.loads(line) for line in journal.read_text().splitlines()]
        yield h
        assert h.sandbox.failures == []


def _downloads(entry) -> dict[str, bytes]:
    return {
        f["name"]: httpx.get(
            f["url_private_download"], headers={"Authorization": "Bearer xoxb-sandbox"}
        ).content
        for f in entry.raw["files"]
    }


def _new_entries(h, run) -> dict[str, list]:
    """What `run()` added, per conversation."""
    before = {name: len(h.sandbox.conversation(name)) for name in h.sandbox.conversations()}
    run()
    return {
        name: h.sandbox.conversation(name)[before.get(name, 0) :]
        for name in h.sandbox.conversations()
        if len(h.sandbox.conversation(name)) > before.get(name, 0)
    }


def test_the_weekly_job_posts_both_digests_each_to_its_own_channel(tmp_path):
    with _harness(tmp_path, digest_visibility="status", gpu_normalisation=FACTORS) as h:
        h.driver.command("U0ALICE", "/compute report")
        h.driver.fill("U0ALICE", {"GPU-hours used": "1,350.5", "Progress": "hush-hush progress"})
        added = _new_entries(h, lambda: run_weekly_digest(deps=h.deps, now=NOW))
        assert sorted(added) == ["#community-digest", "#secretariat"]  # no DM, no org channel

        [shared] = added["#community-digest"]
        seen = h.sandbox.render_entry(shared)
        assert shared.kind == "message" and "*Alpha AI*: 報告済み" in seen
        assert "1,350" not in seen and "正規化" not in seen and "hush-hush" not in seen

        # the compute figures with their charts, then the activity: Alice's report ran 35 %
        # over plan, and nobody has acknowledged the alert yet (the second post is new)
        operator, activity = added["#secretariat"]
        assert activity.kind == "message" and not activity.raw.get("thread_ts")
        seen = h.sandbox.render_entry(activity)
        assert "週次ダイジェスト（事務局向け）: 活動状況（2026-04-06）" in seen
        assert "• *Alpha AI*: 計画超過（レベル 1" in seen and "hush-hush" not in seen
        files = _downloads(operator)
        assert sorted(files) == sorted(
            f"kiban-digest-{code}-2026-03.png" for code in WITH_ALLOCATIONS
        )
        assert all(png.startswith(b"\x89PNG") for png in files.values())
        seen = h.sandbox.render_entry(operator)
        assert "週次 計算資源ダイジェスト（事務局向け）" in seen  # the default language
        assert "実績累計 1,350.5" in seen and "正規化GPU時間（係数 0.5）" in seen
        assert "hush-hush" not in seen

        # the upload went to the operator channel only (files.completeUploadExternal)
        uploads = [
            r
            for r in h.journal()
            if r.get("method") == "files.completeUploadExternal" and r["direction"] == "bot->slack"
        ]
        assert [r["request"].get("channel_id") for r in uploads] == ["C0OPS"]
        # a second run in the same week posts nothing
        assert _new_entries(h, lambda: run_weekly_digest(deps=h.deps, now=NOW)) == {}


def test_the_weekly_job_still_posts_when_a_chart_fails(tmp_path, monkeypatch):
    def broken(series_list, lang):
        raise ValueError("cannot draw")

    monkeypatch.setattr(charts, "digest_png", broken)  # ORGB has two allocations: small multiples
    with _harness(tmp_path) as h:
        assert run_weekly_digest(deps=h.deps, now=NOW) == 2
        [operator] = [e for e in h.sandbox.conversation("#secretariat") if e.kind == "file"]
        assert sorted(_downloads(operator)) == [
            "kiban-digest-ORGA-2026-03.png",
            "kiban-digest-ORGC-2026-03.png",
        ]
        seen = h.sandbox.render_entry(operator)
        assert "次の組織のチャートを作成できませんでした: みらい言語研究所 (ORGB)" in seen
        assert "*みらい言語研究所*（ORGB）" in seen  # its figures are still there


# --- every domain: what each audience sees ------------------------------------------------------

SECRET = ("U0YUKI", "U0GAKU", "Secret Holder", "holder@secret.example", "rare clinical text")


def add_activity(session, now: datetime) -> None:
    """A week with something in every domain, around `now` (aware):

    * evaluation results: alpha-7b published two days ago (and an older one, out of the week),
      a submission of みらい言語研究所 waiting for review;
    * introductions: a request made yesterday, an introduction accepted two days ago that met
      yesterday (requested by U0YUKI, holder "Secret Holder" with contact U0GAKU);
    * events: a study session open to all in three days, a meeting for ORGB only in five days,
      a cancelled one and one in three weeks (not listed); a hackathon three days ago (2 went,
      1 checked in, ratings 4 and 5) and a closed one for ORGB;
    * trends: an item added yesterday (title with mrkdwn that must stay inert), an older one;
    * reviews: a round being scored (1 of 2 scorecards) and a released one;
    * an open change request of Alpha AI (+2,000 GPU-hours), a decided one;
    * alerts: an over-plan alert of Alpha AI two days ago, not acknowledged; an acknowledged
      one and one from 40 days ago (not listed).
    """
    from storage.alerts import record_alert
    from storage.change_requests import ChangeRequest
    from storage.data_holders import DataHolder
    from storage.data_requests import DataRequest, Introduction
    from storage.evals import EvalStatus
    from storage.events import EventSurvey
    from storage.reviews import (
        ReviewAssignment,
        ReviewRound,
        ReviewSubject,
        RoundReviewer,
    )
    from storage.reviews import Scorecard as Card
    from storage.trends import TrendItem
    from tests.event_rows import add_event, add_rsvp
    from tests.services.test_eval_leaderboard import publish

    day = timedelta(days=1)
    orgs = {org.code: org for org in member_store.list_orgs(session)}
    # evaluation results
    publish(session, "ORGA", "alpha-7b", "v1", now - 20 * day, {"JMMLU": 0.55})
    publish(session, "ORGA", "alpha-7b", "v2", now - 2 * day, {"JMMLU": 0.61})
    publish(session, "ORGB", "mirai-3b", "r1", None, {"JMMLU": 0.4}, status=EvalStatus.SUBMITTED)
    # introductions
    holder = DataHolder(key="secret", name="Secret Holder", contact_email="holder@secret.example")
    session.add(holder)
    session.flush()
    for created, status in ((now - day, "submitted"), (now - 10 * day, "approved")):
        session.add(
            DataRequest(
                organization_id=orgs["ORGB"].id,
                requested_by="U0YUKI",
                data_needed="rare clinical text",
                purpose="medical QA",
                status=status,
                created_at=created,
                last_activity_at=created,
            )
        )
    session.flush()
    approved = session.exec(select(DataRequest).where(DataRequest.status == "approved")).one()
    session.add(
        Introduction(
            request_id=approved.id,
            holder_id=holder.id,
            contact_user="U0GAKU",
            approved_by="U0SATO",
            asked_at=now - 5 * day,
            answer="accepted",
            answered_at=now - 2 * day,
            stage="met",
            reached="met",
            stage_at=now - day,
        )
    )
    # events
    study = add_event(
        session, starts_at=now + 3 * day, title="勉強会 <!channel> & more", capacity=10
    )
    add_rsvp(session, study, "U0ALICE", answered_at=now - day)
    add_event(
        session,
        starts_at=now + 5 * day,
        title="ORGB closed meeting",
        invited_orgs=str(orgs["ORGB"].id),
    )
    add_event(session, starts_at=now + 2 * day, title="Cancelled talk", cancelled=True)
    add_event(session, starts_at=now + 21 * day, title="Far away summit")
    hackathon = add_event(session, starts_at=now - 3 * day, title="Hackathon")
    add_rsvp(session, hackathon, "U0ALICE", answered_at=now - 5 * day, checked_in_at=now - 3 * day)
    add_rsvp(session, hackathon, "U0KENJI", answered_at=now - 5 * day)
    add_rsvp(session, hackathon, "U0HANA", "cant", answered_at=now - 5 * day)
    for user, rating in (("U0ALICE", 4), ("U0KENJI", 5)):
        session.add(EventSurvey(event_id=hackathon, user_id=user, rating=rating, answered_at=now))
    add_event(
        session, starts_at=now - 2 * day, title="ORGB retro", invited_orgs=str(orgs["ORGB"].id)
    )
    # trends
    for added, title, theme in (
        (now - day, "Model <!here> *launch* & <https://evil.example|benchmarks>", "international"),
        (now - 10 * day, "Old news", "economic"),
    ):
        session.add(
            TrendItem(
                url=f"https://news.example/{added.day}",
                original_url=f"https://news.example/{added.day}?a=1&b=2",
                title=title,
                source="feed",
                added_at=added,
                month=added.strftime("%Y-%m"),
                theme=theme,
            )
        )
    # reviews
    scoring = ReviewRound(
        name="2026 採択審査",
        kind="selection",
        deadline=now + 5 * day,
        stage="scoring",
        chair="U0SATO",
        created_at=now - 10 * day,
    )
    released = ReviewRound(
        name="Old round",
        kind="selection",
        deadline=now - 30 * day,
        stage="released",
        chair="U0SATO",
        created_at=now - 60 * day,
    )
    session.add_all([scoring, released])
    session.flush()
    subject = ReviewSubject(round_id=scoring.id, organization_id=orgs["ORGA"].id, name="Alpha AI")
    session.add(subject)
    session.flush()
    for user in ("U0HANA", "U0KENJI"):
        session.add(RoundReviewer(round_id=scoring.id, user_id=user, declared_at=now - 3 * day))
        session.add(
            ReviewAssignment(
                round_id=scoring.id, subject_id=subject.id, user_id=user, assigned_at=now - 3 * day
            )
        )
    session.add(
        Card(
            round_id=scoring.id,
            subject_id=subject.id,
            user_id="U0HANA",
            scores={"technical merit": 4},
            recommendation="adopt",
            submitted_at=now - day,
            updated_at=now - day,
        )
    )
    # change requests
    allocation = store.allocations_for_org(session, orgs["ORGA"].id)[0]
    before = json.dumps({"granted": 13000, "end": "2026-12-31", "plans": {}})
    for status in ("open", "denied"):
        session.add(
            ChangeRequest(
                organization_id=orgs["ORGA"].id,
                allocation_id=allocation.id,
                kind="more_hours",
                extra_gpu_hours=2000,
                before_json=before,
                justification="The 70B run",
                requested_by="U0ALICE",
                requested_at=now - 4 * day,
                status=status,
            )
        )
    # alerts
    for key, sent, acknowledged in (
        ("a", now - 2 * day, False),
        ("b", now - 3 * day, True),
        ("c", now - 40 * day, False),
    ):
        record = record_alert(
            session,
            kind="overuse",
            key=f"ORGA:{key}",
            organization_id=orgs["ORGA"].id,
            allocation_id=allocation.id,
            now=sent,
        )
        if acknowledged:
            record.acknowledged_by, record.acknowledged_at = "U0ALICE", sent
    session.flush()


@pytest.fixture
def busy(loaded):
    with loaded.begin() as session:
        add_activity(session, NOW)
    return loaded


def _activity(factory, lang, **settings) -> str:
    """The operator channel's activity post, all its messages, as seen."""
    with factory() as session:
        data = digests.operator_digest_input(
            session=session, settings=_settings(**settings), now=NOW
        )
    upload, activity = digests.operator_digest(data)
    assert upload.files and activity.channel == "C0OPS" and not activity.files
    return "\n".join(_seen(m) for m in activity.parts(lang))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_shared_digest_has_a_section_for_every_domain(busy, lang):
    seen = _shared(busy, lang)
    if lang == "en":
        assert "Weekly digest (2026-04-06)" in seen
        assert "*Compute*" in seen and "*Alpha AI*: 300 / 1,200 GPU-hours (25%)" in seen
        # evaluations: this week's result with its delta, not the older one
        assert "alpha-7b @ v2 (2026-04-04): JMMLU 0.61 (+0.06 vs previous)" in seen
        assert "@ v1" not in seen and "mirai-3b" not in seen  # older / not published
        # introductions: counts only
        assert (
            "Requests received: 1 · introductions accepted by data holders: 1 · "
            "introductions that moved forward (met, NDA, trial, contract): 1" in seen
        )
        # events: the open one with its time token and counts; the ORGB one only counted
        assert "*Events in the next two weeks*" in seen
        assert "*勉強会 &lt;!channel&gt; &amp; more*" in seen and "Going 1 / 10" in seen
        assert "<!date^" in seen and "2026-04-09 11:00 JST" in seen
        assert "1 more event(s) for invited organizations only." in seen
        assert "• *Hackathon* (2026-04-03): 2 went · 1 checked in" in seen
        # trends: this week's item as an inert link, by theme
        assert "International development (1)" in seen
        assert (
            "<https://news.example/5?a=1&amp;b=2|Model &lt;!here&gt; *launch* &amp; "
            "&lt;https://evil.example|benchmarks&gt;>" in seen
        )
    else:
        assert "週次ダイジェスト（2026-04-06）" in seen and "*計算資源*" in seen
        assert "今週公表された評価結果" in seen and "前回比 +0.06" in seen
        assert "新しい依頼: 1 件 · データ保有者が承諾した紹介: 1 件" in seen
        assert (
            "*今後二週間のイベント*" in seen
            and "ほかに招待組織限定のイベントが 1 件あります。" in seen
        )
        assert "• *Hackathon*（2026-04-03）: 参加 2 人 · チェックイン 1 人" in seen
        assert "*今週収集したトレンド*" in seen and "国際的な開発動向（1）" in seen
    # never names of requesters or holders, nor the request, nor contacts; no operator matter
    for secret in SECRET:
        assert secret not in seen
    for hidden in ("ORGB closed meeting", "ORGB retro", "Cancelled talk", "Far away summit"):
        assert hidden not in seen
    for operators_only in ("2026 採択審査", "The 70B run", "#1", "Old news", "4.5", "hush-hush"):
        assert operators_only not in seen
    assert "<!channel>" not in seen and "<!here>" not in seen  # typed text stays inert


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_status_visibility_shows_how_many_results_and_no_figure_of_any_organization(busy, lang):
    seen = _shared(busy, lang, digest_visibility="status")
    assert ("1 result(s) published this week" if lang == "en" else "今週 1 件の評価結果") in seen
    for figure in ("alpha-7b", "0.61", "JMMLU", "1,200", "25%", "300"):
        assert figure not in seen
    assert ("*Alpha AI*: reported" if lang == "en" else "*Alpha AI*: 報告済み") in seen
    for secret in SECRET:
        assert secret not in seen


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_operator_digest_adds_alerts_requests_reviews_and_the_funnel(busy, lang):
    seen = _activity(busy, lang)
    if lang == "en":
        assert "Weekly digest for the secretariat: programme activity (2026-04-06)" in seen
        assert "*Alerts not acknowledged (last 30 days)*" in seen
        assert "• *Alpha AI* ABCI (H100): over plan, level 1, last sent 2026-04-04 (1 sent)" in seen
        assert (
            "• #1 *Alpha AI* ABCI (H100): More GPU-hours: " in seen
            and "(requested 2026-04-02)" in seen
        )
        assert "#2" not in seen  # decided
        assert (
            "• *2026 採択審査* (selection review): scoring · scorecards 1 of 2 · deadline" in seen
        )
        assert "Old round" not in seen
        assert "1 submission(s) waiting for review (oldest submitted 2026-03-31)" in seen
        assert "Data introduction pipeline" in seen and "Requests 2 → approved 1" in seen
        assert "Invited: みらい言語研究所" in seen and "ORGB closed meeting" in seen
        assert (
            "• *Hackathon* (2026-04-03): 2 went · 1 checked in · survey: 2 answer(s), mean rating 4.5"
            in seen
        )
        assert "ORGB retro" in seen
    else:
        assert "週次ダイジェスト（事務局向け）: 活動状況（2026-04-06）" in seen
        assert "計画超過（レベル 1、最終送信 2026-04-04、1 回送信）" in seen
        assert (
            "GPU時間の追加" in seen and "評価票 1 / 2 件" in seen and "審査待ちの提出 1 件" in seen
        )
        assert "データ紹介パイプライン" in seen and "招待組織: みらい言語研究所" in seen
        assert "アンケート 2 件、平均評価 4.5" in seen
    # operators see who and what, but still no contacts or notes
    assert "holder@secret.example" not in seen and "hush-hush" not in seen
    order = [
        seen.index(k) for k in ("*Alpha AI* ABCI", "#1 *Alpha AI*", "2026 採択審査", "alpha-7b")
    ]
    assert order == sorted(order)  # what needs the secretariat first


def test_sections_with_nothing_to_say_are_left_out(loaded):
    seen = _shared(loaded, "en")
    assert "*Compute*" in seen
    for absent in ("Evaluation results", "Data introductions", "Events", "Trends", "quiet week"):
        assert absent not in seen
    with loaded() as session:
        data = digests.operator_digest_input(session=session, settings=_settings(), now=NOW)
    [upload] = digests.operator_digest(data)  # no activity: the compute figures only
    assert upload.files


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_quiet_week_says_so_once(session_factory, lang):
    """No organization has an allocation and nothing happened: the shared digest still goes,
    saying it was a quiet week (rather than nothing); the operators get their figures."""
    seen = _shared(session_factory, lang)
    quiet = "A quiet week" if lang == "en" else "静かな一週間でした"
    assert seen.count(quiet) == 1
    assert "*Compute*" not in seen and "*計算資源*" not in seen
    with session_factory() as session:
        data = digests.operator_digest_input(session=session, settings=_settings(), now=NOW)
    [notice] = digests.operator_digest(data)  # no chart to attach: a plain post
    assert not notice.files
    assert "No organization has a compute allocation." in _seen(notice.render("en"))


def test_the_digest_only_looks_at_the_last_seven_days(busy):
    """A week later, last week's result, introductions, events and trends are gone."""
    with busy() as session:
        [notice] = digests.weekly_digest(
            session=session, settings=_settings(), now=NOW + timedelta(days=7)
        )
    seen = "\n".join(_seen(m) for m in notice.parts("en"))
    for gone in ("alpha-7b", "Requests received", "Hackathon", "news.example"):
        assert gone not in seen
    assert "勉強会" in seen  # 2026-04-09: now in the past week


def test_results_marked_for_dissemination_this_week_are_shared_and_nothing_else(loaded):
    """Only what an operator marked in the seven days, as marked: not the report's other
    fields, not a result merely reported, not one marked the week before."""
    from storage.members import OrgKind, upsert_org
    from storage.progress import Dissemination, ProgressReport

    with loaded.begin() as session:
        rows = []
        for code, results, marked in [
            ("SURVA", "調査報告書を公開", NOW - timedelta(days=2)),
            ("SURVB", "last week's result", NOW - timedelta(days=8)),
            ("SURVC", "reported, never marked", None),
        ]:
            org, _ = upsert_org(
                session, code=code, name=f"{code} project", kind=OrgKind.SURVEY_PROJECT.value
            )
            report = ProgressReport(
                organization_id=org.id,
                month="2026-03",
                plan="p",
                progress="p",
                issues="hush-hush issue",
                improvement_plan="i",
                results=results,
                reporter="U0X",
                submitted_at=NOW - timedelta(days=9),
            )
            session.add(report)
            session.flush()
            if marked:
                rows.append(
                    Dissemination(
                        report_id=report.id,
                        organization_id=org.id,
                        month="2026-03",
                        results=results,
                        marked_by="U0SATO",
                        marked_at=marked,
                    )
                )
        session.add_all(rows)
    seen = _shared(loaded, "ja")
    assert "今週共有された調査事業の成果" in seen
    assert "*SURVA project* (2026-03): 調査報告書を公開" in seen
    assert "last week's result" not in seen and "never marked" not in seen
    assert "hush-hush" not in seen
