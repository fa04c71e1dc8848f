"""community posts know their language; existing posts get the one detection finds

community_posts.language ("en", "fr"): chosen by the author on the ask and reply forms,
or detected when written (portal.text_language). A thread's language is its question's.
Existing posts are filled here by the same detection: a question from its title and body
(English when the words do not tell), a reply from its body, else its thread's language
(a short "Merci !" in a French thread is French).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import portal.database
from portal.text_language import detect_language


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))

    connection = op.get_bind()
    threads = sa.table("community_threads", sa.column("id"), sa.column("title"))
    posts = sa.table(
        'community_posts', sa.column('id'), sa.column('thread_id'), sa.column('is_question'),
        sa.column('body'), sa.column('language'),
    )  # fmt: skip
    found: dict[str, list[int]] = {}
    thread_language: dict[int, str] = {}
    # Questions first: a reply falls back on its thread's language.
    questions = connection.execute(
        sa.select(posts.c.id, posts.c.thread_id, threads.c.title, posts.c.body)
        .join(threads, threads.c.id == posts.c.thread_id)
        .where(posts.c.is_question.is_(True))
    )
    for post_id, thread_id, title, body in questions:
        language = detect_language(f"{title}\n{body}")
        thread_language[thread_id] = language
        found.setdefault(language, []).append(post_id)
    replies = connection.execute(
        sa.select(posts.c.id, posts.c.thread_id, posts.c.body).where(posts.c.is_question.is_(False))
    )
    for post_id, thread_id, body in replies:
        language = detect_language(body, default=thread_language.get(thread_id, "en"))
        found.setdefault(language, []).append(post_id)
    for language, ids in found.items():
        for start in range(0, len(ids), BATCH):
            connection.execute(
                posts.update()
                .where(posts.c.id.in_(ids[start : start + BATCH]))
                .values(language=language)
            )

    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.alter_column("language", existing_type=sa.String(length=8), nullable=False)


def downgrade():
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.drop_column("language")
