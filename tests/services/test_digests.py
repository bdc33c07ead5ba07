"""The weekly digests as people read them: the shared digest with figures or, with
DIGEST_VISIBILITY=status, only who reported (no GPU-hours of anyone, never notes); the operator
digest with full figures, normalised GPU-hours where configured, and one PNG chart per
organization, reaching only the operator channel even when one chart cannot be drawn."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest

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

        [operator] = added["#secretariat"]
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
