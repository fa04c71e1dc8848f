"""cases: the system's timeline lines as codes and parameters; each macro's language

case_events.lines (JSON): what the system says about an event ("Assigned to …",
"Reopened", "Priority High: VIP customer"), stored as [code, parameters] pairs and shown
to each reader in their language (moderation/cases/timeline.py); body keeps only what
people wrote. Existing events whose body is one of the texts the desk used to write in
English are converted here; a name is turned into the user's id only when exactly one
account goes by it, else the event keeps its text as it is (and is shown as such).

case_macros.language ("en", "fr", empty when unknown): the language a macro is written
in, told from its text when saved; existing macros stay unknown until saved again.

A deleted customer's request had its subject replaced by "Request of a deleted member";
it is now empty, and pages say so in the reader's language.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 10:12:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

ERASED_SUBJECT = 'Request of a deleted member'
PRIORITY = r'(?P<priority>Low|Normal|High|Urgent)'
NAME = '(?P<{}>.+?)'
# kind → (pattern, code) of the texts the desk wrote until now, one line each.
PATTERNS = {
    'assigned': [
        (rf'Routed by skills: assigned to {NAME.format("agent")}', 'routed'),
        (rf'Reassigned by {NAME.format("actor")}: assigned to {NAME.format("agent")}',
         'reassigned'),
        (rf'{NAME.format("agent")} took the case', 'taken'),
        (r'Back to the unassigned queue', 'unassigned'),
    ],
    'priority': [(rf'Priority set to {PRIORITY}', 'priority_set')],
    'status': [
        (r'Reopened', 'reopened'),
        (r'Status: (?P<old>[a-z ]+) → (?P<new>[a-z ]+)', 'status'),
        (r'Closed: the account was deleted', 'account_deleted'),
    ],
    'solved': [(r'Solved: (?P<disposition>answered by an existing article|new article needed'
                r'|known gap)', 'solved')],
    'survey': [(r'CSAT (?P<csat>[1-5]) \(.*\), NPS (?P<nps>\d+)', 'survey')],
    'created': [
        (r'The asker clicked “I still need help”', 'need_help'),
        (r'Sent with the Contact support form', 'contact_form'),
        (r'Escalated by the sweep: No reply after (?P<hours>[\d.]+) h', 'sweep_unanswered'),
        (r'Escalated by the sweep: Not solved after (?P<hours>[\d.]+) h', 'sweep_unsolved'),
        (r'Escalated by the sweep: No reply after (?P<hours>[\d.]+) h; super-users invited '
         r'(?P<invited>[\d.]+) h ago', 'sweep_unanswered_invited'),
        (r'Escalated by the sweep: Not solved after (?P<hours>[\d.]+) h; super-users invited '
         r'(?P<invited>[\d.]+) h ago', 'sweep_unsolved_invited'),
        (rf'Priority {PRIORITY}: VIP customer', 'priority_vip'),
        (rf'Priority {PRIORITY}: Angry tone', 'priority_angry'),
        (rf'Priority {PRIORITY}: (?P<rule>.+): mentions “(?P<keyword>.+)”', 'priority_rule'),
        # The moderator's reason is their own words: it goes to the body.
        (rf'Escalated by moderator {NAME.format("moderator")}(?:: (?P<reason>.+))?', 'escalated'),
    ],
    'internal note': [
        (rf'Escalated by moderator {NAME.format("moderator")}(?:: (?P<reason>.+))? '
         r'\(post #(?P<post>\d+)\)', 'escalated_again'),
    ],
}
USERS = ('agent', 'actor', 'moderator')
NUMBERS = ('hours', 'invited', 'csat', 'nps', 'post')
# For the downgrade: the English texts, as the code before this revision wrote them.
ENGLISH = {
    'routed': 'Routed by skills: assigned to {agent}',
    'reassigned': 'Reassigned by {actor}: assigned to {agent}',
    'taken': '{agent} took the case',
    'unassigned': 'Back to the unassigned queue',
    'priority_set': 'Priority set to {priority}',
    'reopened': 'Reopened',
    'status': 'Status: {old} → {new}',
    'account_deleted': 'Closed: the account was deleted',
    'solved': 'Solved: {disposition}',
    'survey': 'CSAT {csat}, NPS {nps}',
    'need_help': 'The asker clicked “I still need help”',
    'contact_form': 'Sent with the Contact support form',
    'sweep_unanswered': 'Escalated by the sweep: No reply after {hours:g} h',
    'sweep_unsolved': 'Escalated by the sweep: Not solved after {hours:g} h',
    'sweep_unanswered_invited':
        'Escalated by the sweep: No reply after {hours:g} h; super-users invited {invited:g} h ago',
    'sweep_unsolved_invited':
        'Escalated by the sweep: Not solved after {hours:g} h; super-users invited {invited:g} h ago',
    'priority_vip': 'Priority {priority}: VIP customer',
    'priority_angry': 'Priority {priority}: Angry tone',
    'priority_rule': 'Priority {priority}: {rule}: mentions “{keyword}”',
    'escalated': 'Escalated by moderator {moderator}',
    'escalated_again': 'Escalated by moderator {moderator} (post #{post})',
}

events = sa.table(
    'case_events', sa.column('id', sa.Integer()), sa.column('kind', sa.String()),
    sa.column('body', sa.Text()), sa.column('lines', sa.JSON()),
)
users = sa.table(
    'users', sa.column('id', sa.Integer()), sa.column('username', sa.String()),
    sa.column('display_name', sa.String()),
)


def upgrade():
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lines', sa.JSON(), nullable=True))
    with op.batch_alter_table('case_macros', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    convert_events(op.get_bind())
    op.execute(f"UPDATE cases SET subject = '' WHERE subject = '{ERASED_SUBJECT}'")


def user_ids(connection) -> dict[str, int | None]:
    """Each name an account goes by → its id; None for a name two accounts share."""
    ids: dict[str, int | None] = {}
    for row in connection.execute(sa.select(users)).all():
        name = row.display_name or row.username
        ids[name] = None if name in ids else row.id
    return ids


def parse(kind: str, text: str, ids: dict) -> tuple[list, str] | None:
    """(lines, body left for people's words) for a text the desk wrote, else None."""
    lines, reason = [], ''
    for text_line in text.split('\n'):
        for pattern, code in PATTERNS.get(kind, ()):
            match = re.fullmatch(pattern, text_line)
            if match:
                break
        else:
            return None
        params = {}
        for key, value in match.groupdict().items():
            if key == 'reason':
                reason = value or ''
            elif key in USERS:
                if ids.get(value) is None:
                    return None
                params[key] = ids[value]
            elif key in NUMBERS:
                params[key] = float(value) if '.' in value else int(value)
            elif key == 'priority':
                params[key] = value.lower()
            else:
                params[key] = value
        lines.append([code, params])
    return lines, reason


def convert_events(connection) -> None:
    ids = user_ids(connection)
    rows = connection.execute(
        sa.select(events.c.id, events.c.kind, events.c.body)
        .where(events.c.kind.in_(list(PATTERNS)), events.c.body != '')
    ).all()
    for row in rows:
        parsed = parse(row.kind, row.body, ids)
        if parsed is not None:
            lines, body = parsed
            connection.execute(
                events.update().where(events.c.id == row.id).values(lines=lines, body=body)
            )


def downgrade():
    op.execute(f"UPDATE cases SET subject = '{ERASED_SUBJECT}' WHERE subject = ''")
    connection = op.get_bind()
    names = {
        row.id: row.display_name or row.username
        for row in connection.execute(sa.select(users)).all()
    }
    rows = connection.execute(
        sa.select(events.c.id, events.c.body, events.c.lines).where(events.c.lines.is_not(None))
    ).all()
    for row in rows:
        texts = []
        for code, params in row.lines or ():
            values = {
                key: names.get(value, value) if key in USERS else value
                for key, value in params.items()
            }
            if 'priority' in values:
                values['priority'] = values['priority'].capitalize()
            texts.append(ENGLISH[code].format(**values))
        if row.body:
            texts.append(row.body)
        connection.execute(
            events.update().where(events.c.id == row.id).values(body='\n'.join(texts))
        )
    with op.batch_alter_table('case_macros', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_column('lines')
