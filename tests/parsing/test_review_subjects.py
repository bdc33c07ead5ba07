"""Applicants from an uploaded CSV (bot.parsing.review_subjects): encodings, the header, the
contact column, line numbers and the limits."""

from __future__ import annotations

import pytest

from bot.blocks.review_forms import SubjectInput
from bot.errors import UserError
from bot.parsing.review_subjects import read_subjects_csv

HEADER = "organization,proposal_title,materials_link,contact\n"


def refused(data: bytes) -> UserError:
    with pytest.raises(UserError) as caught:
        read_subjects_csv(data)
    assert caught.value.en and caught.value.ja and caught.value.en != caught.value.ja
    return caught.value


def test_a_file_with_every_kind_of_contact():
    text = HEADER + (
        "Example AI,Japanese legal LLM,https://example.com/a.pdf,U0123ABCD\n"
        "\n"
        "Sakura Labs,Speech corpus,,info@sakura.example\n"
        'Fuji Robotics,"Robot, foundation model",,<@W0456EFGH|fuji>\n'
        "Tanuki,Medical LLM,,\n"
    )
    assert read_subjects_csv(text.encode()) == [
        SubjectInput(
            "Example AI", "Japanese legal LLM", "https://example.com/a.pdf", "U0123ABCD", None, 2
        ),
        SubjectInput("Sakura Labs", "Speech corpus", "", None, "info@sakura.example", 4),
        SubjectInput("Fuji Robotics", "Robot, foundation model", "", "W0456EFGH", None, 5),
        SubjectInput("Tanuki", "Medical LLM", "", None, None, 6),
    ]


def test_utf8_with_a_bom_crlf_and_headers_in_any_case_and_order():
    text = "\ufeffProposal_Title,ORGANIZATION\r\n提案A,株式会社あおば\r\n"
    assert read_subjects_csv(text.encode("utf-8")) == [
        SubjectInput("株式会社あおば", "提案A", line=2)
    ]


def test_shift_jis_as_excel_saves_it():
    text = "organization,proposal_title,contact\r\n株式会社さくら,日本語の法律ＬＬＭ,ｉｎｆｏ＠ｓａｋｕｒａ．ｅｘａｍｐｌｅ\r\n"
    data = text.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_subjects_csv(data) == [
        SubjectInput(
            "株式会社さくら", "日本語の法律ＬＬＭ", contact_email="info@sakura.example", line=2
        )
    ]


def test_a_file_in_neither_encoding_is_refused_with_its_line():
    error = refused(HEADER.encode() + b"A,B,,\n" + b"\x81\x7f,x,,\n")  # neither UTF-8 nor cp932
    assert error.line == 3 and "UTF-8" in error.en
    assert refused(HEADER.encode() + b"A,B\x00,,\n").line == 2


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", "\ufeff".encode()])
def test_an_empty_file_is_refused(data):
    error = refused(data)
    assert error.line == 1 and "header" in error.en


def test_a_header_without_applicants_is_refused():
    error = refused(b"\n" + HEADER.encode() + b"\n")
    assert error.line == 2 and "no applicants" in error.en


@pytest.mark.parametrize(
    ("header", "needle"),
    [
        ("organization,proposal_title,budget,Notes\n", "“budget”, “Notes”"),
        ("organization,proposal_title,Organization\n", "“Organization” appears twice"),
        ("organization,materials_link\n", "proposal_title"),
    ],
)
def test_the_header_names_its_problem(header, needle):
    error = refused(("\n" + header + "A,B,C\n").encode())
    assert error.line == 2 and needle in error.en


def test_a_duplicate_organization_names_both_lines():
    text = HEADER + "Example AI,P1,,\nOther,P2,,\n\nexample ai,P3,,\n"
    error = refused(text.encode())
    assert error.line == 5
    assert "Line 5" in error.en and "line 2" in error.en and "“example ai”" in error.en
    assert "5行目" in error.ja and "2行目" in error.ja


def test_every_row_problem_is_listed_with_its_line():
    text = (
        HEADER
        + (
            "Good,P,,\n"  # 2
            ",P,,\n"  # 3: no organization
            "Long," + "p" * 301 + ",,\n"  # 4
            "Link,P,javascript:alert(1),\n"  # 5
            "Contact,P,,someone\n"  # 6
            "Extra,P,,,surplus\n"  # 7
            '"Multi\nline",,,\n'  # 8-9: no proposal_title; the next row starts at 10
            "Ctrl,P\x07,,\n"  # 10
        )
    )
    error = refused(text.encode())
    assert error.line == 3
    for line, needle in [
        (3, "organization is empty"),
        (4, "proposal_title is longer than 300"),
        (5, "javascript:alert(1)"),
        (6, "“someone”"),
        (7, "column 5"),
        (8, "proposal_title is empty"),
        (10, "control character"),
    ]:
        assert f"Line {line}: " in error.en and needle in error.en, (line, needle)
    assert "Line 2" not in error.en and "7 problems" in error.en


def test_one_problem_alone_carries_its_line():
    error = refused((HEADER + "A,P,,\nB,P,ftp://x,\n").encode())
    assert error.line == 3 and error.en.startswith("Line 3: materials_link")
    assert error.ja.startswith("3行目: materials_link")


def test_an_unclosed_quote_is_refused_with_its_line():
    error = refused((HEADER + 'A,P,,\n"B,P,,\n').encode())
    assert error.line is not None


def test_ninety_applicants_fit_and_ninety_one_do_not():
    rows = "".join(f"Org {i},P,,\n" for i in range(1, 91))
    assert len(read_subjects_csv((HEADER + rows).encode())) == 90
    error = refused((HEADER + rows + "\nOrg 91,P,,\n").encode())
    assert error.line == 93 and "90" in error.en and "91" in error.en
