"""Taskforce register: decision owners, deadlines and follow-up history; milestone deadlines

Decisions get an owner (free text) and a deadline; every follow-up ("Vervolg") becomes a
row of its own, so a new one never overwrites the earlier ones. Existing follow-up texts
become the first entry of their decision's history. Milestones may get an explicit deadline
besides their free-text term.

Revision ID: task01a
Revises: cite01a
Create Date: 2026-12-07 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'task01a'
down_revision = 'cite01a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.alter_column('owner', server_default=None)
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))

    op.create_table(
        'decision_follow_ups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('written_on', sa.Date(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('author_name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'],
                                name=op.f('fk_decision_follow_ups_decision_id_decisions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['region_id'], ['regions.id'],
                                name=op.f('fk_decision_follow_ups_region_id_regions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_follow_ups')),
    )
    with op.batch_alter_table('decision_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_follow_ups_decision_id'), ['decision_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_decision_follow_ups_region_id'), ['region_id'],
                              unique=False)
    # The follow-up texts written so far become the first entry of each history.
    op.execute(
        "INSERT INTO decision_follow_ups (region_id, decision_id, written_on, text, status, "
        "author_name, created_at, updated_at) "
        "SELECT region_id, decision_id_src, decided_on, follow_up, status, author_name, "
        "updated_at, updated_at FROM (SELECT id AS decision_id_src, region_id, decided_on, "
        "follow_up, status, author_name, updated_at FROM decisions WHERE follow_up <> '') AS d"
    )


def downgrade():
    with op.batch_alter_table('decision_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_follow_ups_region_id'))
        batch_op.drop_index(batch_op.f('ix_decision_follow_ups_decision_id'))
    op.drop_table('decision_follow_ups')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_column('due_on')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('due_on')
        batch_op.drop_column('owner')
