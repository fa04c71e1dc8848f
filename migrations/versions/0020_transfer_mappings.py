"""transfer: the mapping of imported items to local rows (idempotent, resumable imports)

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 11:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'transfer_mappings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('source_id', sa.String(length=300), nullable=False),
        sa.Column('local_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('imported_at', portal.database.UtcDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', portal.database.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_mappings')),
        sa.UniqueConstraint('source', 'kind', 'source_id', name='uq_transfer_mappings_item'),
    )


def downgrade():
    op.drop_table('transfer_mappings')
