"""Werksessie for a real room: audience view (reveal, timer), erasure, closing choices, upvotes

Revision ID: room01a
Revises: task01a
Create Date: 2026-12-07 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'room01a'
down_revision = 'task01a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revealed_wording_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('timer_ends_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('timer_seconds', sa.Integer(), nullable=True))
    with op.batch_alter_table('session_contributions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('close_reason', sa.Text(), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'session_upvotes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('werksessie_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['contribution_id'], ['session_contributions.id'], ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['participant_id'], ['session_participants.id'], ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(['werksessie_id'], ['work_sessions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('participant_id', 'contribution_id'),
    )
    with op.batch_alter_table('session_upvotes', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_session_upvotes_contribution_id'), ['contribution_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_session_upvotes_werksessie_id'), ['werksessie_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('session_upvotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_upvotes_werksessie_id'))
        batch_op.drop_index(batch_op.f('ix_session_upvotes_contribution_id'))
    op.drop_table('session_upvotes')
    with op.batch_alter_table('session_contributions', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('close_reason')
    with op.batch_alter_table('work_sessions', schema=None) as batch_op:
        batch_op.drop_column('timer_seconds')
        batch_op.drop_column('timer_ends_at')
        batch_op.drop_column('revealed_wording_id')
