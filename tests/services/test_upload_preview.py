"""Previews of usage files sent in a DM, on a real database: every month a file holds is either
listed or counted (how many, which, GPU-hours) within Slack's limits; months outside the
period or not begun are listed as not imported; Import refuses a preview whose figures changed
since it was made, storing nothing and leaving it cancellable."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.blocks import compute_uploads as blocks
from bot.blocks.common import SECTION_TEXT_MAX
from bot.services.admin import import_setup
from bot.services.compute import store_report
from bot.services.compute_uploads import decide_upload, receive_upload
from bot.services.members import resolve_actor
from storage import compute as store
from storage import members as member_store
from storage.compute import PendingImport, ReportSource, UsageReport
from tests.conftest import SETUP_YAML
from tests.services.test_compute_services import NOW, SETTINGS, loaded  # noqa: F401

HEADER = "organization,month,provider,gpu_type,gpu_hours\n"
# an organization with a long allocation: 2018-01 .. 2026-12 (NOW is 2026-04-01 JST)
LONG_ORG = """
  - code: ORGL
    name: 長期計算センター
    kind: developer
    language: ja
    members:
      - {user: U0LONG, role: org_lead}
    allocations:
      - provider: ABCI
        gpu_type: H100
        granted_gpu_hours: 10000000
        period_start: 2018-01-01
        period_end: 2026-12-31
"""


@pytest.fixture
def long_loaded(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML + LONG_ORG)
    return session_factory


def _months(first_year: int, count: int) -> list[str]:
    return [f"{first_year + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


def _preview(factory, user: str, filename: str, text: str, lang: str = "en", now=NOW):
    with factory.begin() as session:
        actor = resolve_actor(session, user, lang)
        preview = receive_upload(
            session=session,
            actor=actor,
            filename=filename,
            content=text.encode(),
            settings=SETTINGS,
            now=now,
        )
    return preview, blocks.build_preview(preview, lang)


def _decide(factory, user: str, preview, message, *, do_import=True, lang="en", now=NOW):
    with factory.begin() as session:
        actor = resolve_actor(session, user, lang)
        notices = decide_upload(
            session=session,
            actor=actor,
            pending_id=preview.pending_id,
            do_import=do_import,
            channel="D0DM",
            ts="1.0",
            blocks_shown=message.blocks,
            settings=SETTINGS,
            now=now,
        )
    return notices[0].render(lang), notices


def _text(message) -> str:
    out = []
    for block in message.blocks:
        if block["type"] == "section":
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out += [element["text"] for element in block["elements"]]
    return "\n".join(out)


def _within_slack_limits(message) -> None:
    assert len(message.blocks) <= 48  # room for the line a decision adds
    for block in message.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_TEXT_MAX
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e["text"]) <= SECTION_TEXT_MAX for e in block["elements"])
            assert not block["elements"][-1]["text"].endswith("…")


def _accounted(text: str) -> int:
    """Months the English preview lists or counts."""
    listed = len(re.findall(r"^• [^:\n]* · \d{4}-\d{2}:", text, re.M))
    counted = sum(
        int(n.replace(",", ""))
        for n in re.findall(r"(?:and |^• [^:\n]*: )([\d,]+) (?:more )?months", text, re.M)
    )
    counted += sum(
        int(n.replace(",", "")) for n in re.findall(r"allocations: ([\d,]+) months", text)
    )
    counted += sum(int(n.replace(",", "")) for n in re.findall(r"; ([\d,]+) months not", text))
    counted += sum(
        int(n.replace(",", ""))
        for n in re.findall(r"GPU-hours \([^)]*\), ([\d,]+) months not", text)
    )
    return listed + counted


def test_a_96_month_csv_lists_or_counts_every_month_it_imports(long_loaded):
    months = _months(2018, 96)  # 2018-01 .. 2025-12
    rows = "".join(f"ORGL,{m},ABCI,H100,{100 + i}\n" for i, m in enumerate(months))
    with long_loaded.begin() as session:  # two months already on record
        org = member_store.get_org_by_code(session, "ORGL")
        [allocation] = store.allocations_for_org(session, org.id)
        for month in ("2019-06", "2024-01"):
            store_report(
                session=session,
                org=org,
                allocation=allocation,
                month=month,
                gpu_hours=1.0,
                texts=(None, None, None),
                reporter="U0LONG",
                source=ReportSource.MODAL,
                source_ref=None,
                now=NOW,
            )
    preview, message = _preview(long_loaded, "U0LONG", "long.csv", HEADER + rows)
    assert preview.rows_read == 96 and len(preview.lines) == 96
    _within_slack_limits(message)
    text = _text(message)
    assert "• ABCI (H100) · 2018-01: 100 GPU-hours (new)" in text
    assert "• ABCI (H100) · 2019-06: 117 GPU-hours, replacing 1" in text
    assert "• ABCI (H100) · 2019-12: 123 GPU-hours (new)" in text
    assert "2020-01:" not in text
    hidden = sum(100 + i for i in range(24, 96))
    assert (
        f"• ABCI (H100): … and 72 more months (2020-01 to 2025-12), {hidden:,} GPU-hours: "
        "71 new, 1 replacing current figures"
    ) in text
    assert _accounted(text) == 96
    ja = _text(blocks.build_preview(preview, "ja"))
    assert f"…ほか 72 か月分（2020-01〜2025-12）、計 {hidden:,} GPU時間（新規 71、" in ja
    assert "*長期計算センター (ORGL)* 分" in ja
    # Import stores the 96 months it said
    text, _ = _decide(long_loaded, "U0LONG", preview, message)
    with long_loaded() as session:
        reports = session.exec(select(UsageReport).where(UsageReport.is_current)).all()
    assert len(reports) == 96


def _synthetic(allocations: int, months: int, refused: int = 0) -> list[blocks.PreviewLine]:
    lines = []
    for a in range(allocations):
        org = f"Org {a // 3} (O{a // 3})"
        for month in _months(2010, months):
            lines.append(blocks.PreviewLine(f"P{a} (H100)", month, None, 10.5, "created", org=org))
        for month in _months(2030, refused):
            reason = ("this month has not started yet", "まだ始まっていない月")
            lines.append(
                blocks.PreviewLine(
                    f"P{a} (H100)", month, None, 2.0, "future", org=org, reason=reason
                )
            )
    return lines


@pytest.mark.parametrize(
    ("allocations", "months", "refused"),
    [(1, 200, 0), (1, 25, 14), (3, 96, 40), (40, 30, 5), (400, 30, 5), (2000, 2, 1)],
)
def test_long_previews_stay_within_slack_limits_and_count_what_they_do_not_list(
    allocations, months, refused
):
    lines = _synthetic(allocations, months, refused)
    preview = blocks.Preview(1, "x.csv", "csv", "many", len(lines), lines, [], [], seen=3)
    for lang in ("en", "ja"):
        message = blocks.build_preview(preview, lang)
        _within_slack_limits(message)
    text = _text(blocks.build_preview(preview, "en"))
    assert _accounted(text) == len(lines)
    if allocations == 400:  # the last allocations are counted in one line, with their hours
        [more] = re.findall(r"… and ([\d,]+) more allocations: ([\d,]+) months, ([\d,.]+)", text)
        count, shown_months = int(more[0].replace(",", "")), int(more[1].replace(",", ""))
        assert shown_months == count * months
        assert float(more[2].replace(",", "")) == pytest.approx(shown_months * 10.5)


def test_many_skipped_rows_and_notes_are_not_cut(long_loaded):
    bad = "".join(f"ORGL,2025-{m:02d},ABCI,H100,{'x' * 200}\n" for m in range(1, 13))
    preview, message = _preview(long_loaded, "U0LONG", "bad.csv", HEADER + bad)
    _within_slack_limits(message)
    text = _text(message)
    assert "Line 11 skipped" in text and "… and 2 more skipped rows." in text


def test_rows_outside_the_period_or_not_begun_are_listed_as_not_imported(loaded):  # noqa: F811
    csv = (
        HEADER + "ORGA,2025-12,ABCI,H100,5\nORGA,2026-01,ABCI,H100,10\n"
        "ORGA,2026-02,ABCI,H100,20\nORGA,2026-09,ABCI,H100,30\n"
    )
    preview, message = _preview(loaded, "U0ALICE", "a.csv", csv)
    text = _text(message)
    assert "4 rows" in text
    assert (
        "• ABCI (H100) · 2025-12: 5 GPU-hours, not imported: outside the allocation's period "
        "(2026-01-01 to 2026-12-31)"
    ) in text
    assert (
        "• ABCI (H100) · 2026-09: 30 GPU-hours, not imported: this month has not started yet"
        in (text)
    )
    assert "• ABCI (H100) · 2026-01: 10 GPU-hours (new)" in text
    _decide(loaded, "U0ALICE", preview, message)
    with loaded() as session:
        reports = session.exec(select(UsageReport).where(UsageReport.is_current)).all()
    assert sorted((r.month, r.gpu_hours) for r in reports) == [("2026-01", 10.0), ("2026-02", 20.0)]


def test_an_sacct_file_wholly_outside_the_period_says_so_month_by_month(loaded):  # noqa: F811
    sacct = (
        "JobID|State|Start|End|ElapsedRaw|AllocTRES\n"
        "1|COMPLETED|2024-02-02T00:00:00|2024-02-02T01:00:00|3600|gres/gpu=2\n"
        "2|COMPLETED|2024-03-02T00:00:00|2024-03-02T01:00:00|3600|gres/gpu=2\n"
    )
    preview, message = _preview(loaded, "U0HANA", "old.txt", sacct, lang="ja")
    text = _text(message)
    assert "このファイルのGPU使用はいずれも取り込めません" in text
    for month in ("2024-02", "2024-03"):
        assert (
            f"• Habrok (A100) · {month}: 取り込みません（割当期間 2024-04-01〜2027-03-31 の外）"
            in (text)
        )
    [actions] = [b for b in message.blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == [blocks.Ids.CANCEL]  # nothing to import


def _report(factory, org_code: str, month: str, gpu_hours: float, now, notes=None) -> None:
    with factory.begin() as session:
        org = member_store.get_org_by_code(session, org_code)
        allocation = store.allocations_for_org(session, org.id)[0]
        store_report(
            session=session,
            org=org,
            allocation=allocation,
            month=month,
            gpu_hours=gpu_hours,
            texts=(notes, None, None),
            reporter="U0ALICE",
            source=ReportSource.MODAL,
            source_ref=None,
            now=now,
        )


def _current(factory) -> dict[str, float]:
    with factory() as session:
        reports = session.exec(select(UsageReport).where(UsageReport.is_current)).all()
    return {r.month: r.gpu_hours for r in reports}


def _status(factory, pending_id: int) -> str:
    with factory() as session:
        return session.get(PendingImport, pending_id).status


def test_importing_an_older_preview_is_refused_when_the_figure_changed(loaded):  # noqa: F811
    a, a_msg = _preview(loaded, "U0ALICE", "a.csv", HEADER + "ORGA,2026-03,ABCI,H100,100\n")
    b, b_msg = _preview(loaded, "U0ALICE", "b.csv", HEADER + "ORGA,2026-03,ABCI,H100,200\n")
    _decide(loaded, "U0ALICE", b, b_msg)  # same clock: the report ids tell the order
    refused, notices = _decide(loaded, "U0ALICE", a, a_msg)
    assert _current(loaded) == {"2026-03": 200.0}
    assert len(notices) == 1  # no channel note, no alert
    assert refused.text == (
        "The figures changed since this preview, so nothing was imported: ABCI (H100) · 2026-03 "
        "is now 200 GPU-hours (the preview was made against no figure). Send the file again for "
        "a fresh preview."
    )
    assert [
        e["action_id"] for b in refused.blocks if b["type"] == "actions" for e in b["elements"]
    ] == [blocks.Ids.CANCEL]
    assert _status(loaded, a.pending_id) == "pending"
    ja, _ = _decide(loaded, "U0ALICE", a, a_msg, lang="ja")
    assert "2026-03 は現在 200 GPU時間です（プレビュー時は 記録なし）" in ja.text
    cancelled, _ = _decide(loaded, "U0ALICE", a, a_msg, do_import=False)
    assert "Cancelled" in cancelled.text and _status(loaded, a.pending_id) == "cancelled"


def test_a_replacing_preview_is_refused_after_a_newer_report(loaded):  # noqa: F811
    _report(loaded, "ORGA", "2026-03", 100, NOW)
    a, a_msg = _preview(loaded, "U0ALICE", "a.csv", HEADER + "ORGA,2026-03,ABCI,H100,120\n")
    assert "120 GPU-hours, replacing 100" in _text(a_msg)
    _report(loaded, "ORGA", "2026-03", 150, NOW)  # the same instant: ids tell the order
    refused, _ = _decide(loaded, "U0ALICE", a, a_msg)
    assert "2026-03 is now 150 GPU-hours (the preview was made against 100)" in refused.text
    assert _current(loaded) == {"2026-03": 150.0}


def test_an_old_preview_without_seen_compares_times(loaded):  # noqa: F811
    _report(loaded, "ORGA", "2026-03", 100, NOW)
    a, a_msg = _preview(loaded, "U0ALICE", "a.csv", HEADER + "ORGA,2026-03,ABCI,H100,120\n")
    for block in a_msg.blocks:  # as posted before previews carried `seen`
        for element in block.get("elements") or []:
            if "value" in element:
                element["value"] = blocks.PendingRef(pending_id=a.pending_id).model_dump_json()
    _report(loaded, "ORGA", "2026-03", 150, NOW + timedelta(minutes=5))
    refused, _ = _decide(loaded, "U0ALICE", a, a_msg, now=NOW + timedelta(minutes=10))
    assert "is now 150 GPU-hours" in refused.text


def test_same_figure_or_other_months_changing_do_not_refuse(loaded):  # noqa: F811
    _report(loaded, "ORGA", "2026-03", 100, NOW)
    a, a_msg = _preview(loaded, "U0ALICE", "a.csv", HEADER + "ORGA,2026-03,ABCI,H100,120\n")
    _report(loaded, "ORGA", "2026-03", 100, NOW, notes="notes only")  # same figure, new notes
    _report(loaded, "ORGA", "2026-02", 90, NOW)  # a month the file does not hold
    done, _ = _decide(loaded, "U0ALICE", a, a_msg)
    assert done.text.startswith("Imported by <@U0ALICE>: 1 month(s) updated")
    assert _current(loaded) == {"2026-02": 90.0, "2026-03": 120.0}
