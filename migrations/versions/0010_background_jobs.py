"""background jobs: the jobs outbox, periodic runs, notification e-mail batching

The jobs table is the transactional outbox of portal/jobs (one row per job, deleted with
the job's own changes); periodic_runs makes each periodic job run once per period across
workers; notifications remember whether they still have to be e-mailed, so the e-mail job
sends a person's waiting notifications as one message.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 07:02:22.032573

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('run_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('failed_at', portal.database.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_status_lease_until', ['status', 'lease_until'], unique=False)
        batch_op.create_index('uq_jobs_pending_key', ['key'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('periodic_runs',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slot', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', 'slot', name=op.f('pk_periodic_runs'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_wanted', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('emailed_at', portal.database.UtcDateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('emailed_at')
        batch_op.drop_column('email_wanted')

    op.drop_table('periodic_runs')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_jobs_pending_key', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_jobs_status_lease_until')

    op.drop_table('jobs')
