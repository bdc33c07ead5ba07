"""Hostile uploaded files (issue #10), end to end through the sandbox and the real Bolt app:
files too large (refused before the download, or cut off when Slack's `size` lies), compressed
files and decompression bombs (refused without inflating a byte), spreadsheets, binary garbage
named `.csv`, deeply nested or huge JSON, and text in other encodings. Each path (a file sent
in a DM, `/eval submit`, `/event import`, `/review import`) answers with a clear bilingual
message and stores nothing; plus unit tests of the shared checks in `bot.parsing.limits`."""

from __future__ import annotations

import gzip
import io
import random
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bot.errors import UserError
from bot.parsing import limits
from bot.sandbox import files as sandbox_files
from storage.compute import PendingImport
from storage.evals import EvalScoreRow, EvalSubmission
from storage.events import Event
from storage.reviews import ReviewSubject
from tests.handlers.test_reviews_flow import create_round

FIXTURES = Path(__file__).parents[1] / "fixtures"
USAGE_CSV = b"organization,month,provider,gpu_type,gpu_hours\nORGA,2026-03,ABCI,H100,900\n"
GARBAGE = random.Random(10).randbytes(4096)  # binary nonsense, as a .csv
EVAL_FIELD = "Results file"
ICS_FIELD = "カレンダーファイル（.ics）"
APPLICANTS_FIELD = "CSVファイル"


def gzip_bomb(inflated_mib: int = 1024) -> bytes:
    """About 1 KB of gzip per MiB it inflates to (1 GiB from ~1 MB): one member of 1 MiB of
    zeros, repeated (a gzip file may hold many members; gunzip inflates them all)."""
    member = gzip.compress(bytes(1 << 20), compresslevel=9, mtime=0)
    return member * inflated_mib


def xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def plain_zip(name: str = "usage.csv", data: bytes = USAGE_CSV) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def no_inflating(monkeypatch):
    """Any attempt to decompress fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("Kiban tried to decompress an uploaded file")

    for module, name in (
        (zlib, "decompress"),
        (zlib, "decompressobj"),
        (gzip, "decompress"),
        (gzip, "GzipFile"),
        (zipfile, "ZipFile"),
    ):
        monkeypatch.setattr(module, name, refuse)


@pytest.fixture
def downloads(monkeypatch):
    """The downloads made before a modal's ack (handlers.common.download_within), recorded."""
    import handlers.common as common

    made: list[str] = []
    real = common.download_within

    def recording(url, **kwargs):
        made.append(url)
        return real(url, **kwargs)

    monkeypatch.setattr(common, "download_within", recording)
    return made


def lying_about_size(monkeypatch, size: int = 10) -> None:
    """Slack's file objects claim `size` bytes whatever the file holds."""
    real = sandbox_files.file_object
    monkeypatch.setattr(
        sandbox_files, "file_object", lambda sb, fid: real(sb, fid) | {"size": size}
    )


def rows(h, model) -> list:
    with h.session_factory() as session:
        return list(session.exec(select(model)))


def dm(h, user: str = "U0ALICE") -> str:
    return h.sandbox.render(f"dm:{user}")


def last_dm(h, user: str = "U0ALICE") -> str:
    return h.sandbox.conversation(f"dm:{user}")[-1].raw["text"]


# --- files sent in a DM (usage: sacct, FOCUS, usage CSV) -----------------------------------


@pytest.mark.parametrize("name", ["usage.csv.gz", "usage.csv", "results.json"])
def test_a_gzip_bomb_in_a_dm_is_refused_quickly_without_inflating(harness, no_inflating, name):
    bomb = gzip_bomb()
    assert len(bomb) < harness.settings.max_upload_bytes  # 1 GiB once inflated
    started = time.monotonic()
    harness.driver.upload("U0ALICE", name, bomb)
    assert time.monotonic() - started < 5  # the sandbox's HTTP round trips included
    said = last_dm(harness)
    assert "compressed file or archive (gzip)" in said and "Extract it" in said
    assert "sacct --parsable2" in said  # what is accepted
    assert "Traceback" not in dm(harness)
    assert rows(harness, PendingImport) == []


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("usage.csv", plain_zip(), "compressed file or archive (zip)"),
        ("usage.zip", plain_zip(), "compressed file or archive (zip)"),
        ("usage.csv", xlsx(), "spreadsheet workbook (Excel .xlsx)"),
        ("usage.xlsx", xlsx(), "spreadsheet workbook"),
        ("usage.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97-2003"),
        ("usage.csv", b"\xfd7zXZ\x00" + bytes(100), "(xz)"),
    ],
)
def test_archives_and_spreadsheets_in_a_dm_name_the_step_to_take(
    harness, no_inflating, name, data, needle
):
    harness.driver.upload("U0ALICE", name, data)
    said = last_dm(harness)
    assert needle in said and ("Extract it" in said or "CSV UTF-8" in said)
    assert rows(harness, PendingImport) == []


def test_binary_garbage_named_csv_is_refused_not_parsed(harness):
    harness.driver.upload("U0ALICE", "usage.csv", GARBAGE)
    said = last_dm(harness)
    assert "not UTF-8 text" in said or "not text" in said
    assert "Accepted formats" in said and "Traceback" not in said
    assert rows(harness, PendingImport) == []


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ("\ufeff" + USAGE_CSV.decode(), "UTF-16"),  # encoded below as UTF-16 with its BOM
        ("組織,月,GPU時間\nアルファ,2026-03,1\n", "CSV UTF-8"),  # Shift_JIS from Excel
        (None, "not UTF-8"),  # a broken UTF-8 sequence
    ],
)
def test_text_in_other_encodings_gets_a_clear_answer_in_a_dm(harness, data, needle):
    if data is None:
        content = USAGE_CSV.replace(b"ABCI", b"AB\xe3\x28CI")
    elif needle == "UTF-16":
        content = data.encode("utf-16")
    else:
        content = data.encode("shift_jis")
    harness.driver.upload("U0ALICE", "usage.csv", content)
    said = last_dm(harness)
    assert needle in said and "Traceback" not in said
    assert rows(harness, PendingImport) == []


def test_a_file_too_large_is_not_downloaded_in_a_dm(harness, monkeypatch):
    import handlers.compute_uploads as handler

    fetched: list[str] = []
    monkeypatch.setattr(handler, "download", lambda url, **kw: fetched.append(url) or b"")
    harness.settings.max_upload_bytes = 2048
    harness.driver.upload("U0ALICE", "big.csv", USAGE_CSV * 100)
    assert fetched == []
    assert "“big.csv” is" in last_dm(harness) and "over the 2 KB Kiban accepts" in last_dm(harness)
    assert rows(harness, PendingImport) == []


def test_a_dm_download_stops_at_the_limit_when_slack_understates_the_size(harness, monkeypatch):
    lying_about_size(monkeypatch)
    harness.settings.max_upload_bytes = 2048
    harness.driver.upload("U0ALICE", "big.csv", USAGE_CSV * 100)
    assert "larger than" in last_dm(harness)
    assert rows(harness, PendingImport) == []


# --- /eval submit (a modal's file input) ---------------------------------------------------


def submit_eval(h, path: Path):
    h.driver.command("U0ALICE", "/eval submit")
    return h.driver.fill(
        "U0ALICE",
        {
            "Model name": "alpha-8b-instruct",
            "Model revision (commit, checkpoint or tag)": "r1",
            "Parameters (B)": "8",
            "Model type": "Instruction-tuned",
            EVAL_FIELD: str(path),
        },
    )


def eval_error(h, tmp_path, data: bytes, name: str = "results.json") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    submit_eval(h, path)
    error = h.driver.modal_errors("U0ALICE").get(EVAL_FIELD, "")
    assert rows(h, EvalSubmission) == [] and rows(h, EvalScoreRow) == []
    return error


RESULTS = '{"results": {"gsm8k": {"acc,none": 0.5}}'


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (RESULTS + ', "x": ' + "[" * 1000 + "]" * 1000 + "}", "nested more than 64 levels"),
        (RESULTS + ', "x": ' + '{"a":' * 1000 + "1" + "}" * 1000 + "}", "nested more than 64"),
        ("[" * 100_000 + "]" * 100_000, "nested more than 64"),
        (RESULTS + ', "x": [' + "0," * 60_000 + "0]}", "too many JSON values"),
        (RESULTS + ', "x": {' + ",".join(f'"k{i}": 1' for i in range(60_000)) + "}}", "too many"),
        (RESULTS + ', "x": "' + "a" * 2_000_000 + '"}', "string of 2,000,000 characters"),
        ('{"results": {"' + "t" * 5000 + '": {"acc,none": 0.5}}}', "key of 5,000 characters"),
        ('{"results": {"t": {"acc,none": 1' + "0" * 5000 + "}}}", "number with 5,001"),
    ],
    ids=[
        "deep-lists",
        "deep-objects",
        "100k-deep",
        "many-values",
        "many-keys",
        "long-string",
        "long-key",
        "long-number",
    ],
)
def test_hostile_json_is_refused_inline_quickly(harness, tmp_path, data, needle):
    started = time.monotonic()
    error = eval_error(harness, tmp_path, data.encode())
    assert needle in error
    assert time.monotonic() - started < 3  # inside Slack's ack window


@pytest.mark.parametrize(
    ("data", "name", "needle"),
    [
        (gzip_bomb(8), "results.json", "compressed file or archive (gzip)"),
        (plain_zip("results.json", RESULTS.encode() + b"}"), "results.json", "(zip)"),
        (xlsx(), "scores.csv", "spreadsheet workbook"),
        (GARBAGE, "results.json", "not a text file"),
        (b"%PDF-1.7\n" + GARBAGE, "results.json", "it is PDF"),
        ((RESULTS + "}").encode("utf-16"), "results.json", "UTF-16"),
        ('{"results": {"ｇｓｍ": {"acc,none": 0.5}}}'.encode("shift_jis"), "results.json", "UTF-8"),
    ],
    ids=["gzip-bomb", "zip", "xlsx", "garbage", "pdf", "utf-16", "shift_jis"],
)
def test_files_that_are_not_results_text_are_refused_inline(
    harness, tmp_path, no_inflating, data, name, needle
):
    error = eval_error(harness, tmp_path, data, name)
    assert needle in error and "Traceback" not in error
    if "Accepted here" in error:  # the shared checks name what this field takes
        assert "lm-evaluation-harness" in error and "task,metric,value" in error


# --- /event import and /review import --------------------------------------------------------


def import_calendar(h, tmp_path, data: bytes, name: str = "events.ics") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    h.driver.command("U0SATO", "/event import")
    h.driver.fill("U0SATO", {ICS_FIELD: str(path)})
    assert rows(h, Event) == []
    return h.driver.modal_errors("U0SATO").get(ICS_FIELD, "")


def test_a_calendar_too_large_is_refused_before_it_is_downloaded(harness, tmp_path, downloads):
    ics = (FIXTURES / "icalendar" / "programme_events.ics").read_bytes()
    error = import_calendar(harness, tmp_path, ics + b" " * (3 * 1024 * 1024))
    assert downloads == []
    size = limits.size_text(len(ics) + 3 * 1024 * 1024, "ja")
    assert f"{size}あり" in error and "上限の2 MB" in error and "iCalendar" in error


def test_a_calendar_download_stops_at_the_limit_when_slack_understates_the_size(
    harness, tmp_path, monkeypatch, downloads
):
    lying_about_size(monkeypatch)
    error = import_calendar(harness, tmp_path, b"BEGIN:VCALENDAR\r\n" + b" " * (3 * 1024 * 1024))
    assert len(downloads) == 1 and "2 MB" in error


@pytest.mark.parametrize(
    ("data", "name", "needle"),
    [
        (gzip_bomb(8), "events.ics", "圧縮ファイルかアーカイブ（gzip）"),
        (GARBAGE, "events.ics", "テキストファイルではありません"),
        (b"BEGIN:VCALENDAR\r\n" + bytes(64) + b"END:VCALENDAR\r\n", "events.ics", "テキスト"),
    ],
)
def test_calendars_that_are_not_text_are_refused_inline(
    harness, tmp_path, no_inflating, data, name, needle
):
    error = import_calendar(harness, tmp_path, data, name)
    assert needle in error and "iCalendar" in error


@pytest.fixture
def review_round(harness):
    create_round(harness)
    return harness


def import_applicants(h, tmp_path, data: bytes) -> str:
    path = tmp_path / "applicants.csv"
    path.write_bytes(data)
    h.driver.command("U0SATO", "/review import 1")
    h.driver.fill("U0SATO", {APPLICANTS_FIELD: str(path)})
    assert rows(h, ReviewSubject) == []
    return h.driver.modal_errors("U0SATO").get(APPLICANTS_FIELD, "")


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (xlsx(), "スプレッドシートのブック"),
        (gzip_bomb(4), "圧縮ファイル"),
        (GARBAGE, "テキストファイルではありません"),
        ("organization,proposal_title\nAlpha,x\n".encode("utf-16"), "UTF-16"),
        (b"organization,proposal_title\n" + b"Alpha,x\n" * 80_000, "上限の512 KB"),
    ],
    ids=["xlsx", "gzip", "garbage", "utf-16", "too-large"],
)
def test_applicant_files_that_cannot_be_read_are_refused_inline(
    review_round, tmp_path, no_inflating, data, needle
):
    error = import_applicants(review_round, tmp_path, data)
    assert needle in error and "申請者一覧のCSV" in error


# --- the shared checks (bot.parsing.limits) ---------------------------------------------------


@pytest.mark.parametrize(
    ("n", "en", "ja"),
    [
        (900, "900 bytes", "900 バイト"),
        (1024, "1 KB", "1 KB"),
        (512 * 1024, "512 KB", "512 KB"),
        (int(14.2 * 1024 * 1024), "14.2 MB", "14.2 MB"),
        (20 * 1024 * 1024, "20 MB", "20 MB"),
    ],
)
def test_size_text(n, en, ja):
    assert (limits.size_text(n), limits.size_text(n, "ja")) == (en, ja)


def test_declared_size_over_the_limit_names_file_size_and_limit():
    limits.check_declared({"size": 1024, "name": "a.csv"}, limits.USAGE, 1024)
    limits.check_declared({"name": "no size"}, limits.USAGE, 1024)
    with pytest.raises(UserError) as info:
        limits.check_declared({"size": 3 * 1024 * 1024, "name": "<a>.csv"}, limits.USAGE, 1024)
    assert "“&lt;a&gt;.csv” is 3 MB, over the 1 KB" in info.value.en
    assert "「&lt;a&gt;.csv」は3 MBあり、ここで受け付ける上限の1 KB" in info.value.ja
    assert "sacct" in info.value.en and "sacct" in info.value.ja


def test_content_over_the_limit_is_refused_whatever_slack_said():
    with pytest.raises(UserError) as info:
        limits.check_content(b"x" * 2000, "a.ics", limits.CALENDAR, 1024)
    assert "2 KB" in info.value.en and "1 KB" in info.value.en


def test_a_gzip_bomb_is_named_from_its_first_bytes_without_inflating(no_inflating):
    bomb = gzip_bomb()
    started = time.monotonic()
    with pytest.raises(UserError) as info:
        limits.check_content(bomb, "usage.csv", limits.USAGE, 20 * 1024 * 1024)
    assert time.monotonic() - started < 0.1
    assert "(gzip)" in info.value.en and "（gzip）" in info.value.ja


@pytest.mark.parametrize(
    ("data", "name", "what"),
    [
        (b"BZh91AY&SY" + bytes(20), "", "bzip2"),
        (b"\x28\xb5\x2f\xfd" + bytes(20), "", "zstd"),
        (b"7z\xbc\xaf\x27\x1c" + bytes(20), "", "7z"),
        (b"Rar!\x1a\x07\x00" + bytes(20), "", "RAR"),
        (bytes(257) + b"ustar\x0000" + bytes(300), "", "tar"),
        (b"plain text\n", "x.tar.gz", ".gz"),
        (b"plain text\n", "x.XLSX", ".xlsx"),
        (b"\x89PNG\r\n\x1a\n", "", "PNG"),
    ],
)
def test_binary_formats_by_magic_number_or_extension(data, name, what):
    assert limits.binary_format(data, name)[0] == what


@pytest.mark.parametrize(
    "data",
    [
        b"organization,month\nORGA,2026-03\n",
        "組織,月\n".encode(),
        "\ufeffJobID|Start\n".encode(),
        b"BEGIN:VCALENDAR\r\n\x0cEND:VCALENDAR\r\n",  # a form feed is text
        b"",
    ],
)
def test_text_passes(data):
    limits.check_content(data, "a.csv", limits.USAGE, 1024)


def test_utf16_is_left_to_a_parser_that_reads_it():
    data = "BEGIN:VCALENDAR\r\n".encode("utf-16")
    limits.check_content(data, "a.ics", limits.CALENDAR, 1024)
    with pytest.raises(UserError) as info:
        limits.check_content(data, "a.csv", limits.APPLICANTS, 1024)
    assert "UTF-16" in info.value.en and "UTF-16" in info.value.ja


def test_a_few_control_characters_are_text_many_are_binary():
    limits.check_content(b"a,b\n" * 100 + b"\x1a", "a.csv", limits.USAGE, 4096)
    with pytest.raises(UserError, match="binary data"):
        limits.check_content(b"a\x01b\x02" * 100, "a.csv", limits.USAGE, 4096)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from(["", "a.csv", "a.json", "a.gz", "b.ics"]))
def test_arbitrary_bytes_raise_only_user_error(data, name):
    for kind in (limits.USAGE, limits.EVAL_RESULTS, limits.CALENDAR, limits.APPLICANTS):
        try:
            limits.check_content(data, name, kind, 512)
        except UserError as error:
            assert error.en and error.ja
