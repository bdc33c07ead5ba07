"""The scheduler: one table of jobs with stable ids, explicit zones and generous misfire grace.

APScheduler 3 pitfalls avoided (SLACK.md): every CronTrigger gets `timezone=` (a bare one uses
the host zone); weekdays by name (APScheduler counts 0 = Monday, crontab 0 = Sunday);
`misfire_grace_time` in minutes, not the 1 s default; `coalesce=True` so a backlog runs once.
The scheduler starts only in the serving process.

`outbox` runs every minute (messages held for quiet hours, waiting for a retry after Slack
failed, or left by a crash); `due_runs`, which plays
jobs on a scenario's simulated clock, coalesces such a frequent job to one run per call, at
its last fire time, as APScheduler's `coalesce=True` does with a backlog: a scenario that
jumps weeks runs it once, not thousands of times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.deps import Deps
from jobs.announcements import run_announcements
from jobs.compute import run_condition_alerts, run_monthly_reminder, run_weekly_digest
from jobs.delivery import run_outbox, run_outbox_purge
from jobs.evals import run_eval_publication
from jobs.events import run_event_reminders
from jobs.instructions import run_instruction_reminders
from jobs.introductions import run_introduction_checks
from jobs.practices import run_practice_digest
from jobs.progress import run_progress_reminder
from jobs.reviews import run_review_reminders
from jobs.trend_report import run_trend_draft
from jobs.trends import run_trend_feeds

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 30 * 60
# a frequent job fires at least this often; due_runs looks this far back for its last fire time
FREQUENT_LOOKBACK = timedelta(hours=1)


@dataclass(frozen=True)
class JobSpec:
    """A job: stable `id`, `func(deps=, now=)` → messages handled, CronTrigger fields `cron`.
    `frequent`: it fires at least hourly and `due_runs` coalesces it to one run per call."""

    id: str
    func: Callable[..., int]
    cron: dict  # CronTrigger fields
    frequent: bool = False


JOBS = (
    # daily check at 10:00 on weekdays; the job itself acts only on the 3rd business day
    JobSpec("monthly_reminder", run_monthly_reminder, {"day_of_week": "mon-fri", "hour": 10}),
    JobSpec("weekly_digest", run_weekly_digest, {"day_of_week": "mon", "hour": 9}),
    # business mornings only, so alerts never land at night, on weekends or holidays (JST)
    JobSpec(
        "condition_alerts",
        run_condition_alerts,
        {"day_of_week": "mon-fri", "hour": 10, "minute": 30},
    ),
    # daily at 09:00: reminds leads of unacknowledged instructions due the next day
    JobSpec("instruction_reminder", run_instruction_reminders, {"hour": 9, "minute": 0}),
    JobSpec(
        "introduction_checks",
        run_introduction_checks,
        {"day_of_week": "mon-fri", "hour": 9, "minute": 15},
    ),
    # every 5 minutes: approved evaluation results whose embargo time has come
    JobSpec("eval_publication", run_eval_publication, {"minute": "*/5"}, frequent=True),
    # every 5 minutes: event reminders, the start, surveys, their summary, non-responders
    # (before outbox, so a DM it holds for quiet hours is stored before that runs)
    JobSpec("event_reminders", run_event_reminders, {"minute": "*/5"}, frequent=True),
    # daily 07:00: the configured trend feeds (RSS/Atom, arXiv, Hugging Face), before digests
    JobSpec("trend_feeds", run_trend_feeds, {"hour": 7, "minute": 0}),
    # weekdays 09:30: on the month's first business day, the trend report's draft for review
    JobSpec("trend_draft", run_trend_draft, {"day_of_week": "mon-fri", "hour": 9, "minute": 30}),
    # every 15 minutes: review scoring reminders (3 days, 1 day before) and closing notices
    JobSpec("review_reminders", run_review_reminders, {"minute": "*/15"}, frequent=True),
    # weekdays 10:05: survey projects' missing progress reports (on the 3rd business day)
    JobSpec(
        "progress_reminder",
        run_progress_reminder,
        {"day_of_week": "mon-fri", "hour": 10, "minute": 5},
    ),
    # weekdays 09:45: on a quarter's first business day, the best practices approved in the last
    JobSpec(
        "practice_digest", run_practice_digest, {"day_of_week": "mon-fri", "hour": 9, "minute": 45}
    ),
    # every 5 minutes: approved announcements whose publication time has come
    JobSpec("announcements", run_announcements, {"minute": "*/5"}, frequent=True),
    # every minute: the outbox (held for quiet hours, retries after Slack failed, a crash's)
    JobSpec("outbox", run_outbox, {"minute": "*"}, frequent=True),
    # daily 04:00: outbox rows sent or given up over 30 days ago are deleted
    JobSpec("outbox_purge", run_outbox_purge, {"hour": 4, "minute": 0}),
)


def trigger_for(spec: JobSpec, timezone: str) -> CronTrigger:
    """The job's trigger in the programme's zone."""
    return CronTrigger(timezone=timezone, **spec.cron)


def _run(spec: JobSpec, deps: Deps) -> None:
    count = spec.func(deps=deps, now=deps.now())
    level = logging.DEBUG if spec.frequent and not count else logging.INFO
    log.log(level, "job %s delivered %d notice(s)", spec.id, count)


def build_scheduler(deps: Deps) -> BackgroundScheduler:
    """A BackgroundScheduler with every job of JOBS registered (not started)."""
    zone = deps.settings.timezone
    scheduler = BackgroundScheduler(
        timezone=zone,
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            "max_instances": 1,
        },
    )
    for spec in JOBS:
        scheduler.add_job(
            _run,
            trigger_for(spec, zone),
            args=(spec, deps),
            id=spec.id,
            name=spec.id,
            replace_existing=True,
        )
    return scheduler


def _fire_times(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """The trigger's fire times in (start, end]."""
    times = []
    previous = None
    moment = trigger.get_next_fire_time(None, start)
    while moment is not None and moment <= end:
        if moment > start:
            times.append(moment)
        previous = moment
        moment = trigger.get_next_fire_time(previous, previous)
        if moment == previous:
            break
    return times


def due_runs(timezone: str, start: datetime, end: datetime) -> list[tuple[datetime, JobSpec]]:
    """Every (fire time, job) in (start, end] (aware), in time order (UTC): what a scheduler
    would have run. A `frequent` job appears once, at its last fire time in the window
    (coalesced), and after the other jobs due at that same moment.

    Used by scenarios to run jobs at their real trigger times on a simulated clock.
    """
    runs = []
    for spec in JOBS:
        trigger = trigger_for(spec, timezone)
        if spec.frequent:
            times = _fire_times(trigger, max(start, end - FREQUENT_LOOKBACK), end)
            if not times and end - start > FREQUENT_LOOKBACK:  # fires less often than declared
                times = _fire_times(trigger, start, end)
            times = times[-1:]
        else:
            times = _fire_times(trigger, start, end)
        runs += [(moment.astimezone(UTC), spec) for moment in times]
    return sorted(runs, key=lambda run: (run[0], run[1].frequent))
