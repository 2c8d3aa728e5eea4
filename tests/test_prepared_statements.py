"""PostgreSQL keeps its prepared statements across requests that only read.

psycopg prepares a statement after its fifth run on a connection and forgets all of them at
every ROLLBACK; ``dla.db.end_unwritten_with_commit`` ends a transaction that only read with
COMMIT instead. Measured with benchmarks/pages.py: the question page on PostgreSQL went
from 29 ms to 16–18 ms."""

from sqlalchemy import event, func, insert, select

from dla.db import _READS
from dla.extensions import db
from dla.regions.models import Region
from tests.conftest import needs_postgres
from tests.factories import log_in, make_agenda, make_user

psycopg_only = needs_postgres("psycopg's prepared statements")


def _prepared(connection) -> list[str]:
    return list(
        connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars()
    )


@psycopg_only
def test_pages_that_only_read_leave_their_statements_prepared(app, client):
    with app.app_context():
        agenda = make_agenda()
        user = make_user(region=agenda.region, role="projectleider")
        db.session.commit()
        agenda_id = agenda.id
        engine = db.engine
        log_in(client, user)
    used = []

    def checked_out(dbapi_connection, _record, _proxy):
        used.append(dbapi_connection)

    event.listen(engine, "checkout", checked_out)
    try:
        for _ in range(8):
            assert client.get(f"/agendas/{agenda_id}").status_code == 200
    finally:
        event.remove(engine, "checkout", checked_out)
    # Every request on this connection loaded the person and the agenda; six of them.
    connection = max(set(used), key=used.count)
    assert used.count(connection) >= 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    connection.rollback()
    assert any("FROM agendas" in s for s in statements), statements
    assert any("FROM users" in s for s in statements), statements


@psycopg_only
def test_a_transaction_that_wrote_is_still_rolled_back(app):
    with app.app_context():
        with db.engine.connect() as connection:
            for _ in range(6):  # prepared now
                connection.execute(select(func.count()).select_from(Region)).scalar()
            connection.execute(insert(Region.__table__).values(name="Teruggedraaid"))
            connection.rollback()
            assert (
                connection.execute(
                    select(func.count()).select_from(Region).where(Region.name == "Teruggedraaid")
                ).scalar()
                == 0
            )
            # A rollback after a write forgets the prepared statements, as psycopg does.
            connection.rollback()


@psycopg_only
def test_a_transaction_that_only_read_ends_with_its_statements_still_prepared(app):
    with app.app_context():
        with db.engine.connect() as connection:
            for _ in range(6):
                connection.execute(select(func.count()).select_from(Region)).scalar()
            assert any("FROM regions" in s for s in _prepared(connection))
            connection.rollback()  # what closing the request's session does
            assert any("FROM regions" in s for s in _prepared(connection))


def test_only_plain_reads_count_as_reads():
    assert _READS.match("SELECT agendas.id FROM agendas")
    assert _READS.match("  select 1")
    assert _READS.match("WITH anon_1 AS (SELECT 1) SELECT * FROM anon_1")
    assert _READS.match("SELECT updated_at, deleted FROM wordings FOR UPDATE")
    for statement in (
        "INSERT INTO regions (name) VALUES ('x')",
        "UPDATE wordings SET label = 'B'",
        "DELETE FROM comments",
        "WITH moved AS (DELETE FROM comments RETURNING id) SELECT count(*) FROM moved",
        "WITH x AS (SELECT 1)\nUPDATE regions SET name = 'y'",
        "SAVEPOINT sa_savepoint_1",
        "CREATE TEMPORARY TABLE t (id int)",
    ):
        assert not _READS.match(statement), statement
