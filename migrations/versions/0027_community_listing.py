"""community listing: threads carry what the lists filter and sort on; tab counts stored

Issue #22: a list page counted four filter tabs and its pages by joining every question
post. Threads get the question's visibility, language and score and whether the thread is
solved (kept by community/listing.py), an index per sort, and community_list_counts holds
each topic's tab counts per language. Both are filled here with set-based statements, so
an existing database of 100k threads is upgraded in seconds.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

threads = sa.table(
    'community_threads',
    sa.column('id', sa.Integer), sa.column('reply_count', sa.Integer),
    sa.column('is_listed', sa.Boolean), sa.column('question_language', sa.String),
    sa.column('question_score', sa.Integer), sa.column('is_solved', sa.Boolean),
)
posts = sa.table(
    'community_posts',
    sa.column('thread_id', sa.Integer), sa.column('is_question', sa.Boolean),
    sa.column('status', sa.String), sa.column('language', sa.String),
    sa.column('score', sa.Integer),
)
solutions = sa.table('community_solutions', sa.column('thread_id', sa.Integer))
thread_tags = sa.table(
    'community_thread_tags', sa.column('thread_id', sa.Integer), sa.column('tag_id', sa.Integer)
)
counts = sa.table(
    'community_list_counts',
    sa.column('tag_id', sa.Integer), sa.column('language', sa.String),
    sa.column('unanswered', sa.Integer), sa.column('answered', sa.Integer),
    sa.column('solved', sa.Integer),
)


def upgrade():
    with op.batch_alter_table('community_threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_listed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('question_language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('question_score', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('is_solved', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_community_threads_listed_active', ['is_listed', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_community_threads_listed_newest', ['is_listed', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_community_threads_listed_votes', ['is_listed', 'question_score', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_community_threads_listed_counts', ['is_listed', 'question_language', 'is_solved', 'reply_count'], unique=False)

    op.create_table('community_list_counts',
    sa.Column('tag_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('unanswered', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('solved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tag_id', 'language', name=op.f('pk_community_list_counts'))
    )

    # The same values as community.listing.listing_values, for every thread at once.
    question = sa.and_(posts.c.thread_id == threads.c.id, posts.c.is_question.is_(True))
    op.execute(threads.update().values(
        is_listed=sa.exists().where(question, posts.c.status == 'visible'),
        question_language=sa.select(posts.c.language).where(question).limit(1).scalar_subquery(),
        question_score=sa.func.coalesce(sa.select(posts.c.score).where(question).limit(1).scalar_subquery(), 0),
        is_solved=sa.exists().where(solutions.c.thread_id == threads.c.id),
    ))

    unanswered = sa.and_(threads.c.is_solved.is_(False), threads.c.reply_count == 0)
    answered = sa.and_(threads.c.is_solved.is_(False), threads.c.reply_count > 0)
    buckets = (
        sa.func.coalesce(sa.func.sum(sa.case((unanswered, 1), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((answered, 1), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((threads.c.is_solved, 1), else_=0)), 0),
    )
    listed = threads.c.is_listed.is_(True)
    columns = ['tag_id', 'language', 'unanswered', 'answered', 'solved']
    tagged = threads.join(thread_tags, thread_tags.c.thread_id == threads.c.id)
    every_topic, every_language = sa.literal_column('0'), sa.literal_column("''")
    language, tag = threads.c.question_language, thread_tags.c.tag_id
    # Per topic (0: every topic) and language ('': every language); the every-topic,
    # every-language row exists even on an empty site (writers lock it).
    for rows in (
        sa.select(every_topic, language, *buckets).where(listed).group_by(language),
        sa.select(every_topic, every_language, *buckets).where(listed),
        sa.select(tag, language, *buckets).select_from(tagged).where(listed).group_by(tag, language),
        sa.select(tag, every_language, *buckets).select_from(tagged).where(listed).group_by(tag),
    ):
        op.execute(counts.insert().from_select(columns, rows))


def downgrade():
    op.drop_table('community_list_counts')
    with op.batch_alter_table('community_threads', schema=None) as batch_op:
        batch_op.drop_index('ix_community_threads_listed_counts')
        batch_op.drop_index('ix_community_threads_listed_votes')
        batch_op.drop_index('ix_community_threads_listed_newest')
        batch_op.drop_index('ix_community_threads_listed_active')
        batch_op.drop_column('is_solved')
        batch_op.drop_column('question_score')
        batch_op.drop_column('question_language')
        batch_op.drop_column('is_listed')
