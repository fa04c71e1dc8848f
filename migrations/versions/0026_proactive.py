"""proactive: known issues, their links to threads and cases, followers, surge alerts

Five new tables for the proactive package (issue #20); nothing existing changes. The
automatic-topics model is a file in instance/, not a table.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 11:08:21.530910

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('surge_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('raised_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('first_item_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_item_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('window_count', sa.Integer(), nullable=False),
    sa.Column('baseline_per_window', sa.Double(), nullable=False),
    sa.Column('growth', sa.Double(), nullable=False),
    sa.Column('samples', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('centroid', sa.JSON(), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'declared', 'dismissed')", name=op.f('ck_surge_alerts_status_known')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_surge_alerts_handled_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surge_alerts'))
    )
    with op.batch_alter_table('surge_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surge_alerts_raised_at'), ['raised_at'], unique=False)
        batch_op.create_index('ix_surge_alerts_status_raised', ['status', 'raised_at'], unique=False)

    op.create_table('known_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=True),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', portal.database.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('investigating', 'identified', 'resolved')", name=op.f('ck_known_issues_status_known')),
    sa.ForeignKeyConstraint(['alert_id'], ['surge_alerts.id'], name=op.f('fk_known_issues_alert_id_surge_alerts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_known_issues_declared_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_issues'))
    )
    with op.batch_alter_table('known_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_issues_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_known_issues_created_at'), ['created_at'], unique=False)

    op.create_table('known_issue_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['known_issues.id'], name=op.f('fk_known_issue_follows_issue_id_known_issues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_known_issue_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_issue_follows')),
    sa.UniqueConstraint('issue_id', 'user_id', name='uq_known_issue_follows')
    )
    with op.batch_alter_table('known_issue_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_issue_follows_issue_id'), ['issue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_known_issue_follows_user_id'), ['user_id'], unique=False)

    op.create_table('known_issue_tags',
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['known_issues.id'], name=op.f('fk_known_issue_tags_issue_id_known_issues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_known_issue_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('issue_id', 'tag_id', name=op.f('pk_known_issue_tags'))
    )
    op.create_table('known_issue_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.Column('solved_at', portal.database.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(thread_id IS NULL) <> (case_id IS NULL)', name=op.f('ck_known_issue_links_thread_or_case')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_known_issue_links_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issue_id'], ['known_issues.id'], name=op.f('fk_known_issue_links_issue_id_known_issues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_known_issue_links_linked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['community_threads.id'], name=op.f('fk_known_issue_links_thread_id_community_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_issue_links')),
    sa.UniqueConstraint('issue_id', 'case_id', name='uq_known_issue_links_case'),
    sa.UniqueConstraint('issue_id', 'thread_id', name='uq_known_issue_links_thread')
    )
    with op.batch_alter_table('known_issue_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_issue_links_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_known_issue_links_issue_id'), ['issue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_known_issue_links_solved_at'), ['solved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_known_issue_links_thread_id'), ['thread_id'], unique=False)



def downgrade():
    with op.batch_alter_table('known_issue_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_known_issue_links_thread_id'))
        batch_op.drop_index(batch_op.f('ix_known_issue_links_solved_at'))
        batch_op.drop_index(batch_op.f('ix_known_issue_links_issue_id'))
        batch_op.drop_index(batch_op.f('ix_known_issue_links_case_id'))

    op.drop_table('known_issue_links')
    op.drop_table('known_issue_tags')
    with op.batch_alter_table('known_issue_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_known_issue_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_known_issue_follows_issue_id'))

    op.drop_table('known_issue_follows')
    with op.batch_alter_table('known_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_known_issues_created_at'))
        batch_op.drop_index(batch_op.f('ix_known_issues_alert_id'))

    op.drop_table('known_issues')
    with op.batch_alter_table('surge_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_surge_alerts_status_raised')
        batch_op.drop_index(batch_op.f('ix_surge_alerts_raised_at'))

    op.drop_table('surge_alerts')
