"""Change stamps per region and agenda (keys of the page and chart cache)

Revision ID: cache01a
Revises: room01a
Create Date: 2026-12-07 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cache01a'
down_revision = 'room01a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'change_stamps',
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('key', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_change_stamps')),
    )


def downgrade():
    op.drop_table('change_stamps')
