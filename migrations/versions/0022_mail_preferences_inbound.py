"""mail: notifications carry their text and reply target; e-mail preferences per category

notifications.body (what the notification is about, for the e-mail) and
notifications.reply_target (what answering the e-mail adds to); email_preferences (each
person's choice per category: each, daily, weekly, off).

Revision ID: 0022
Revises: 0019
Create Date: 2026-11-30 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reply_target', sa.String(length=40), server_default='', nullable=False))

    op.create_table(
        'email_preferences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('mode', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_preferences_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_email_preferences')),
        sa.UniqueConstraint('user_id', 'category', name=op.f('uq_email_preferences_user_id')),
    )
    with op.batch_alter_table('email_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_preferences_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('email_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_preferences_user_id'))
    op.drop_table('email_preferences')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('reply_target')
        batch_op.drop_column('body')
