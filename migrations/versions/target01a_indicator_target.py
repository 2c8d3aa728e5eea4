"""Indicators get an optional target value (streefwaarde), drawn as a line on their chart

Revision ID: target01a
Revises: cache01a
Create Date: 2026-12-07 17:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'target01a'
down_revision = 'cache01a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('target')
