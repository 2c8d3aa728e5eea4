"""Audit entries know their version, thread and werksessie

The audit log hides entries about versions, threads and werksessies the reader may not
see (restricted versions). Existing entries get these ids from the rows they describe
when those still exist; an entry about a version's row whose version cannot be found any
more stays hidden from everyone but the projectleiders.

Revision ID: 5e1c0a7d2b94
Revises: 872a7e4350a7
Create Date: 2026-12-07 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1c0a7d2b94'
down_revision = '872a7e4350a7'
branch_labels = None
depends_on = None

# entity -> (column, SQL that finds it from the described row's id)
BACKFILL = [
    ("versie", "version_id", "SELECT audit_entries.entity_id"),
    ("vraag", "version_id", "SELECT version_id FROM wordings WHERE id = audit_entries.entity_id"),
    ("vraag", "thread_id", "SELECT thread_id FROM wordings WHERE id = audit_entries.entity_id"),
    ("groep", "version_id",
     "SELECT version_id FROM version_groups WHERE id = audit_entries.entity_id"),
    ("overgang", "version_id",
     "SELECT version_id FROM transitions WHERE id = audit_entries.entity_id"),
    ("deelvraag", "version_id",
     "SELECT w.version_id FROM subquestions s JOIN wordings w ON w.id = s.wording_id "
     "WHERE s.id = audit_entries.entity_id"),
    ("reactie", "version_id", "SELECT version_id FROM comments WHERE id = audit_entries.entity_id"),
    ("reactie", "thread_id", "SELECT thread_id FROM comments WHERE id = audit_entries.entity_id"),
    ("koppeling", "thread_id",
     "SELECT thread_id FROM barrier_links WHERE id = audit_entries.entity_id"),
    ("mijlpaalkoppeling", "thread_id",
     "SELECT thread_id FROM milestone_links WHERE id = audit_entries.entity_id"),
    ("koppeling meting–leervraag", "thread_id",
     "SELECT thread_id FROM indicator_links WHERE id = audit_entries.entity_id"),
    ("sessie", "werksessie_id", "SELECT audit_entries.entity_id"),
    ("sessiebesluit", "werksessie_id",
     "SELECT werksessie_id FROM session_decisions WHERE id = audit_entries.entity_id"),
    ("sessievraag", "werksessie_id",
     "SELECT werksessie_id FROM session_contributions WHERE id = audit_entries.entity_id"),
]


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('thread_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('werksessie_id', sa.Integer(), nullable=True))
    for entity, column, finder in BACKFILL:
        op.execute(
            sa.text(f"UPDATE audit_entries SET {column} = ({finder}) WHERE entity = :entity")
            .bindparams(entity=entity)
        )


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('werksessie_id')
        batch_op.drop_column('thread_id')
        batch_op.drop_column('version_id')
