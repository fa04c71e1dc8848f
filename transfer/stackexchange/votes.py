"""Votes.xml → vote rows (where the voter was imported), AcceptedAnswerId → solutions."""

from sqlalchemy import select

from community.announce import changed
from community.models import AcceptedSolution, Post, Thread
from community.models import Vote as VoteRow
from portal.database import utcnow
from portal.i18n import N_
from transfer.mapping import CREATE, SKIP
from transfer.stackexchange.dump import ACCEPTED, DOWN, UP, Dump, when


def known(dump: Dump, kind: str, source_id: str) -> bool:
    """Imported already, or (dry run) to be created by this run."""
    if not source_id:
        return False
    return dump.map.local_id(kind, source_id) is not None or (kind, source_id) in dump.planned


def import_votes(dump: Dump) -> None:
    for row in dump.each_row("Votes.xml", "Votes"):
        kind = row.get("VoteTypeId")
        if kind == ACCEPTED and row.get("CreationDate"):
            dump.accepted_at[row.get("PostId")] = when(row["CreationDate"])
        if kind not in (UP, DOWN):
            continue
        voter_id, post_id = row.get("UserId", ""), row.get("PostId", "")
        owner, is_question = dump.owners.get(post_id, ("", False))
        # A vote row needs its voter and post here, and the portal's own rules: no vote on
        # your own post, questions only up-voted. Any other vote is in its post's Score.
        if not (
            known(dump, "user", voter_id)
            and known(dump, "post", post_id)
            and voter_id != owner
            and not (is_question and kind == DOWN)
        ):
            dump.report.add("vote", "counted")
            continue
        plan = dump.map.plan("vote", row["Id"], "")
        dump.report.add("vote", plan)
        if plan != CREATE or dump.batches.dry_run:
            continue
        voter, post_id = dump.map.local_id("user", voter_id), dump.map.local_id("post", post_id)
        mine = (VoteRow.post_id == post_id, VoteRow.user_id == voter)
        if dump.session.scalar(select(VoteRow.id).where(*mine)) is None:
            vote = VoteRow(post_id=post_id, user_id=voter, value=1 if kind == UP else -1)
            vote.created_at = when(row.get("CreationDate")) or utcnow()
            dump.session.add(vote)
            dump.session.flush()
        dump.map.remember("vote", row["Id"], post_id, "")
        dump.batches.tick()


def import_solutions(dump: Dump) -> None:
    for question, answer in dump.accepted.items():
        plan = dump.map.plan("solution", question, answer)
        thread_id = dump.map.local_id("thread", question)
        post_id = dump.map.local_id("post", answer)
        if plan != SKIP and (thread_id is None or post_id is None) and not dump.batches.dry_run:
            dump.report.problem(question, N_("its accepted answer %(id)s is missing"), id=answer)
            continue
        dump.report.add("solution", plan)
        if plan == SKIP or dump.batches.dry_run:
            continue
        post, thread = dump.session.get(Post, post_id), dump.session.get(Thread, thread_id)
        if post.thread_id != thread_id:
            dump.report.problem(question, N_("%(id)s is not one of its answers"), id=answer)
            continue
        solution = dump.session.scalar(
            select(AcceptedSolution).where(AcceptedSolution.thread_id == thread_id)
        )
        if solution is None:
            solution = AcceptedSolution(thread_id=thread_id, accepted_by_id=thread.author_id)
            dump.session.add(solution)
        solution.post_id = post_id
        solution.accepted_at = dump.accepted_at.get(answer) or post.created_at
        dump.session.flush()
        dump.session.expire(thread, ["solution"])
        dump.map.remember("solution", question, solution.id, answer)
        changed(dump.session, thread, post, "imported")
        dump.batches.tick()
    dump.batches.end_batch()
