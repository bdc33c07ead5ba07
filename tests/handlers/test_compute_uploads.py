"""Usage files sent to Kiban in a DM: preview first (nothing stored), then Import or Cancel,
each once; bad files get a clear answer and store nothing."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from storage.compute import PendingImport, UsageReport

FIXTURES = Path(__file__).parents[1] / "fixtures"
SACCT = (FIXTURES / "slurm" / "habrok_gpu_parsable2_with_header.txt").read_bytes()


def _reports(h):
    with h.session_factory() as session:
        return session.exec(select(UsageReport).where(UsageReport.is_current)).all()


def _dm(h, user):
    return h.sandbox.render(f"dm:{user}")


def test_sacct_file_previews_then_imports_once(harness):
    d = harness.driver
    d.upload("U0HANA", "april.txt", SACCT)
    preview = _dm(harness, "U0HANA")
    assert "取り込みプレビュー: april.txt" in preview
    assert "Habrok (A100) · 2024-04: 139.91 GPU時間（新規）" in preview
    assert "223 行目をスキップ" in preview  # a running job, with its line
    assert "v100 のジョブ 3 件" in preview
    assert _reports(harness) == []  # nothing stored before Import
    d.click("U0HANA", "取り込む", "dm")
    [report] = _reports(harness)
    assert round(report.gpu_hours, 2) == 139.91 and report.source == "sacct"
    assert "取り込みました: 1 か月分を更新" in _dm(harness, "U0HANA")
    assert "139.91" in harness.sandbox.render("#orgc-private")  # the channel note
    # the buttons are gone; a replayed click only says it was decided
    assert "[取り込む]" not in _dm(harness, "U0HANA")


def test_cancel_stores_nothing(harness):
    d = harness.driver
    d.upload("U0HANA", "april.txt", SACCT)
    d.click("U0HANA", "キャンセル", "dm")
    assert _reports(harness) == []
    assert "キャンセルしました" in _dm(harness, "U0HANA")
    with harness.session_factory() as session:
        assert [p.status for p in session.exec(select(PendingImport))] == ["cancelled"]


def test_member_csv_may_only_name_their_own_organization(harness):
    d = harness.driver
    own = b"organization,month,provider,gpu_type,gpu_hours\nORGA,2026-03,ABCI,H100,900\n"
    d.upload("U0ALICE", "march.csv", own)
    assert "ABCI (H100) · 2026-03: 900 GPU-hours (new)" in _dm(harness, "U0ALICE")
    other = own + b"ORGB,2026-03,AWS,H100,5\n"
    d.upload("U0ALICE", "both.csv", other)
    text = _dm(harness, "U0ALICE")
    assert "line 3" in text and "only import your own organization" in text
    d.click("U0ALICE", "Import", "dm")  # the first preview still stands
    assert [r.gpu_hours for r in _reports(harness)] == [900.0]


def test_unreadable_and_oversized_files_are_refused_clearly(harness):
    d = harness.driver
    d.upload("U0ALICE", "photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    d.upload("U0ALICE", "notes.txt", b"just some words\nnothing tabular\n")
    text = _dm(harness, "U0ALICE")
    assert "Traceback" not in text and text.count("sacct") >= 1
    harness.settings.max_upload_bytes = 1024
    d.upload("U0ALICE", "big.csv", b"organization,month,provider,gpu_type,gpu_hours\n" * 100)
    assert "“big.csv” is 4.6 KB, over the 1 KB Kiban accepts here" in _dm(harness, "U0ALICE")
    with harness.session_factory() as session:
        assert session.exec(select(PendingImport)).all() == []


def test_someone_in_no_organization_is_told_how_to_join(harness):
    harness.driver.upload("U0GUEST", "x.csv", b"organization,month,provider,gpu_type,gpu_hours\n")
    assert "not a member of any organization" in _dm(harness, "U0GUEST")


def test_focus_rows_go_only_to_an_allocation_of_their_own_provider(harness):
    focus = (FIXTURES / "focus" / "synthetic_gpu.csv").read_text().splitlines()
    one_account = "\n".join([focus[0]] + [line for line in focus[1:] if "111122223333" in line])
    harness.driver.upload("U0YUKI", "aws.csv", one_account.encode())
    preview = _dm(harness, "U0YUKI")
    assert "AWS (H100) · 2026-03: 16 GPU時間" in preview
    assert "ABCI (A100)" not in preview  # AWS A100 hours never land on the ABCI allocation
    assert "AWS A100 の割当がないため" in preview


def test_several_cloud_accounts_are_explained_without_cli_flags_only(harness):
    harness.driver.upload(
        "U0YUKI", "all.csv", (FIXTURES / "focus" / "synthetic_gpu.csv").read_bytes()
    )
    assert "複数のクラウドアカウント" in _dm(harness, "U0YUKI")


def test_a_member_of_two_orgs_can_upload_a_csv_naming_either(harness):
    d = harness.driver
    d.command("U0SATO", "/kiban member add <@U0KENJI> ORGA member")
    d.upload(
        "U0KENJI",
        "two.csv",
        b"organization,month,provider,gpu_type,gpu_hours\n"
        b"ORGA,2026-03,ABCI,H100,900\nORGB,2026-03,AWS,H100,700\n",
    )
    preview = _dm(harness, "U0KENJI")
    # organizations by name and code, as every preview names them
    assert "*Alpha AI (ORGA), みらい言語研究所 (ORGB)* 分" in preview and "取り込む" in preview


def test_a_redelivered_upload_event_makes_one_preview(harness):
    harness.driver.upload("U0HANA", "april.txt", SACCT)
    [event] = [
        r
        for r in harness.journal()
        if r.get("kind") == "event_callback"
        and r["request"]["body"]["event"].get("subtype") == "file_share"
    ]
    # Slack retries a delivery it thinks failed, with the same event_id
    harness.driver._send("event_callback", event["request"]["raw"], "application/json")
    harness.driver.settle()
    previews = [
        e for e in harness.sandbox.conversation("dm:U0HANA") if "取り込みプレビュー" in e.rendered
    ]
    assert len(previews) == 1
    with harness.session_factory() as session:
        assert len(session.exec(select(PendingImport)).all()) == 1


CSV_HEADER = b"organization,month,provider,gpu_type,gpu_hours\n"


def _months(first: str, count: int) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    for i in range(count):
        y, m = divmod(month - 1 + i, 12)
        out.append(f"{year + y}-{m + 1:02d}")
    return out


def test_a_96_row_csv_preview_hides_no_month(harness):
    # ORGC's allocation runs 2024-04 .. 2027-03; the clock is 2026-04-01
    months = _months("2020-05", 96)  # 47 before the period, 25 in it, 24 not begun
    rows = b"".join(f"ORGC,{m},Habrok,A100,{i + 1}\n".encode() for i, m in enumerate(months))
    harness.driver.upload("U0HANA", "long.csv", CSV_HEADER + rows)
    preview = _dm(harness, "U0HANA")
    assert "（96 行）" in preview
    stored = months[47:72]
    for i, month in enumerate(stored):  # every month Import stores is listed
        assert f"Habrok (A100) · {month}: {48 + i} GPU時間（新規）" in preview
    assert (
        "Habrok (A100) · 2020-05: 1 GPU時間（取り込みません: 割当期間 2024-04-01〜2027-03-31 の外）"
        in (preview)
    )
    outside_rest = sum(range(13, 48))  # rows 13..47: 2021-05 .. 2024-03
    assert (
        f"…ほか 35 か月分（2021-05〜2024-03、計 {outside_rest:,} GPU時間）は取り込みません"
        "（割当期間 2024-04-01〜2027-03-31 の外）"
    ) in preview
    future = sum(range(73, 97))
    assert (
        f"…ほか 24 か月分（2026-05〜2028-04、計 {future:,} GPU時間）は取り込みません"
        "（まだ始まっていない月）"
    ) in preview
    harness.driver.click("U0HANA", "取り込む", "dm")
    assert sorted(r.month for r in _reports(harness)) == stored
    assert "25 か月分を更新" in _dm(harness, "U0HANA")


def test_rows_outside_the_period_are_listed_not_dropped(harness):
    d = harness.driver
    d.upload(
        "U0ALICE",
        "q1.csv",
        CSV_HEADER + b"ORGA,2025-12,ABCI,H100,50\nORGA,2026-01,ABCI,H100,100\n"
        b"ORGA,2026-02,ABCI,H100,110\nORGA,2026-03,ABCI,H100,120\n",
    )
    preview = _dm(harness, "U0ALICE")
    assert "4 rows" in preview
    assert (
        "ABCI (H100) · 2025-12: 50 GPU-hours, not imported: outside the allocation's period "
        "(2026-01-01 to 2026-12-31)"
    ) in preview
    d.click("U0ALICE", "Import", "dm")
    assert sorted(r.month for r in _reports(harness)) == ["2026-01", "2026-02", "2026-03"]
    # an sacct file whose jobs all lie before ORGC's period (from 2024-04)
    old = SACCT.decode().replace("2024-04-", "2024-02-")
    d.upload("U0HANA", "february.txt", old.encode())
    text = _dm(harness, "U0HANA")
    assert "このファイルのGPU使用はいずれも取り込めません" in text
    assert "Habrok (A100) · 2024-02: 取り込みません（割当期間 2024-04-01〜2027-03-31 の外）" in text


def test_months_not_begun_are_not_imported(harness):
    d = harness.driver
    d.upload(
        "U0ALICE",
        "plan.csv",
        CSV_HEADER + b"ORGA,2026-03,ABCI,H100,900\nORGA,2026-09,ABCI,H100,700\n",
    )
    preview = _dm(harness, "U0ALICE")
    assert "ABCI (H100) · 2026-03: 900 GPU-hours (new)" in preview
    assert "ABCI (H100) · 2026-09: 700 GPU-hours, not imported: this month has not started yet" in (
        preview
    )
    d.click("U0ALICE", "Import", "dm")
    assert [(r.month, r.gpu_hours) for r in _reports(harness)] == [("2026-03", 900.0)]
    # the current month has begun: it may be imported, like in the report modal
    d.upload("U0ALICE", "april.csv", CSV_HEADER + b"ORGA,2026-04,ABCI,H100,10\n")
    assert "ABCI (H100) · 2026-04: 10 GPU-hours (new)" in _dm(harness, "U0ALICE")


def test_importing_an_older_preview_over_newer_data_is_refused(harness):
    d = harness.driver
    d.upload("U0ALICE", "a.csv", CSV_HEADER + b"ORGA,2026-03,ABCI,H100,100\n")
    d.upload("U0ALICE", "b.csv", CSV_HEADER + b"ORGA,2026-03,ABCI,H100,200\n")
    d.click("U0ALICE", "Import", "dm")  # the latest preview: b
    assert [r.gpu_hours for r in _reports(harness)] == [200.0]
    d.click("U0ALICE", "Import", "dm")  # the one left with an Import button: a
    assert [r.gpu_hours for r in _reports(harness)] == [200.0]
    text = _dm(harness, "U0ALICE")
    assert (
        "The figures changed since this preview, so nothing was imported: ABCI (H100) · 2026-03 "
        "is now 200 GPU-hours (the preview was made against no figure). Send the file again for "
        "a fresh preview."
    ) in text
    with harness.session_factory() as session:
        statuses = [
            p.status for p in session.exec(select(PendingImport).order_by(PendingImport.id))
        ]
    assert statuses == ["pending", "imported"]
    d.click("U0ALICE", "Cancel", "dm")  # a stays cancellable
    assert "Cancelled by @alice; nothing was stored" in _dm(harness, "U0ALICE")
    assert [r.gpu_hours for r in _reports(harness)] == [200.0]


def test_focus_and_csv_previews_name_the_organization_alike(harness):
    d = harness.driver
    d.upload("U0YUKI", "abci.csv", CSV_HEADER + b"ORGB,2026-03,ABCI,A100,185.5\n")
    assert "利用実績のCSV として *みらい言語研究所 (ORGB)* 分" in _dm(harness, "U0YUKI")
    focus = (FIXTURES / "focus" / "synthetic_gpu.csv").read_text().splitlines()
    one_account = "\n".join([focus[0]] + [line for line in focus[1:] if "111122223333" in line])
    d.upload("U0YUKI", "aws.csv", one_account.encode())
    assert "クラウドの利用明細（FOCUS） として *みらい言語研究所 (ORGB)* 分" in _dm(
        harness, "U0YUKI"
    )


def test_one_refused_file_does_not_stop_the_others_sent_with_it(harness):
    """Several files in one message: each is answered on its own."""
    harness.settings.max_upload_bytes = 1024
    big = b"organization,month,provider,gpu_type,gpu_hours\n" * 100
    own = b"organization,month,provider,gpu_type,gpu_hours\nORGA,2026-03,ABCI,H100,900\n"
    harness.driver.upload_many("U0ALICE", [("big.csv", big), ("march.csv", own)])
    text = _dm(harness, "U0ALICE")
    assert "“big.csv” is 4.6 KB" in text and "ABCI (H100) · 2026-03: 900 GPU-hours (new)" in text
