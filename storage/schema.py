"""All tables, gathered for Alembic and tests: importing this module registers every model."""

from sqlmodel import SQLModel

from storage import alerts, compute, instructions, jobs, members  # noqa: F401  (registers the tables)

metadata = SQLModel.metadata
