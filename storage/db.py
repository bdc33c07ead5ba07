"""Engine and session factory, with the SQLite settings Kiban relies on, and shared column types.

SQLite (the default): WAL journal, a busy timeout, and every transaction begins IMMEDIATE, so a
read that later writes never hits "database is locked" (SQLite's lock upgrade fails at once,
whatever the timeout: https://www.sqlite.org/lang_transaction.html). PostgreSQL when
`DATABASE_URL` names one (`postgresql+psycopg://…`; plain `postgresql://` is mapped to psycopg).

Callers own transactions: `with session_factory.begin() as session: ...`. Storage functions
flush, never commit.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000


class UTCDateTime(TypeDecorator):
    """A datetime stored in UTC and always read back timezone-aware (UTC).

    Raises:
        ValueError: when given a naive datetime (we never guess a zone).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime")
        value = value.astimezone(UTC)
        # SQLite has no zone type: store naive UTC text so ordering stays correct.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def normalize_url(url: str) -> str:
    """Map `postgresql://` and `postgres://` to the psycopg 3 driver; leave others as they are."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_passwords(url: str) -> list[str]:
    """The passwords `url` carries: after the user name, and as a `password` query parameter
    (libpq accepts both). [] for a URL that cannot be read."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return []
    found = [parsed.password] if parsed.password else []
    for key, value in parsed.query.items():
        if key.lower() == "password":
            found += [value] if isinstance(value, str) else list(value)
    return [str(p) for p in found if p]


def safe_url(url: str) -> str:
    """`url` to show people and logs: every password it carries masked as `***`."""
    shown = make_url(url).render_as_string(hide_password=True)
    for password in database_passwords(url):
        shown = shown.replace(password, "***")
    return shown


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine for `url` (SQLite file or memory, or PostgreSQL)."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot say IMMEDIATE; take it over.
    # Recipe: https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    # One writer at a time in this process, waiting in turn on a lock rather than in SQLite's
    # busy handler, which sleeps and polls (1, 2, 5 … 100 ms): under load some transactions
    # lose every poll and wait seconds. SQLite is served by one process (`kiban serve`), so
    # the lock covers almost every waiter; the busy timeout still covers another process.
    writer = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if not writer.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is locked (waited for this process' writer)")
        conn.info["kiban_writer"] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn)
            raise

    def _release(conn) -> None:
        if conn.info.pop("kiban_writer", False):
            writer.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)

    # a connection going back to the pool, or dropped, never keeps the lock (`info` is the
    # pool record's: the same dict a Connection sees)
    def _release_record(_dbapi_connection, record, *_exception) -> None:
        if record.info.pop("kiban_writer", False):
            writer.release()

    event.listen(engine, "checkin", _release_record)
    event.listen(engine, "invalidate", _release_record)


def advisory_lock(session: Session, name: str) -> None:
    """Hold a lock named `name` until the transaction ends, so check-then-write sequences on
    the same thing take turns across processes.

    PostgreSQL: `pg_advisory_xact_lock` on a 64-bit hash of the name. SQLite: nothing to do,
    every write transaction already holds the database's one write lock (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": advisory_key(name)})


def advisory_key(name: str) -> int:
    """PostgreSQL's 64-bit advisory lock key for `name` (the first 8 bytes of its SHA-256)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory; open work with `with factory.begin() as session:`."""
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


def insert_once(session: Session, row):
    """Insert `row` (flushed, id set) unless a unique constraint says it is there already
    (a retried submission, a claimed slot): then None. A savepoint keeps the caller's
    transaction usable after the lost race."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row
