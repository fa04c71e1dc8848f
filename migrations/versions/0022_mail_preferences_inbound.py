"""mail: notifications carry their text and reply target; e-mail preferences; inbound mail

notifications.body (what the notification is about, for the e-mail) and
notifications.reply_target (what answering the e-mail adds to); email_preferences (each
person's choice per category: each, daily, weekly, off); mail_inbound (received messages
and what became of them); mail_references (Message-IDs by case, for threading); cases may
come by e-mail (channel 'email').

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 11:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
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


    op.create_table(
        'mail_inbound',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('received_at', portal.database.UtcDateTime(timezone=True), nullable=False),
        sa.Column('envelope_from', sa.String(length=320), nullable=False),
        sa.Column('recipients', sa.Text(), nullable=False),
        sa.Column('sender', sa.String(length=320), nullable=False),
        sa.Column('message_id', sa.String(length=250), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('outcome', sa.String(length=500), nullable=False),
        sa.Column('answered', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('handled_at', portal.database.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_inbound')),
    )
    with op.batch_alter_table('mail_inbound', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_inbound_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_inbound_sender'), ['sender'], unique=False)

    op.create_table(
        'mail_references',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=250), nullable=False),
        sa.Column('target', sa.String(length=40), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', portal.database.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_references_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_references')),
        sa.UniqueConstraint('message_id', name=op.f('uq_mail_references_message_id')),
    )
    with op.batch_alter_table('mail_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_references_target'), ['target'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('channel_known', type_='check')
        batch_op.create_check_constraint(
            'channel_known', "channel IN ('community', 'contact form', 'moderator', 'email')"
        )


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('channel_known', type_='check')
        batch_op.create_check_constraint(
            'channel_known', "channel IN ('community', 'contact form', 'moderator')"
        )
    with op.batch_alter_table('mail_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_references_target'))
    op.drop_table('mail_references')
    with op.batch_alter_table('mail_inbound', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_inbound_sender'))
        batch_op.drop_index(batch_op.f('ix_mail_inbound_received_at'))
    op.drop_table('mail_inbound')
    with op.batch_alter_table('email_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_preferences_user_id'))
    op.drop_table('email_preferences')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('reply_target')
        batch_op.drop_column('body')
