"""languages: each member's language, and the site's default chosen by admins

users.locale ("en", "fr", or empty to follow the browser) and site_settings (key/value,
the admins' default language) for portal/i18n.py.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 08:43:38.434703

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_site_settings'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')

    op.drop_table('site_settings')
