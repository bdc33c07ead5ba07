"""All tables, gathered for Alembic and tests: importing this module registers every model."""

from sqlmodel import SQLModel

from storage import (  # noqa: F401  (registers the tables)
    alerts,
    announcements,
    change_requests,
    compute,
    data_holders,
    data_requests,
    evals,
    events,
    instructions,
    jobs,
    members,
    outbox,
    practices,
    progress,
    reviews,
    slack_events,
    trends,
)

metadata = SQLModel.metadata
