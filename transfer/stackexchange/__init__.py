"""A Stack Exchange data dump into the community (Users.xml, Tags.xml, Posts.xml, Votes.xml).

Users become placeholder accounts (accounts.py), tags tags, questions threads, answers
replies, AcceptedAnswerId accepted solutions; Votes.xml, when present, gives a vote row
for each up or down vote whose voter was imported (public dumps leave voters out: the
post's Score carries those as a count). Rows are built directly, as the demo community is
(community/demo.py), so their dates stay the dump's and nobody is notified; the community's
invariants are kept here: the asker's thread has its question first, reply counts follow
the visible replies, one solution per thread, and every thread written is announced on
``community.thread_changed``, so search's change feed indexes it.

Reputation is not imported: the portal's ledger is earned here (docs/export.md).
"""

from pathlib import Path

from sqlalchemy.orm import Session

from transfer.batches import Batches, Progress, no_progress
from transfer.mapping import Report
from transfer.stackexchange.dump import ANSWER, QUESTION, Dump, settle_reply_counts
from transfer.stackexchange.members import import_tags, import_users
from transfer.stackexchange.posts import import_posts
from transfer.stackexchange.votes import import_solutions, import_votes


def import_dump(
    session: Session,
    folder: Path,
    *,
    source: str,
    commit,
    dry_run: bool = False,
    batch_size: int = 500,
    default_tag: str = "imported",
    progress: Progress = no_progress,
) -> Report:
    """Import the dump in ``folder``: users, tags, questions, answers, votes, solutions."""
    for required in ("Users.xml", "Tags.xml", "Posts.xml"):
        if not (folder / required).is_file():
            raise FileNotFoundError(folder / required)
    batches = Batches(session, size=batch_size, commit=commit, dry_run=dry_run)
    dump = Dump(folder, source, session, batches, progress, default_tag)
    batches.before_commit = lambda: settle_reply_counts(dump)
    import_users(dump)
    import_tags(dump)
    import_posts(dump, QUESTION)
    import_posts(dump, ANSWER)
    if (folder / "Votes.xml").is_file():
        import_votes(dump)
    import_solutions(dump)
    return dump.report
