"""Report references on versions, quotations of questions, the region's glossary

Revision ID: cite01a
Revises: 5e1c0a7d2b94
Create Date: 2026-12-07 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cite01a'
down_revision = '5e1c0a7d2b94'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('report_reference', sa.String(length=100), nullable=False, server_default='')
        )
    op.create_table(
        'quotations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('wording_id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('tag', sa.String(length=300), nullable=False),
        sa.Column('cited_on', sa.Date(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['region_id'], ['regions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['wording_id'], ['wordings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('quotations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotations_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotations_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotations_wording_id'), ['wording_id'], unique=False)
    op.create_table(
        'glossary_terms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=80), nullable=False),
        sa.Column('definition', sa.Text(), nullable=False),
        sa.Column('lock_version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['regions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('region_id', 'term'),
    )
    with op.batch_alter_table('glossary_terms', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_glossary_terms_region_id'), ['region_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('glossary_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_glossary_terms_region_id'))
    op.drop_table('glossary_terms')
    with op.batch_alter_table('quotations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotations_wording_id'))
        batch_op.drop_index(batch_op.f('ix_quotations_thread_id'))
        batch_op.drop_index(batch_op.f('ix_quotations_region_id'))
    op.drop_table('quotations')
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.drop_column('report_reference')
