"""Compute services on a real database (SQLite, and PostgreSQL when configured): setup import,
revisions under concurrency, sacct imports, alert bands, reminders and the digest."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.errors import UserError
from bot.services import compute, digests
from bot.services.admin import import_setup
from bot.services.compute_imports import choose_allocation, import_sacct
from bot.settings import Settings
from storage import compute as store
from storage import members as member_store
from storage.alerts import AlertRecord
from storage.compute import ReportSource, UsageReport
from storage.members import Organization
from tests.conftest import SETUP_YAML

SACCT = (
    Path(__file__).parents[1] / "fixtures" / "slurm" / "habrok_gpu_parsable2_with_header.txt"
).read_text()
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
SETTINGS = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")


@pytest.fixture
def loaded(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    return session_factory


def _count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_setup_import_is_idempotent(session_factory):
    with session_factory.begin() as session:
        first = import_setup(session=session, text=SETUP_YAML)
    with session_factory.begin() as session:
        second = import_setup(session=session, text=SETUP_YAML)
    assert first["organization created"] == 4 and first["plan created"] == 13
    assert set(second) == {
        "organization unchanged",
        "member unchanged",
        "allocation unchanged",
        "plan unchanged",
    }


def test_a_bad_setup_file_names_lines_and_stores_nothing(session_factory):
    bad = SETUP_YAML.replace("granted_gpu_hours: 9600", "granted_gpu_hours: lots").replace(
        "{user: U0KENJI, role: member}", "{user: U0KENJI, role: boss}"
    )
    with pytest.raises(UserError) as error:
        with session_factory.begin() as session:
            import_setup(session=session, text=bad)
    lines = SETUP_YAML.splitlines()
    granted_line = next(n for n, line in enumerate(lines, 1) if "granted_gpu_hours: 9600" in line)
    assert f"line {granted_line}:" in error.value.en and "role" in error.value.en
    assert "何も取り込みませんでした" in error.value.ja
    with session_factory() as session:
        assert _count(session, Organization) == 0


def _orga(session):
    org = member_store.get_org_by_code(session, "ORGA")
    return org, store.allocations_for_org(session, org.id)[0]


def _store(factory, hours, ref=None):
    with factory.begin() as session:
        org, allocation = _orga(session)
        return compute.store_report(
            session=session,
            org=org,
            allocation=allocation,
            month="2026-03",
            gpu_hours=hours,
            texts=(None, None, None),
            reporter="U0ALICE",
            source=ReportSource.MODAL,
            source_ref=ref,
            now=NOW,
        ).status


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_submissions_never_make_two_current_rows(loaded, round_):
    results, errors = [], []
    hours = (900, 900, 950, 900, 975, 900, 950, 1000)
    barrier = threading.Barrier(len(hours))

    def submit(value):
        barrier.wait()
        try:
            results.append(_store(loaded, value, ref="view:V1"))
        except Exception as error:  # noqa: BLE001 (a failed submission is what we test for)
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(h,)) for h in hours]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []  # every submission was stored or recognised, none gave up
    assert len(results) == len(hours)
    with loaded() as session:
        rows = session.exec(select(UsageReport)).all()
    assert len([r for r in rows if r.is_current]) == 1
    assert sorted(r.revision for r in rows) == list(range(1, len(rows) + 1))
    assert results.count("created") == 1


def test_duplicate_vs_unchanged(loaded):
    assert _store(loaded, 900, ref="view:V1") == "created"
    assert _store(loaded, 900, ref="view:V1") == "duplicate"
    assert _store(loaded, 900, ref="view:V2") == "unchanged"
    assert _store(loaded, 901, ref="view:V3") == "revised"


def _import_orgc(factory, org_code="ORGC", notify=True):
    with factory.begin() as session:
        return import_sacct(
            session=session,
            org_code=org_code,
            provider=None,
            text=SACCT,
            reporter="cli",
            settings=SETTINGS,
            now=NOW,
            notify=notify,
        )


def test_sacct_import_twice_adds_nothing(loaded):
    def run():
        return _import_orgc(loaded, org_code="orgc")

    first = run()
    assert first.gpu_jobs == 7 and [s.line for s in first.skipped] == [223, 226]
    assert first.month_status["2024-04"][0] == "created"
    # A100 jobs only (the allocation's GPU type): 503,678 GPU-seconds
    assert round(first.month_status["2024-04"][1] * 3600) == 503_678
    assert sorted(first.other_gpu_type["v100"]) == [10, 13, 229]
    assert [n.kind for n in first.notices] == ["import_summary", "alert", "alert_copy"]
    second = run()
    assert second.month_status["2024-04"][0] == "duplicate" and second.notices == []
    with loaded() as session:
        assert _count(session, UsageReport) == 1


def test_sacct_import_refuses_an_ambiguous_allocation(loaded):
    with pytest.raises(UserError, match="several allocations"):
        with loaded.begin() as session:
            import_sacct(
                session=session,
                org_code="ORGB",
                provider=None,
                text=SACCT,
                reporter="cli",
                settings=SETTINGS,
                now=NOW,
            )


def test_alert_bands_and_threshold(loaded):
    def alerts_after(hours):
        _store(loaded, hours)
        with loaded.begin() as session:
            org, allocation = _orga(session)
            return compute.alerts.check_overuse(
                session=session,
                org=org,
                allocation=allocation,
                month="2026-03",
                settings=SETTINGS,
                now=NOW,
            )

    assert alerts_after(1100) == []  # exactly 10 %: not more than the threshold
    assert [n.kind for n in alerts_after(1101)] == ["alert", "alert_copy"]
    assert alerts_after(1190) == []  # same band (10–20 %)
    assert len(alerts_after(1200)) == 2  # 20 %: next band
    assert alerts_after(1150) == []  # corrected down: no new alert
    assert alerts_after(1250) == []  # back up within a band already alerted
    with loaded() as session:
        assert _count(session, AlertRecord) == 2


def test_reminders_go_to_leads_of_orgs_missing_last_month(loaded):
    _store(loaded, 900)
    with loaded() as session:
        notices = digests.monthly_reminders(session=session, settings=SETTINGS, now=NOW)
    by_lead = {n.channel: n.render("en").text for n in notices}
    assert sorted(by_lead) == ["U0HANA", "U0YUKI"]  # one DM per lead, listing every allocation
    assert (
        "AWS (H100), ABCI (A100)" in by_lead["U0YUKI"]
        or "ABCI (A100), AWS (H100)" in by_lead["U0YUKI"]
    )
    assert "2026-03" in by_lead["U0HANA"]


def test_digest_has_figures_and_never_notes(loaded):
    with loaded.begin() as session:
        org, allocation = _orga(session)
        compute.store_report(
            session=session,
            org=org,
            allocation=allocation,
            month="2026-04",
            gpu_hours=300,
            texts=("secret progress", None, None),
            reporter="U0ALICE",
            source=ReportSource.MODAL,
            source_ref=None,
            now=NOW,
        )
    with loaded() as session:
        [notice] = digests.weekly_digest(session=session, settings=SETTINGS, now=NOW)
    message = notice.render("en")
    assert notice.channel == "C0DIGEST"
    assert "*Alpha AI*: 300 / 1,200 GPU-hours (25%)" in str(message.blocks)
    assert "secret" not in str(message.blocks) + message.text


def test_import_without_slack_records_no_alert_so_a_later_one_raises_it(loaded):
    def run(notify):
        return _import_orgc(loaded, notify=notify)

    assert run(notify=False).notices == []
    with loaded() as session:
        assert _count(session, AlertRecord) == 0
    assert [n.kind for n in run(notify=True).notices] == ["alert", "alert_copy"]


def test_usage_against_a_zero_plan_alerts_once(loaded):
    with loaded.begin() as session:
        org, allocation = _orga(session)
        store.upsert_plan(session, allocation_id=allocation.id, month="2026-03", planned=0)
    _store(loaded, 5)
    with loaded.begin() as session:
        org, allocation = _orga(session)
        notices = compute.alerts.check_overuse(
            session=session,
            org=org,
            allocation=allocation,
            month="2026-03",
            settings=SETTINGS,
            now=NOW,
        )
        again = compute.alerts.check_overuse(
            session=session,
            org=org,
            allocation=allocation,
            month="2026-03",
            settings=SETTINGS,
            now=NOW,
        )
    assert [n.kind for n in notices] == ["alert", "alert_copy"] and again == []
    assert "no GPU-hours were planned" in notices[0].render("en").text


def test_import_picks_an_allocation_by_provider_and_gpu_type(loaded):
    with loaded.begin() as session:
        orgb = member_store.get_org_by_code(session, "ORGB")
        session.add(
            store.ComputeAllocation(
                organization_id=orgb.id,
                provider="ABCI",
                gpu_type="H200",
                granted_gpu_hours=100,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
            )
        )
    with loaded() as session:
        orgb = member_store.get_org_by_code(session, "ORGB")
        assert choose_allocation(session, orgb, "aws").gpu_type == "H100"
        assert choose_allocation(session, orgb, "ABCI (h200)").gpu_type == "H200"
        assert choose_allocation(session, orgb, "abci", "a100").gpu_type == "A100"
        with pytest.raises(UserError, match="--gpu-type"):
            choose_allocation(session, orgb, "ABCI")


def test_setup_matches_gpu_types_case_insensitively(loaded):
    with loaded.begin() as session:
        counts = import_setup(
            session=session, text=SETUP_YAML.replace("gpu_type: H100", "gpu_type: h100")
        )
    assert "allocation created" not in counts


def test_plans_beyond_the_grant_are_refused(session_factory):
    bad = SETUP_YAML.replace("granted_gpu_hours: 13000", "granted_gpu_hours: 1300")
    with pytest.raises(UserError, match="add up to 4,200 GPU-hours, more than the 1,300"):
        with session_factory.begin() as session:
            import_setup(session=session, text=bad)


def test_concurrent_setup_imports_and_sacct_imports_take_turns(session_factory):
    errors = []

    def run(fn):
        try:
            fn()
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    def setup():
        with session_factory.begin() as session:
            import_setup(session=session, text=SETUP_YAML)

    threads = [threading.Thread(target=run, args=(setup,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threads = [
        threading.Thread(target=run, args=(lambda: _import_orgc(session_factory),))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_factory() as session:
        assert _count(session, Organization) == 4 and _count(session, UsageReport) == 1


def test_a_requeued_job_counts_every_run_once(loaded):
    header = "JobID|State|Start|End|ElapsedRaw|AllocTRES\n"
    runs = (
        "700|REQUEUED|2024-04-02T00:00:00|2024-04-02T01:00:00|3600|gres/gpu=2\n"
        "700|COMPLETED|2024-04-03T00:00:00|2024-04-03T03:00:00|10800|gres/gpu=2\n"
    )
    for _ in range(2):  # and importing the same file again adds nothing
        with loaded.begin() as session:
            result = import_sacct(
                session=session,
                org_code="ORGC",
                provider=None,
                text=header + runs,
                reporter="cli",
                settings=SETTINGS,
                now=NOW,
                notify=False,
            )
    assert result.month_status["2024-04"] == ("duplicate", 8.0)  # 2 GPU-h + 6 GPU-h


@pytest.mark.parametrize(
    ("yaml_text", "words"),
    [
        (  # two companies in one channel: one's notes would reach the other's people
            "organizations:\n"
            "  - {code: XC, name: X Corp, channel: C0SHARED}\n"
            "  - {code: YC, name: Y Corp, channel: C0SHARED}\n",
            "same channel",
        ),
        (
            "organizations:\n"
            "  - {code: S1, name: One, kind: secretariat}\n"
            "  - {code: S2, name: Two, kind: secretariat}\n",
            "Only one organization can be the secretariat",
        ),
        (  # a channel already used by an organization stored before
            "organizations:\n  - {code: NEWCO, name: New Co, channel: C0ORGA}\n",
            "already belongs to ORGA",
        ),
        (
            "organizations:\n  - {code: SEC2, name: Second, kind: secretariat}\n",
            "already the secretariat",
        ),
    ],
)
def test_setup_refuses_shared_channels_and_a_second_secretariat(loaded, yaml_text, words):
    from bot.errors import UserError

    with loaded.begin() as session:
        before = len(member_store.list_orgs(session))
        with pytest.raises(UserError, match=words):
            import_setup(session=session, text=yaml_text)
    with loaded.begin() as session:
        assert len(member_store.list_orgs(session)) == before


def test_lowering_a_grant_below_the_plans_on_record_is_refused(loaded):
    """Re-importing ORGA with a grant of 100 left 4,200 GPU-hours planned against it."""
    from bot.errors import UserError

    lowered = SETUP_YAML.replace("granted_gpu_hours: 13000", "granted_gpu_hours: 100")
    assert lowered != SETUP_YAML
    with pytest.raises(UserError, match="more than the 100 granted"), loaded.begin() as session:
        import_setup(
            session=session,
            text=lowered.replace(
                "plans: {2026-01: 1000, 2026-02: 1000, 2026-03: 1000, 2026-04: 1200}", "plans: {}"
            ),
        )
    with loaded.begin() as session:
        org, allocation = _orga(session)
        assert allocation.granted_gpu_hours == 13000


def test_setup_file_refuses_yaml_aliases_with_their_line(session_factory):
    """The setup file shares the holders file's loader: an anchor or alias (and with them the
    "billion laughs", nested aliases expanding exponentially) is refused at once, by line."""
    reused = SETUP_YAML.replace(
        "      - {user: U0ALICE, role: org_lead}", "      - &lead {user: U0ALICE, role: org_lead}"
    )
    reused += "  - {code: ORGD, name: Delta, members: [*lead]}\n"
    line = next(n for n, text in enumerate(reused.splitlines(), 1) if "&lead" in text)
    laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
    )
    for text, at in ((reused, line), (laughs + SETUP_YAML, 1)):
        started = time.monotonic()
        with pytest.raises(UserError) as raised, session_factory.begin() as session:
            import_setup(session=session, text=text)
        assert time.monotonic() - started < 2
        assert raised.value.en.startswith(f"line {at}: YAML anchors and aliases (&name, *name)")
        assert raised.value.ja.startswith(f"{at}行目: YAML のアンカーとエイリアス")
    with session_factory() as session:
        assert _count(session, Organization) == 0
