"""moderation: a rule hit's reason as the catalog's message and its values (params)

moderation_rule_hits.reason now holds the message as the catalog knows it ("Contains the
watched term “%(term)s”") and the new params column its values ({"term": "scam"}), so
moderators and authors each read the reason in their own language (moderation/reasons.py).
Rows written before were English sentences with the values inside: the shapes the rules
wrote are turned into message and values here; anything else keeps its text, no params,
and is shown as stored.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 10:00:00

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# The English sentences moderation/rules.py wrote until now → its catalog messages.
# A copy, not an import: a migration must read the same whatever the code becomes.
AFTER_EDIT = re.compile(r"After an edit: (?P<reason>.*)", re.DOTALL)
SHAPES = [
    (re.compile(r"Contains the watched term “(?P<term>.*)”", re.DOTALL),
     "Contains the watched term “%(term)s”"),
    (re.compile(r"Watched pattern “(?P<term>.*)” timed out", re.DOTALL),
     "Watched pattern “%(term)s” timed out"),
    (re.compile(r"Contains (?P<links>\d+) links \(more than (?P<max>\d+) for new members\)"),
     "Contains %(links)d links (more than %(max)d for new members)"),
    (re.compile(r"Seems to show personal data \((?P<kinds>[a-z, -]+)\); "
                r"a moderator checks it to protect you"),
     "Seems to show personal data (%(kinds)s); a moderator checks it to protect you"),
    (re.compile(r"Posts from new members are reviewed before they appear"),
     "Posts from new members are reviewed before they appear"),
    (re.compile(r"The same text was posted in another thread"),
     "The same text was posted in another thread"),
]


def message_and_params(text: str) -> tuple[str, dict] | None:
    """The catalog's message and values of a stored English reason; None if unknown."""
    after = AFTER_EDIT.fullmatch(text)
    if after:
        inner = message_and_params(after.group("reason"))
        if inner is None:
            return None
        return "After an edit: %(reason)s", {"reason": {"message": inner[0], "params": inner[1]}}
    for pattern, message in SHAPES:
        found = pattern.fullmatch(text)
        if found:
            params = found.groupdict()
            for number in ("links", "max"):
                if number in params:
                    params[number] = int(params[number])
            if "kinds" in params:
                params["kinds"] = params["kinds"].split(", ")
            return message, params
    return None


def _hits():
    """The columns of moderation_rule_hits this migration reads and writes."""
    return sa.table(
        'moderation_rule_hits',
        sa.column('id', sa.Integer),
        sa.column('reason', sa.String),
        sa.column('params', sa.JSON),
    )


def upgrade():
    with op.batch_alter_table('moderation_rule_hits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))

    hits = _hits()
    bind = op.get_bind()
    for hit_id, reason in bind.execute(sa.select(hits.c.id, hits.c.reason)).all():
        found = message_and_params(reason or "")
        if found is not None:
            bind.execute(
                hits.update()
                .where(hits.c.id == hit_id)
                .values(reason=found[0], params=found[1])
            )


def downgrade():
    # The stored messages are English with placeholders; written out again, in English.
    hits = _hits()
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(hits.c.id, hits.c.reason, hits.c.params).where(hits.c.params.is_not(None))
    ).all()
    for hit_id, reason, params in rows:
        bind.execute(
            hits.update().where(hits.c.id == hit_id).values(reason=_english(reason, params))
        )
    with op.batch_alter_table('moderation_rule_hits', schema=None) as batch_op:
        batch_op.drop_column('params')


def _english(message: str, params: dict | None) -> str:
    values = {}
    for name, value in (params or {}).items():
        if isinstance(value, dict):
            value = _english(value.get("message", ""), value.get("params"))
        elif isinstance(value, list):
            value = ", ".join(value)
        values[name] = value
    return message % values if values else message
