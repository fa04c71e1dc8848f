"""accounts: verified e-mail addresses; cases from visitors without an account

users.email_verified_at: when the owner proved the address (a link sent to it, or a
single sign-on provider vouching for it). Accounts that exist before this revision are
counted as verified from now: they signed up when nobody was asked, and holding every
existing member's posts on upgrade would punish them for it (SECURITY.md says so).

sso_identities: an account at the single sign-on provider (issuer, subject) tied to one
here (portal/sso.py).

cases: a visitor's request (Contact support without an account) has no customer but an
address (requester_email), a name and the language they wrote in; customer_id becomes
nullable and a check keeps one of the two.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 10:40:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from portal.database import UtcDateTime


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', UtcDateTime(timezone=True), nullable=True))
    users = sa.table(
        'users',
        sa.column('email_verified_at', UtcDateTime(timezone=True)),
        sa.column('deleted_at', UtcDateTime(timezone=True)),
    )
    op.get_bind().execute(
        users.update().where(users.c.deleted_at.is_(None)).values(email_verified_at=datetime.now(timezone.utc))
    )

    op.create_table(
        'sso_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_sso_identities_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_identities')),
        sa.UniqueConstraint('issuer', 'subject', name='uq_sso_identities_issuer'),
    )
    with op.batch_alter_table('sso_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_identities_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requester_email', sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column('requester_name', sa.String(length=80), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('requester_locale', sa.String(length=8), nullable=True))
        batch_op.alter_column('customer_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_cases_requester_email'), ['requester_email'], unique=False)
        batch_op.create_check_constraint(
            'has_requester', 'customer_id IS NOT NULL OR requester_email IS NOT NULL'
        )


def downgrade():
    # Visitors' requests have no customer to keep them: they cannot survive the downgrade.
    op.execute("DELETE FROM cases WHERE customer_id IS NULL")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cases_has_requester'), type_='check')
        batch_op.drop_index(batch_op.f('ix_cases_requester_email'))
        batch_op.alter_column('customer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('requester_locale')
        batch_op.drop_column('requester_name')
        batch_op.drop_column('requester_email')

    with op.batch_alter_table('sso_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_identities_user_id'))
    op.drop_table('sso_identities')
    # In place: SQLite's batch mode would rebuild users, which the audit log's triggers
    # (migration 0013) name, and the rebuild fails; SQLite drops a plain column by itself.
    op.execute("ALTER TABLE users DROP COLUMN email_verified_at")
