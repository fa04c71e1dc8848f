"""kb articles linked to the article they translate; the portal's revision notes in every language

kb_articles.translation_of_id: the original an article translates (kb/translation_links.py),
one translation per language of an original (a unique index). kb_revisions.note_params: set
when the portal wrote the note ("First version", "Restored revision 3"…): the note is then
a catalog message, shown in each reader's language. The notes the portal wrote before are
turned into such messages here.

On SQLite the column is added in place, not by batch mode: rebuilding kb_articles drops the
old table, and with foreign keys on, SQLite's DROP TABLE first deletes its rows, and with
them (ON DELETE CASCADE) every revision, vote, tag link and old slug of the articles.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 09:30:00.000000

"""

import json
import re

import sqlalchemy as sa
from alembic import op

import portal.database  # noqa: F401


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_kb_articles_translation_of_id_kb_articles"
ONE_PER_LANGUAGE = "ix_kb_articles_translation_of_id_language"
# The notes kb/service.py and kb/promotion.py wrote in English, and their catalog messages
# (written out: a migration does not follow later code changes).
SYSTEM_NOTES = (
    (re.compile(r"First version"), "First version", None),
    (re.compile(r"Restored revision (\d+)"), "Restored revision %(number)s", "number"),
    (
        re.compile(r"Promoted from community thread #(\d+)"),
        "Promoted from community thread #%(thread)s",
        "thread",
    ),
)
revisions = sa.table(
    "kb_revisions",
    sa.column("id", sa.Integer),
    sa.column("note", sa.String),
    sa.column("note_params", sa.JSON),
)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE kb_articles ADD COLUMN translation_of_id INTEGER "
            f"CONSTRAINT {FOREIGN_KEY} REFERENCES kb_articles (id)"
        )
    else:
        op.add_column("kb_articles", sa.Column("translation_of_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            FOREIGN_KEY, "kb_articles", "kb_articles", ["translation_of_id"], ["id"]
        )
    op.create_index(ONE_PER_LANGUAGE, "kb_articles", ["translation_of_id", "language"], unique=True)
    op.add_column("kb_revisions", sa.Column("note_params", sa.JSON(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(revisions.c.id, revisions.c.note).where(
            sa.or_(
                revisions.c.note == "First version",
                revisions.c.note.like("Restored revision %"),
                revisions.c.note.like("Promoted from community thread #%"),
            )
        )
    ).all()
    for revision_id, note in rows:
        for pattern, message, param in SYSTEM_NOTES:
            match = pattern.fullmatch(note)
            if match:
                params = {param: int(match[1])} if param else {}
                connection.execute(
                    revisions.update()
                    .where(revisions.c.id == revision_id)
                    .values(note=message, note_params=params)
                )
                break


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(revisions.c.id, revisions.c.note, revisions.c.note_params).where(
            revisions.c.note_params.is_not(None)
        )
    ).all()
    for revision_id, note, params in rows:
        if isinstance(params, str):  # some drivers hand JSON back as text
            params = json.loads(params)
        connection.execute(
            revisions.update()
            .where(revisions.c.id == revision_id)
            .values(note=note % params if params else note)
        )
    op.drop_index(ONE_PER_LANGUAGE, table_name="kb_articles")
    if connection.dialect.name == "sqlite":  # in place, for the reason given above
        op.execute("ALTER TABLE kb_revisions DROP COLUMN note_params")
        op.execute("ALTER TABLE kb_articles DROP COLUMN translation_of_id")
    else:
        op.drop_column("kb_revisions", "note_params")
        op.drop_constraint(FOREIGN_KEY, "kb_articles", type_="foreignkey")
        op.drop_column("kb_articles", "translation_of_id")
