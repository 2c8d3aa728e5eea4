"""Declarative base with a naming convention, shared column mixins, and what each database
needs of its connections (``configure_engine``)."""

import re
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, MetaData, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, aliased, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def shared_alias(model, name: str):
    """``aliased(model, name=name)`` for module level, where every thread of a worker uses
    it. Its column collection is built here, before threads share it: built lazily by two
    threads at once, the alias could be left broken for the life of the process (every
    query with it then fails with "Can't determine which FROM clause to join from"; seen
    in a fresh gunicorn worker under load, reproduced in ``tests/test_structure.py``).
    SQLAlchemy does the same for the aliases it shares between threads."""
    alias = aliased(model, name=name)
    inspect(alias).selectable.c  # noqa: B018 (built now, on purpose)
    return alias


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class LockMixin:
    """Optimistic locking: every UPDATE checks and bumps ``lock_version``."""

    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805
        return {"version_id_col": cls.lock_version}


# How long an SQLite write waits for the database's single write lock before it fails with
# "database is locked" (a 503; nothing is saved). A write holds the lock for a few to some
# tens of milliseconds, but under overload the queue grows: benchmarks/load.py measured
# waits of up to 4.7 s with 50 clients on an overloaded 2-core machine, where 5 s failed a
# few writes. Slow is better than lost; 15 s stays well inside gunicorn's and a proxy's
# timeouts.
SQLITE_BUSY_TIMEOUT_MS = 15_000


def configure_engine(engine) -> None:
    """SQLite: enforce foreign keys, WAL and a busy timeout on every connection.
    PostgreSQL (psycopg): keep prepared statements (``end_unwritten_with_commit``)."""
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        end_unwritten_with_commit(engine)
        return
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


# A statement that only reads: a SELECT, or a WITH … that changes no rows.
_READS = re.compile(r"\s*(?:SELECT\b|WITH\b(?!.*\b(?:INSERT|UPDATE|DELETE|MERGE)\b))", re.I | re.S)
WROTE = "dla_wrote"  # in the connection's info: this transaction sent more than reads


def end_unwritten_with_commit(engine) -> None:
    """End a PostgreSQL transaction that only read with COMMIT instead of ROLLBACK.

    psycopg prepares a statement on the server after its fifth run on a connection, so that
    PostgreSQL plans it once, but forgets (and deallocates) all of them at every ROLLBACK.
    Every request ended with one (the session closes and rolls back), so no statement was
    ever prepared and PostgreSQL planned each statement of each request again: 0.3–0.9 ms
    per statement on this machine, several times what running it costs.

    For a transaction that sent nothing but reads (``_READS``: this app reads with plain
    SELECTs, no function with side effects) COMMIT and ROLLBACK end the same way, and COMMIT
    keeps the prepared statements. Just before SQLAlchemy rolls such a transaction back it
    is committed, so the ROLLBACK finds nothing to do. A transaction that sent anything
    else, or that failed, is rolled back as before."""
    import psycopg
    from psycopg.pq import TransactionStatus
    from sqlalchemy import event

    @event.listens_for(engine, "begin")
    def _began(connection) -> None:
        connection.info[WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _note(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
        if not _READS.match(statement):
            connection.info[WROTE] = True

    @event.listens_for(engine, "rollback")
    def _commit_reads(connection) -> None:
        if connection.info.get(WROTE) is not False or connection.invalidated:
            return
        raw = connection.connection.dbapi_connection
        if raw is None or raw.info.transaction_status != TransactionStatus.INTRANS:
            return
        try:
            raw.commit()
        except psycopg.Error:
            pass  # a broken connection: the ROLLBACK that follows deals with it as before


def take_write_lock(session) -> None:
    """SQLite: start the transaction now, holding the database's write lock (BEGIN IMMEDIATE).

    pysqlite starts a transaction only at the first INSERT, UPDATE or DELETE, so rows read
    before that may already be outdated when the change is written (another request
    committed in between). A request that reads rows in order to change them calls this
    first: it waits (busy timeout) until it is the only writer, then reads current rows.
    Other databases lock the rows they read instead (``SELECT … FOR UPDATE``); no-op there.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
