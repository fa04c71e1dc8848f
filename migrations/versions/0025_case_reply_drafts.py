"""cases: an agent's unsent reply kept on the server (case_reply_drafts)

Inserting a macro or a link, or adding a note, no longer loses the reply being written
(moderation/cases/drafts.py).

Numbered 0025 because main took 0022–0024 (mail, API tokens, attachments) while this was
written; on this branch it follows 0021, merged after main it follows 0024.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 11:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_reply_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', portal.database.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_case_reply_drafts_agent_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_reply_drafts_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_reply_drafts')),
    sa.UniqueConstraint('case_id', 'agent_id', name='uq_case_reply_draft')
    )
    with op.batch_alter_table('case_reply_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_reply_drafts_agent_id'), ['agent_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_reply_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_reply_drafts_agent_id'))
    op.drop_table('case_reply_drafts')
