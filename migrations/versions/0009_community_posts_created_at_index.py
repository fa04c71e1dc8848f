"""index community posts by creation time (dashboard: posts of a period)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 02:10:00.000000

bench/dashboard.py at 100k threads (SQLite): the top contributors' replies of a 30-day
period took 0.53 s of CPU without it (SQLite walked the author index to group), 0.08 s
with it. See docs/benchmarks.md, "Dashboard".
"""
from alembic import op

import portal.database


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('community_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_posts_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('community_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_posts_created_at'))
