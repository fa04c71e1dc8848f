"""users deleted_at; the audit log lets a deleted member's name be replaced, nothing else

Deleting an account keeps its users row, emptied of personal data and marked by
deleted_at, so posts, cases and audit entries keep the id they name (portal/privacy.py).
The audit log's entries stay append-only with one exception, checked by the database
itself: an UPDATE may replace ``actor_name`` (of the entry's actor) or ``target_label``
(of an entry about a user) with the pseudonym 'Deleted member', only when that user's
account is deleted, and only if no other column changes. Every other UPDATE, and every
DELETE (and TRUNCATE on PostgreSQL), is still refused.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "moderation_audit_log is append-only"
# portal.models.DELETED_NAME, written out: a migration does not follow later code changes.
PSEUDONYM = "Deleted member"
UNCHANGED_COLUMNS = (
    "id", "at", "actor_id", "action", "target_type", "target_id", "reason", "before_text",
    "after_text",
)


def erasure_only(same) -> str:
    """SQL true when an UPDATE of one entry only pseudonymises a deleted member's name;
    ``same(a, b)`` is the dialect's null-safe equality."""
    deleted = "EXISTS (SELECT 1 FROM users WHERE users.id = {} AND users.deleted_at IS NOT NULL)"
    unchanged = " AND ".join(same(f"NEW.{column}", f"OLD.{column}") for column in UNCHANGED_COLUMNS)
    actor = (
        f"({same('NEW.actor_name', 'OLD.actor_name')} OR (NEW.actor_name = '{PSEUDONYM}' "
        f"AND {deleted.format('OLD.actor_id')}))"
    )
    target = (
        f"({same('NEW.target_label', 'OLD.target_label')} OR (NEW.target_label = '{PSEUDONYM}' "
        f"AND OLD.target_type = 'user' AND {deleted.format('OLD.target_id')}))"
    )
    return f"{unchanged} AND {actor} AND {target}"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', portal.database.UtcDateTime(timezone=True), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        condition = erasure_only(lambda a, b: f"{a} IS NOT DISTINCT FROM {b}")
        op.execute(
            f"""
            CREATE FUNCTION moderation_audit_log_guard() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF {condition} THEN RETURN NEW; END IF;
                END IF;
                RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute("DROP TRIGGER moderation_audit_log_append_only ON moderation_audit_log")
        op.execute(
            "CREATE TRIGGER moderation_audit_log_append_only BEFORE UPDATE OR DELETE "
            "ON moderation_audit_log FOR EACH ROW EXECUTE FUNCTION moderation_audit_log_guard()"
        )
    else:
        condition = erasure_only(lambda a, b: f"{a} IS {b}")
        op.execute("DROP TRIGGER moderation_audit_log_no_update")
        op.execute(
            "CREATE TRIGGER moderation_audit_log_no_update BEFORE UPDATE ON moderation_audit_log "
            f"FOR EACH ROW WHEN NOT ({condition}) "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER moderation_audit_log_append_only ON moderation_audit_log")
        op.execute(
            "CREATE TRIGGER moderation_audit_log_append_only BEFORE UPDATE OR DELETE "
            "ON moderation_audit_log FOR EACH ROW EXECUTE FUNCTION moderation_audit_log_refuse()"
        )
        op.execute("DROP FUNCTION moderation_audit_log_guard()")
    else:
        op.execute("DROP TRIGGER moderation_audit_log_no_update")
        op.execute(
            "CREATE TRIGGER moderation_audit_log_no_update BEFORE UPDATE ON moderation_audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
