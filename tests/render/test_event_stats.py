"""The event participation section of the monthly report (Markdown), from figures built by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.render.event_stats import participation_markdown
from bot.services.event_stats import EventParticipation, OrgParticipation, ParticipationStats
from tests.render.conftest import NASTY


def stats() -> ParticipationStats:
    return ParticipationStats(
        start=datetime(2026, 3, 31, 15, tzinfo=UTC),
        end=datetime(2026, 4, 30, 15, tzinfo=UTC),
        month="2026-04",
        zone="Asia/Tokyo",
        orgs=[
            OrgParticipation("Alpha | AI", "ORGA", 3, people=2, events=2, answered=3, went=2),
            OrgParticipation("北星データ", "ORGC", 1, people=0),
            OrgParticipation("", None, None, people=1, events=1, answered=1),
        ],
        total=OrgParticipation("", None, 4, people=3, events=2, answered=4, went=2, checked_in=1),
        events=[
            EventParticipation(1, NASTY, date(2026, 4, 10), True, 2, 1, 2, 1, 2, 4.5),
            EventParticipation(2, "Late", date(2026, 4, 30), False, 1, 0, None, 0, 0, None),
        ],
    )


def _rows(md: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in md.splitlines()
        if line.startswith("| ")
    ]


def test_the_section_has_an_organization_table_and_an_event_table():
    md = participation_markdown(stats(), "2026-04", "en")
    assert md.startswith("\n## Event participation (2026-04)\n")
    assert "A person counts for every organization they belong to." in md
    assert "### By event" in md
    rows = _rows(md)
    assert rows[0] == [
        "Organization",
        "Members",
        "People who answered",
        "Events",
        "Answered",
        "Went",
        "Checked in",
    ]
    assert rows[2] == ["北星データ", "1", "0", "0", "0", "0", "0"]  # listed with zeros
    assert rows[3] == ["No organization", "–", "1", "1", "1", "0", "0"]
    assert rows[4] == ["Total", "4", "3", "2", "4", "2", "1"]
    assert rows[5] == [
        "Event",
        "Start",
        "Going / capacity",
        "Checked in",
        "Survey answers",
        "Mean rating",
    ]
    assert rows[7] == ["Late", "2026-04-30 (not started yet)", "1 / no limit", "0", "0", "–"]


def test_names_and_titles_cannot_break_the_tables_or_inject_markup():
    md = participation_markdown(stats(), "2026-04", "en")
    assert "| Alpha \\| AI | 3 | 2 | 2 | 3 | 2 | 0 |" in md
    event_row = next(line for line in md.splitlines() if "2026-04-10" in line)
    assert "<b>" not in event_row and "\\|" in event_row
    assert event_row.endswith("| 2026-04-10 | 2 / 2 (+1 waitlisted) | 1 | 2 | 4.5 |")
    assert len(_rows(event_row)[0]) == 6


def test_japanese_and_an_empty_month():
    md = participation_markdown(stats(), "2026-04", "ja")
    assert "## イベント参加状況 (2026-04)" in md and "| 所属組織なし | – |" in md
    assert "| 合計 | 4 | 3 | 2 | 4 | 2 | 1 |" in md
    assert "2 / 2（キャンセル待ち 1）" in md and "1 / 上限なし" in md
    empty = ParticipationStats(
        start=datetime(2026, 2, 28, 15, tzinfo=UTC),
        end=datetime(2026, 3, 31, 15, tzinfo=UTC),
        month="2026-03",
        zone="Asia/Tokyo",
    )
    assert participation_markdown(empty, "2026-03", "en") == (
        "\n## Event participation (2026-03)\n\nNo event started in this month.\n"
    )
