"""Scheduled jobs (APScheduler 3). `jobs.scheduler` builds the scheduler from one job table."""
