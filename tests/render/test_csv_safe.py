"""CSV neutralisation (OWASP "CSV Injection") and the CSV file format."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from bot.render.csv_safe import neutralise, write_csv

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+1",
        "-2",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "\n=1",
        "\0x",
        "=cmd|' /C calc'!A0",
        "  =1+1",
        "\u3000=1+1",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
    ],
)
def test_a_formula_like_cell_gets_a_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["", "plain", "1200", "計画どおり", "a=b", "ABCI (H100)", "'=already", "   "]
)
def test_other_cells_are_unchanged(cell):
    assert neutralise(cell) == cell


def test_neutralise_is_idempotent_and_maps_none_to_empty():
    assert neutralise(neutralise("=x")) == "'=x"
    assert neutralise(None) == ""


def _parse(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def test_numbers_stay_numbers_and_strings_are_neutralised():
    data = write_csv(["a", "b", "c", "d", "e"], [[-5.0, 3, Decimal("-1.5"), "-5.0", "=A1"]])
    line = data.split(b"\r\n")[1]
    assert line == b'-5.0,3,-1.5,"\'-5.0","\'=A1"'
    assert _parse(data)[1] == ["-5.0", "3", "-1.5", "'-5.0", "'=A1"]


def test_header_none_dates_and_bools():
    data = write_csv(["=h", "x"], [[None, date(2026, 2, 15)], [True, "ok"]])
    assert _parse(data) == [["'=h", "x"], ["", "2026-02-15"], ["True", "ok"]]


def test_japanese_round_trips_with_bom_and_crlf():
    rows = [["ベータ研究所", "進捗: 順調です\n次: 評価", 1200.5]]
    data = write_csv(["組織名", "進捗状況", "GPU時間"], rows)
    assert data.startswith(BOM)
    assert data.count(b"\r\n") == 2  # one per record; the newline inside a cell stays "\n"
    assert data.endswith(b"\r\n")
    text = data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["組織名", "進捗状況", "GPU時間"],
        ["ベータ研究所", "進捗: 順調です\n次: 評価", "1200.5"],
    ]


def test_a_separator_or_quote_cannot_start_a_new_cell():
    data = write_csv(["note"], [['a,=1+1;"b"']])
    assert _parse(data)[1] == ['a,=1+1;"b"']
    assert b'"a,=1+1;""b"""' in data
