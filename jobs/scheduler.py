"""The scheduler: one table of jobs with stable ids, explicit zones and generous misfire grace.

APScheduler 3 pitfalls avoided (SLACK.md): every CronTrigger gets `timezone=` (a bare one uses
the host zone); weekdays by name (APScheduler counts 0 = Monday, crontab 0 = Sunday);
`misfire_grace_time` in minutes, not the 1 s default; `coalesce=True` so a backlog runs once.
The scheduler starts only in the serving process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.deps import Deps
from jobs.compute import run_condition_alerts, run_monthly_reminder, run_weekly_digest
from jobs.instructions import run_instruction_reminders

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 30 * 60


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., int]
    cron: dict  # CronTrigger fields


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
)


def trigger_for(spec: JobSpec, timezone: str) -> CronTrigger:
    """The job's trigger in the programme's zone."""
    return CronTrigger(timezone=timezone, **spec.cron)


def _run(spec: JobSpec, deps: Deps) -> None:
    count = spec.func(deps=deps, now=deps.now())
    log.info("job %s delivered %d notice(s)", spec.id, count)


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


def due_runs(timezone: str, start: datetime, end: datetime) -> list[tuple[datetime, JobSpec]]:
    """Every (fire time, job) in (start, end], in time order: what a scheduler would have run.

    Used by scenarios to run jobs at their real trigger times on a simulated clock.
    """
    runs = []
    for spec in JOBS:
        trigger = trigger_for(spec, timezone)
        previous = None
        moment = trigger.get_next_fire_time(None, start)
        while moment is not None and moment <= end:
            if moment > start:
                runs.append((moment.astimezone(UTC), spec))
            previous = moment
            moment = trigger.get_next_fire_time(previous, previous)
            if moment == previous:
                break
    return sorted(runs, key=lambda run: run[0])
