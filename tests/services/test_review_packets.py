"""The review packet of one organization (issue #7) on a real database (SQLite, and PostgreSQL
when configured): the figures of every domain, the "no data" sentence of every section in both
languages, another organization's data never shown, text that cannot break the document, and
an unknown organization."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.blocks.instructions import InstructionInput
from bot.errors import UserError
from bot.i18n import t
from bot.services import alerts, compute, instructions
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.services.review_packets import build_packet
from bot.settings import Settings
from storage import alerts as alert_store
from storage import compute as compute_store
from storage import data_requests as data_store
from storage import instructions as instruction_store
from storage import members as member_store
from storage.compute import ReportSource
from storage.data_holders import DataHolder
from storage.data_requests import DataRequest, Introduction
from storage.evals import EvalStatus
from tests.conftest import SETUP_YAML
from tests.event_rows import add_event, add_rsvp
from tests.services.test_eval_leaderboard import publish

SETTINGS = Settings(_env_file=None, operator_channel="C0OPS")
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)  # 2026-05-10 12:00 JST: through 2026-04
PNG = b"\x89PNG"
SECTIONS = ("compute", "progress", "instructions", "evals", "data", "events")


def jst(*args) -> datetime:
    """A JST wall-clock time as aware UTC."""
    return datetime(*args, tzinfo=SETTINGS.tz).astimezone(UTC)


def _report(session, code, month, hours, texts=(None, None, None), *, index=0):
    org = member_store.get_org_by_code(session, code)
    allocation = compute_store.allocations_for_org(session, org.id)[index]
    compute.store_report(
        session=session,
        org=org,
        allocation=allocation,
        month=month,
        gpu_hours=hours,
        texts=texts,
        reporter="U0TEST",
        source=ReportSource.MODAL,
        source_ref=None,
        now=jst(2026, 5, 2, 10),
    )
    alerts.check_overuse(
        session=session,
        org=org,
        allocation=allocation,
        month=month,
        settings=SETTINGS,
        now=jst(2026, 5, 2, 10),
    )
    return org, allocation


def _instruction(session, code, title, body, *, acknowledged_by=None):
    org = member_store.get_org_by_code(session, code)
    operator = resolve_actor(session, "U0SATO", "en")
    instructions.issue(
        session=session,
        actor=operator,
        data=InstructionInput(org_id=org.id, title=title, body=body, due_date=date(2026, 4, 30)),
        settings=SETTINGS,
        now=jst(2026, 4, 20, 10),
        source_ref=f"view:{title}",
    )
    if acknowledged_by:
        row = next(i for i, _ in instruction_store.open_instructions(session, [org.id]))
        instruction_store.acknowledge(
            session, row.id, user_id=acknowledged_by, now=jst(2026, 4, 22, 9)
        )


def _data_request(session, code, data_needed, holder_name, *, stage="nda_signed"):
    org = member_store.get_org_by_code(session, code)
    holder = DataHolder(key=holder_name.lower(), name=holder_name)
    session.add(holder)
    session.flush()
    request = data_store.add_request(
        session,
        DataRequest(
            organization_id=org.id,
            requested_by="U0TEST",
            data_needed=data_needed,
            purpose="Continual pretraining",
            status="approved",
            created_at=jst(2026, 3, 3, 10),
            last_activity_at=jst(2026, 3, 4, 10),
            needed_by=date(2026, 9, 30),
        ),
    )
    data_store.add_introduction(
        session,
        Introduction(
            request_id=request.id,
            holder_id=holder.id,
            approved_by="U0SATO",
            asked_at=jst(2026, 3, 4, 10),
            answer="accepted",
            answered_at=jst(2026, 3, 5, 10),
            stage=stage,
            reached=stage,
            stage_at=jst(2026, 4, 1, 10),
        ),
    )


@pytest.fixture
def programme(session_factory):
    """The test programme with data for ORGA (Alpha AI) and ORGB (みらい言語研究所) in every
    domain, and ORGD (Delta Lab): an organization with no data at all.

    ORGA, ABCI (H100), plan 1,000 a month in January–March and 1,200 in April: reported 900,
    1,100, nothing for March, 1,500 for April (25 % over plan: an over-plan alert, acknowledged
    by Alice), April's notes written; an instruction acknowledged by Alice; JCommonsenseQA
    0.61 then 0.68 (a trend of +0.07); a request for medical text introduced to MedCorpus, now
    at "NDA signed"; Alice went to the April study session and checked in.
    """
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        member_store.upsert_org(session, code="ORGD", name="Delta Lab", kind="developer")
        _report(session, "ORGA", "2026-01", 900)
        _report(session, "ORGA", "2026-02", 1100)
        _, allocation = _report(
            session,
            "ORGA",
            "2026-04",
            1500,
            ("Pretraining 13B | stage 2\n# done", "Node failures on ABCI", "Checkpoint hourly"),
        )
        alert = next(r for r in alert_store.history(session, None) if r.kind == "overuse")
        alert.acknowledged_by, alert.acknowledged_at = "U0ALICE", jst(2026, 5, 3, 9)
        _instruction(
            session,
            "ORGA",
            "Submit the revised usage plan",
            "Please revise the plan for Q2.",
            acknowledged_by="U0ALICE",
        )
        publish(session, "ORGA", "alpha-13b", "v1", jst(2026, 2, 1, 10), {"JCommonsenseQA": 0.61})
        publish(session, "ORGA", "alpha-13b", "v2", jst(2026, 4, 1, 10), {"JCommonsenseQA": 0.68})
        _data_request(session, "ORGA", "Japanese medical text", "MedCorpus")
        study = add_event(session, title="Study session", starts_at=jst(2026, 4, 10, 14))
        add_rsvp(session, study, "U0ALICE", answered_at=jst(2026, 4, 1), checked_in_at=study_in())

        # ORGB: the other organization, never to appear in ORGA's packet
        _report(session, "ORGB", "2026-04", 4321.5, ("Bravo secret progress", "Bravo GPU leak", ""))
        _instruction(session, "ORGB", "Bravo confidential order", "Bravo body text")
        publish(
            session, "ORGB", "bravo-70b", "rc9", jst(2026, 3, 1, 10), {"JCommonsenseQA": 0.4242}
        )
        publish(
            session,
            "ORGB",
            "bravo-hidden",
            "x",
            None,
            {"JCommonsenseQA": 0.9999},
            status=EvalStatus.SUBMITTED,
        )
        _data_request(session, "ORGB", "Bravo legal corpus", "BravoHolder", stage="trial")
        bravo_event = add_event(session, title="Bravo-only meetup", starts_at=jst(2026, 3, 5, 18))
        add_rsvp(session, bravo_event, "U0YUKI", answered_at=jst(2026, 3, 1))
    return session_factory


def study_in() -> datetime:
    return jst(2026, 4, 10, 14, 5)


def packet_of(factory, code, lang="en", now=NOW):
    with factory() as session:
        org = member_store.get_org_by_code(session, code)
        return build_packet(session, SETTINGS, organization_id=org.id, lang=lang, now=now)


def section(markdown: str, number: int) -> str:
    """The text of section `number` (1–6), from its `## N.` heading to the next one."""
    start = markdown.index(f"\n## {number}. ")
    end = markdown.find(f"\n## {number + 1}. ", start)
    return markdown[start : end if end != -1 else len(markdown)]


def test_the_packet_holds_every_domain_with_its_figures(programme):
    packet = packet_of(programme, "ORGA")
    md = packet.markdown
    assert packet.filename == "packet-ORGA-2026-05-10.md"
    assert md.startswith("# Review packet: Alpha AI (ORGA)\n")
    assert "Period covered: 2026-01 to 2026-04" in md

    compute_md = section(md, 1)
    assert "### ABCI (H100)" in compute_md
    # month, planned, used, variance (GPU-hours)
    assert "| 2026-01 | 1,000 | 900 | -100 (-10.0%) |" in compute_md
    assert "| 2026-02 | 1,000 | 1,100 | +100 (+10.0%) |" in compute_md
    assert "| 2026-03 | 1,000 | — | — |" in compute_md
    assert "| 2026-04 | 1,200 | 1,500 | +300 (+25.0%) |" in compute_md
    assert "| **Total** | 4,200 | 3,500 | -700 (-16.7%) |" in compute_md
    assert "| Granted | 13,000 |" in compute_md
    assert "Not reported: 2026-03" in compute_md
    assert "| 2026-05 |" not in compute_md  # the month not ended yet: not shown
    assert packet.chart is not None
    name, png = packet.chart
    assert name == "usage-ORGA.png" and png.startswith(PNG)
    assert "usage-ORGA.png" in compute_md

    progress = section(md, 2)
    assert "### ABCI (H100), 2026-04" in progress
    # user text is escaped and quoted: the pipe and the hash cannot make a table or heading
    assert "> Pretraining 13B \\| stage 2\n> \\# done" in progress
    assert "> Node failures on ABCI" in progress and "> Checkpoint hourly" in progress
    assert "| over plan | 1 | U0ALICE on 2026-05-03 |" in progress

    orders = section(md, 3)
    assert "1 instruction(s) sent, 1 acknowledged." in orders
    assert "### Submit the revised usage plan" in orders
    assert "| Due | 2026-04-30 |" in orders
    assert "| Acknowledged | U0ALICE on 2026-04-22 |" in orders
    assert "> Please revise the plan for Q2." in orders

    evals = section(md, 4)
    assert "### JCommonsenseQA (higher is better)" in evals
    assert "2 result(s): first 0.61, latest 0.68, best 0.68." in evals
    assert "| 2026-02-01 | alpha-13b | v1 | 0.61 | new |" in evals
    assert "| 2026-04-01 | alpha-13b | v2 | 0.68 | +0.07 vs previous |" in evals

    data = section(md, 5)
    assert "1 request(s), 1 data holder(s) approached." in data
    assert "| Status | approved |" in data
    assert "> Japanese medical text" in data
    assert "| MedCorpus | accepted | NDA signed |" in data

    events = section(md, 6)
    assert "1 registered member(s)" in events
    # month, events, people, answered, went, checked in
    assert "| 2026-04 | 1 | 1 | 1 | 1 | 1 |" in events
    assert "| 2026-03 | 0 | 0 | 0 | 0 | 0 |" in events
    assert "| **Total** | 1 | — | 1 | 1 | 1 |" in events


def test_the_japanese_packet_uses_the_japanese_labels(programme):
    packet = packet_of(programme, "ORGA", "ja")
    md = packet.markdown
    assert md.startswith("# 終了時評価資料: Alpha AI（ORGA）\n")
    assert "## 1. 計算資源の利用状況（計画比）" in md
    assert "| **合計** | 4,200 | 3,500 | -700 (-16.7%) |" in md
    assert "| MedCorpus | 承諾 | NDA締結 |" in md
    assert "2026-04-22 U0ALICE" in md
    assert packet.chart is not None and packet.chart[1].startswith(PNG)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_organization_without_data_says_so_in_every_section(programme, lang):
    packet = packet_of(programme, "ORGD", lang)
    md = packet.markdown
    assert packet.chart is None
    assert packet.filename == "packet-ORGD-2026-05-10.md"
    expected = {
        1: "packet.compute.none",
        2: "packet.progress.none",
        3: "packet.instructions.none",
        4: "packet.evals.none",
        5: "packet.data.none",
        6: "packet.events.none",
    }
    for number, key in expected.items():
        assert t(key, lang) in section(md, number), (number, key)
    assert t("packet.alerts.none", lang) in section(md, 2)
    # the last 12 ended months, without an allocation
    assert t("packet.period_default", lang, start="2025-05", end="2026-04") in md
    if lang == "en":
        assert "No evaluation results submitted." in md
    else:
        assert "評価結果の提出はありません。" in md


def test_another_organizations_data_never_appears(programme):
    for lang in ("en", "ja"):
        md = packet_of(programme, "ORGA", lang).markdown
        for secret in (
            "みらい言語研究所",
            "ORGB",
            "AWS",
            "4,321.5",
            "Bravo",
            "bravo",
            "0.4242",
            "0.9999",
            "BravoHolder",
            "U0YUKI",
        ):
            assert secret not in md, (lang, secret)
    # and ORGB's own packet has them, but not ORGA's
    md = packet_of(programme, "ORGB").markdown
    assert "Bravo secret progress" in md and "bravo-70b" in md and "BravoHolder" in md
    assert "| 2026-03 | 1 | 1 | 1 | 1 | 0 |" in section(md, 6)  # Yuki went to the meetup
    assert "No evaluation results published." not in md
    assert "1 submission(s) not published" in section(md, 4)
    for secret in ("Alpha AI", "alpha-13b", "MedCorpus", "Pretraining 13B", "revised usage plan"):
        assert secret not in md, secret


def test_an_unknown_organization_is_a_user_error(programme):
    with programme() as session:
        with pytest.raises(UserError) as error:
            build_packet(session, SETTINGS, organization_id=9999, lang="en", now=NOW)
    assert "9999" in error.value.en and "9999" in error.value.ja


def test_typed_text_cannot_break_the_document(programme):
    """Names, titles and notes with pipes, newlines and Markdown stay inside their cell,
    heading or quote: the document keeps its six sections and every table row its columns."""
    with programme.begin() as session:
        member_store.upsert_org(session, code="ORGA", name="Alpha | AI\n## injected")
        _instruction(session, "ORGA", "Fix | this\n## injected too", "line one\n## not a heading")
        publish(session, "ORGA", "m|x\n# y", "r|1", jst(2026, 4, 2, 10), {"JCommonsenseQA": 0.7})
    md = packet_of(programme, "ORGA").markdown
    lines = md.splitlines()
    assert [line for line in lines if line.startswith("## ")] == [
        "## 1. Compute usage against plan",
        "## 2. Progress reports and issues",
        "## 3. Instructions and acknowledgements",
        "## 4. Evaluation results",
        "## 5. Data introductions",
        "## 6. Event participation",
    ]
    assert lines[0] == "# Review packet: Alpha \\| AI \\#\\# injected (ORGA)"
    assert "### Fix \\| this \\#\\# injected too" in lines
    assert "> \\#\\# not a heading" in lines
    assert "| 2026-04-02 | m\\|x \\# y | r\\|1 | 0.7 | +0.02 vs previous |" in lines
    columns = None
    for line in lines:  # every row of a table has as many cells as its header
        if not line.startswith("|"):
            columns = None
            continue
        cells = len(line.replace("\\|", "").split("|")) - 2
        columns = columns or cells
        assert cells == columns, line
