"""The monthly trend report (issue #8): collected items, feed fetch state, and the drafts.

A `TrendItem` is one link: `url` is its normalised form (unique: a duplicate merges into the
first, keeping the first title and adding notes), `theme` one of `TrendTheme`, decided by the
LLM, by keyword rules, or by an operator (`theme_by`). `month` (`YYYY-MM` in the programme's
zone) is the report it belongs to: when it was added (or, from a feed, published).

A `FeedState` remembers each configured feed's last fetch and whether its current failure
was already reported to the operators (once per failure, not every day).

A `TrendReport` is one month's draft in Japanese and English (`sections`: theme or
`figures` → {"ja": text, "en": text}); nothing is published before an operator approves it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON
from sqlmodel import Field, Session, SQLModel, select

from storage.db import UTCDateTime


class TrendTheme(StrEnum):
    INTERNATIONAL = "international"  # international development: players, models, sizes, scores
    USE_CASES = "use_cases"  # advanced use cases and data utilisation
    ECONOMIC = "economic"  # economic and productivity effects
    OTHER = "other"


class TrendItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, unique=True)  # normalised
    original_url: str = Field(max_length=2000)
    title: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=3000)
    source: str = Field(max_length=40)  # command, shortcut, feed
    feed: str = Field(default="", max_length=2000)  # the feed it came from
    added_by: str | None = Field(default=None, max_length=32)
    added_at: datetime = Field(sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    month: str = Field(max_length=7, index=True)
    theme: str = Field(default=TrendTheme.OTHER.value, max_length=16)
    theme_by: str = Field(default="rules", max_length=16)  # llm, rules, operator
    summary: dict = Field(default_factory=dict, sa_type=JSON)  # {"ja": …, "en": …}


class FeedState(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    feed: str = Field(max_length=2000, unique=True)
    last_fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failure_reported: bool = False
    last_error: str = Field(default="", max_length=500)


class TrendReport(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, unique=True)
    status: str = Field(default="draft", max_length=16)  # draft, published
    sections: dict = Field(default_factory=dict, sa_type=JSON)
    generated_with: str = Field(default="template", max_length=16)  # llm, template
    revision: int = 1
    drafted_at: datetime = Field(sa_type=UTCDateTime)
    channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    approved_by: str | None = Field(default=None, max_length=32)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def item_by_url(session: Session, url: str) -> TrendItem | None:
    return session.exec(select(TrendItem).where(TrendItem.url == url)).first()


def items_of_month(session: Session, month: str) -> list[TrendItem]:
    query = select(TrendItem).where(TrendItem.month == month).order_by(TrendItem.id)
    return list(session.exec(query))


def items_between(session: Session, start: datetime, end: datetime) -> list[TrendItem]:
    """Items added in [start, end) (aware UTC), oldest first."""
    query = (
        select(TrendItem)
        .where(TrendItem.added_at >= start, TrendItem.added_at < end)
        .order_by(TrendItem.id)
    )
    return list(session.exec(query))


def published_reports(session: Session) -> list[TrendReport]:
    """Every published report (with its publication time), oldest month first."""
    query = (
        select(TrendReport)
        .where(TrendReport.status == "published", TrendReport.published_at.is_not(None))
        .order_by(TrendReport.month)
    )
    return list(session.exec(query))


def report_of(session: Session, month: str) -> TrendReport | None:
    return session.exec(select(TrendReport).where(TrendReport.month == month)).first()


def feed_state(session: Session, feed: str) -> FeedState | None:
    return session.exec(select(FeedState).where(FeedState.feed == feed)).first()
