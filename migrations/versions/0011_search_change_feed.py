"""search change feed: one row per document changed, written with the change

Every machine's search index follows this feed in id order (search/feed.py), so a change
reaches every index however its web process fares after the commit. AUTOINCREMENT on
SQLite so ids never go back after old rows are pruned.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 07:20:25.300554

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_key', sa.String(length=40), nullable=False),
    sa.Column('changed_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_changes')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_changes_changed_at'), ['changed_at'], unique=False)



def downgrade():
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_changes_changed_at'))

    op.drop_table('search_changes')
