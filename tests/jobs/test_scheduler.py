"""Scheduler triggers fire at the programme's times whatever the host zone; jobs claim their
slot so two processes post once; the reminder fires only on the 3rd business day."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.timeutil import is_business_day, nth_business_day
from jobs.compute import run_monthly_reminder, run_weekly_digest
from jobs.scheduler import JOBS, build_scheduler, due_runs, trigger_for

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture(params=["UTC", "America/Los_Angeles"])
def host_zone(request):
    """Run with the process's TZ set to another zone, as on a server configured in UTC."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_every_trigger_fires_in_tokyo_time_whatever_the_host_zone(host_zone):
    # Sunday 2026-04-05 12:00 JST
    after = datetime(2026, 4, 5, 12, tzinfo=JST)
    expected = {
        "weekly_digest": datetime(2026, 4, 6, 9, tzinfo=JST),  # Monday 09:00 JST
        "monthly_reminder": datetime(2026, 4, 6, 10, tzinfo=JST),  # next weekday 10:00 JST
        "condition_alerts": datetime(2026, 4, 6, 10, 30, tzinfo=JST),
        "instruction_reminder": datetime(2026, 4, 6, 9, tzinfo=JST),
        "introduction_checks": datetime(2026, 4, 6, 9, 15, tzinfo=JST),  # business days
        "outbox": datetime(2026, 4, 5, 12, 0, tzinfo=JST),  # every minute
        "outbox_purge": datetime(2026, 4, 6, 4, 0, tzinfo=JST),  # daily 04:00
        "eval_publication": datetime(2026, 4, 5, 12, 0, tzinfo=JST),  # every 5 minutes
        "event_reminders": datetime(2026, 4, 5, 12, 0, tzinfo=JST),  # every 5 minutes
        "review_reminders": datetime(2026, 4, 5, 12, 0, tzinfo=JST),  # every 15 minutes
        "trend_draft": datetime(2026, 4, 6, 9, 30, tzinfo=JST),  # weekdays 09:30
        "trend_feeds": datetime(2026, 4, 6, 7, 0, tzinfo=JST),  # daily 07:00
        "progress_reminder": datetime(2026, 4, 6, 10, 5, tzinfo=JST),  # weekdays 10:05
        "practice_digest": datetime(2026, 4, 6, 9, 45, tzinfo=JST),  # weekdays 09:45
        "announcements": datetime(2026, 4, 5, 12, 0, tzinfo=JST),  # every 5 minutes
    }
    for spec in JOBS:
        fire = trigger_for(spec, "Asia/Tokyo").get_next_fire_time(None, after)
        assert fire == expected[spec.id], spec.id
        assert fire.utcoffset().total_seconds() == 9 * 3600


def test_scheduler_jobs_have_stable_ids_and_generous_misfire(harness):
    scheduler = build_scheduler(harness.deps)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {
            "monthly_reminder",
            "weekly_digest",
            "condition_alerts",
            "instruction_reminder",
            "introduction_checks",
            "outbox",
            "outbox_purge",
            "eval_publication",
            "event_reminders",
            "review_reminders",
            "trend_draft",
            "trend_feeds",
            "progress_reminder",
            "practice_digest",
            "announcements",
        }
        for job in jobs.values():
            assert job.coalesce is True and job.misfire_grace_time >= 600
            assert str(job.trigger.timezone) == "Asia/Tokyo"
    finally:
        scheduler.shutdown(wait=False)


def test_third_business_day_skips_weekends_and_japanese_holidays():
    assert nth_business_day(2026, 4, 3) == date(2026, 4, 3)  # Wed 1, Thu 2, Fri 3
    assert nth_business_day(2026, 5, 3) == date(2026, 5, 8)  # 4–6 May are public holidays
    assert nth_business_day(2027, 1, 3) == date(2027, 1, 6)  # 1 Jan holiday, 2–3 weekend
    assert not is_business_day(date(2026, 5, 6))  # substitute holiday (振替休日)


def test_due_runs_lists_fire_times_between_two_moments():
    runs = due_runs(
        "Asia/Tokyo",
        datetime(2026, 4, 3, 0, 0, tzinfo=JST),
        datetime(2026, 4, 6, 9, 30, tzinfo=JST),
    )
    assert [(t.astimezone(JST).strftime("%m-%d %H:%M"), s.id) for t, s in runs] == [
        ("04-03 04:00", "outbox_purge"),
        ("04-03 07:00", "trend_feeds"),
        ("04-03 09:00", "instruction_reminder"),
        ("04-03 09:15", "introduction_checks"),
        ("04-03 09:30", "trend_draft"),
        ("04-03 09:45", "practice_digest"),
        ("04-03 10:00", "monthly_reminder"),
        ("04-03 10:05", "progress_reminder"),
        ("04-03 10:30", "condition_alerts"),
        ("04-04 04:00", "outbox_purge"),
        ("04-04 07:00", "trend_feeds"),
        ("04-04 09:00", "instruction_reminder"),
        ("04-05 04:00", "outbox_purge"),
        ("04-05 07:00", "trend_feeds"),
        ("04-05 09:00", "instruction_reminder"),
        ("04-06 04:00", "outbox_purge"),
        ("04-06 07:00", "trend_feeds"),
        ("04-06 09:00", "weekly_digest"),
        ("04-06 09:00", "instruction_reminder"),
        ("04-06 09:15", "introduction_checks"),
        ("04-06 09:30", "trend_draft"),
        ("04-06 09:30", "eval_publication"),  # coalesced: once, at its last fire time
        ("04-06 09:30", "event_reminders"),
        ("04-06 09:30", "review_reminders"),
        ("04-06 09:30", "announcements"),
        ("04-06 09:30", "outbox"),
    ]


def test_due_runs_coalesces_the_frequent_job_and_stays_fast():
    """A scenario may jump weeks: the 5-minute job runs once per jump (not 8,000 times), after
    the other jobs due at the same moment, and tiny jumps that cross no 5-minute mark run
    nothing."""
    start = datetime(2026, 4, 1, 9, 0, tzinfo=JST)
    began = time.perf_counter()
    runs = due_runs("Asia/Tokyo", start, datetime(2026, 5, 1, 9, 2, tzinfo=JST))
    assert time.perf_counter() - began < 2.0
    frequent = ("eval_publication", "event_reminders", "review_reminders", "announcements")
    for job in frequent:
        assert [t for t, s in runs if s.id == job] == [datetime(2026, 5, 1, 9, 0, tzinfo=JST)]
    # the outbox runs every minute: once, at its last minute
    assert [t for t, s in runs if s.id == "outbox"] == [datetime(2026, 5, 1, 9, 2, tzinfo=JST)]
    at_nine = [s.id for t, s in runs if t == datetime(2026, 5, 1, 9, 0, tzinfo=JST)]
    assert at_nine[-1] == "announcements" and "instruction_reminder" in at_nine
    tiny = due_runs("Asia/Tokyo", start, datetime(2026, 4, 1, 9, 4, tzinfo=JST))
    assert [s.id for _t, s in tiny] == ["outbox"]  # nothing else crosses a 5-minute mark


def test_reminder_runs_only_on_the_third_business_day_and_once(harness):
    second_day = datetime(2026, 4, 2, 1, tzinfo=UTC)  # 10:00 JST
    third_day = datetime(2026, 4, 3, 1, tzinfo=UTC)
    assert run_monthly_reminder(deps=harness.deps, now=second_day) == 0
    assert run_monthly_reminder(deps=harness.deps, now=third_day) == 3  # yuki, hana, alice
    # a second process (or a restart) running the same slot posts nothing
    assert run_monthly_reminder(deps=harness.deps, now=third_day) == 0
    assert "2026-03" in harness.sandbox.render("dm:U0YUKI")
    assert len(harness.sandbox.conversation("dm:U0YUKI")) == 1


def test_weekly_digest_posts_once_per_week(harness):
    monday = datetime(2026, 4, 6, 0, tzinfo=UTC)
    # the shared digest and the operator digest (with charts)
    assert run_weekly_digest(deps=harness.deps, now=monday) == 2
    assert run_weekly_digest(deps=harness.deps, now=monday) == 0
    digest = harness.sandbox.render("#community-digest")
    assert "Alpha AI" in digest and "2026-03 分の未報告" in digest
    assert len(harness.sandbox.conversation("#community-digest")) == 1
    [operator] = harness.sandbox.conversation("#secretariat")
    assert operator.kind == "file" and "事務局向け" in operator.rendered
