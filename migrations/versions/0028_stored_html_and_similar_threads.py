"""stored HTML of posts and articles; the similar-questions lists

Posts and articles keep their Markdown rendered (body_html, for articles toc_html too)
with the renderer version that made it (html_version). Existing rows are left NULL, which
means "render when shown": adding nullable columns is instant on SQLite and PostgreSQL
whatever the number of rows, and `flask markdown rerender` fills them in batches
afterwards. search_similar_threads holds each thread's closest questions (derived: filled
by the search.similar_threads job as threads change, or by `flask search similar`).

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-30 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('community_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('html_version', sa.String(length=40), nullable=True))

    with op.batch_alter_table('kb_articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('toc_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('html_version', sa.String(length=40), nullable=True))

    op.create_table('search_similar_threads',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('similar_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['similar_id'], ['community_threads.id'], name=op.f('fk_search_similar_threads_similar_id_community_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['community_threads.id'], name=op.f('fk_search_similar_threads_thread_id_community_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'position', name=op.f('pk_search_similar_threads'))
    )
    with op.batch_alter_table('search_similar_threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_similar_threads_similar_id'), ['similar_id'], unique=False)


def downgrade():
    with op.batch_alter_table('search_similar_threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_similar_threads_similar_id'))

    op.drop_table('search_similar_threads')
    with op.batch_alter_table('kb_articles', schema=None) as batch_op:
        batch_op.drop_column('html_version')
        batch_op.drop_column('toc_html')
        batch_op.drop_column('body_html')

    with op.batch_alter_table('community_posts', schema=None) as batch_op:
        batch_op.drop_column('html_version')
        batch_op.drop_column('body_html')
