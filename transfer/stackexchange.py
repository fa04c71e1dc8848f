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

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from community.announce import changed
from community.models import TAGS_MAX, TITLE_MAX, AcceptedSolution, Post, PostRevision, Thread
from community.models import Vote as VoteRow
from community.service import refresh_reply_count
from portal import service as portal_service
from portal.database import utcnow
from portal.models import Tag, User
from portal.text_language import detect_language
from transfer import html
from transfer.accounts import is_placeholder, make_placeholder
from transfer.batches import Batches, Progress, no_progress
from transfer.mapping import CREATE, SKIP, UPDATE, Mappings, Report, digest
from transfer.xmlrows import rows

QUESTION, ANSWER = "1", "2"
ACCEPTED, UP, DOWN = "1", "2", "3"
UNKNOWN_AUTHOR = "unknown"


def when(value: str | None) -> datetime | None:
    """A dump's time ('2024-03-05T14:02:11.377', UTC) as an aware datetime."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def tag_names(value: str | None) -> list[str]:
    """'<wi-fi><router>' (older dumps) or '|wi-fi|router|' (newer) → ['wi-fi', 'router']."""
    text = (value or "").replace("><", "|").strip("<>|")
    return [name for name in text.split("|") if name]


@dataclass
class Dump:
    folder: Path
    source: str
    session: Session
    batches: Batches
    progress: Progress
    default_tag: str
    report: Report = field(default_factory=Report)
    touched: set[int] = field(default_factory=set)  # threads whose reply count to refresh
    accepted: dict[str, str] = field(default_factory=dict)  # question id → answer id
    accepted_at: dict[str, datetime] = field(default_factory=dict)  # answer id → when
    planned: set[str] = field(default_factory=set)  # dry run: questions it would create

    def __post_init__(self):
        self.map = Mappings(self.session, self.source)
        self.source_slug = portal_service.slugify(self.source)[:40] or "import"

    def each_row(self, name: str, label: str):
        path = self.folder / name
        with self.progress(label, path.stat().st_size) as advance:
            yield from rows(path, advance)
        self.batches.end_batch()


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


def settle_reply_counts(dump: Dump) -> None:
    dump.session.flush()
    for thread_id in sorted(dump.touched):
        refresh_reply_count(dump.session, dump.session.get(Thread, thread_id))
    dump.touched.clear()


# ------------------------------------------------------------------------ users, tags
def import_users(dump: Dump) -> None:
    for row in dump.each_row("Users.xml", "Users"):
        name, about = row.get("DisplayName", "").strip(), html.to_text(row.get("AboutMe", ""))
        sha = digest(name, about)
        plan = dump.map.plan("user", row["Id"], sha)
        dump.report.add("user", plan)
        if plan == SKIP or dump.batches.dry_run:
            continue
        if plan == CREATE:
            user = make_placeholder(
                dump.session,
                source_slug=dump.source_slug,
                source_id=row["Id"],
                display_name=name or row["Id"],
                bio=about,
                created_at=when(row.get("CreationDate")),
            )
        else:
            user = dump.session.get(User, dump.map.local_id("user", row["Id"]))
            # A claimed or deleted account is its owner's now: the dump no longer speaks for it.
            if user is not None and is_placeholder(user) and not user.is_deleted:
                user.display_name, user.bio = name[:80], about[:500]
        dump.map.remember("user", row["Id"], user.id, sha)
        dump.batches.tick()


def author_id(dump: Dump, source_user_id: str | None) -> int:
    """The local author of an imported post: its user's placeholder, else one stand-in
    per source for posts whose user left Stack Exchange."""
    local = dump.map.local_id("user", source_user_id) if source_user_id else None
    if local is not None:
        return local
    local = dump.map.local_id("user", UNKNOWN_AUTHOR)
    if local is None:
        user = make_placeholder(
            dump.session, source_slug=dump.source_slug, source_id=UNKNOWN_AUTHOR,
            display_name="Former member", bio="", created_at=None,
        )  # fmt: skip
        dump.map.remember("user", UNKNOWN_AUTHOR, user.id, "")
        local = user.id
    return local


def tag_for(dump: Dump, name: str) -> Tag | None:
    """The local tag for a dump's tag name, created (and mapped) when missing."""
    slug = portal_service.slugify(name)[:64]
    if not slug:
        return None
    tag = dump.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        tag = portal_service.create_tag(dump.session, None, name=name)
    if dump.map.local_id("tag", name) is None:
        dump.map.remember("tag", name, tag.id, digest(name))
    return tag


def import_tags(dump: Dump) -> None:
    for row in dump.each_row("Tags.xml", "Tags"):
        name = row.get("TagName", "")
        plan = dump.map.plan("tag", name, digest(name))
        dump.report.add("tag", plan)
        if plan == CREATE and not dump.batches.dry_run:
            tag_for(dump, name)
            dump.batches.tick()


# ------------------------------------------------------------------------------ posts
def import_posts(dump: Dump, post_type: str) -> None:
    kind = "question" if post_type == QUESTION else "answer"
    for row in dump.each_row("Posts.xml", "Questions" if kind == "question" else "Answers"):
        if row.get("PostTypeId") != post_type:
            continue
        if kind == "question" and row.get("AcceptedAnswerId"):
            dump.accepted[row["Id"]] = row["AcceptedAnswerId"]
        body = html.to_markdown(row.get("Body", ""))
        title = " ".join(row.get("Title", "").split())[:TITLE_MAX]
        tags = tag_names(row.get("Tags"))[:TAGS_MAX] or [dump.default_tag]
        sha = digest(title, body, tags, row.get("Score"), row.get("LastEditDate"))
        plan = dump.map.plan("post", row["Id"], sha)
        if kind == "answer" and plan == CREATE:
            parent = row.get("ParentId")
            if dump.map.local_id("thread", parent) is None and parent not in dump.planned:
                dump.report.problems.append(f"answer {row['Id']}: question {parent} not imported")
                dump.report.add(kind, "failed")
                continue
        dump.report.add(kind, plan)
        if plan == SKIP:
            continue
        if dump.batches.dry_run:
            dump.planned.add(row["Id"])
            continue
        body = body or title or "…"
        if kind == "question":
            thread, post = write_question(dump, row, plan, title, body, tags)
        else:
            thread, post = write_answer(dump, row, plan, body)
        dump.map.remember("post", row["Id"], post.id, sha)
        changed(dump.session, thread, post, "imported")
        dump.batches.tick()


def _dates(dump: Dump, post: Post, row: dict) -> None:
    post.score = int(row.get("Score") or 0)
    edited = when(row.get("LastEditDate"))
    if edited is not None:
        editor = dump.map.local_id("user", row.get("LastEditorUserId"))
        post.edited_at, post.edited_by_id = edited, editor or post.author_id


def _revise(post: Post, thread: Thread, body: str, title: str | None) -> None:
    """An item changed in the source: keep what the post said before, as an edit would."""
    if body == post.body and (title is None or title == thread.title):
        return
    post.revisions.append(
        PostRevision(
            previous_title=thread.title if post.is_question else None,
            previous_body=post.body,
            editor_id=post.edited_by_id or post.author_id,
        )
    )
    post.body = body
    if title is not None:
        thread.title = title


def write_question(dump: Dump, row, plan, title, body, tags) -> tuple[Thread, Post]:
    found = [tag for tag in (tag_for(dump, name) for name in tags) if tag is not None]
    if plan == UPDATE:
        post = dump.session.get(Post, dump.map.local_id("post", row["Id"]))
        thread = post.thread
        _revise(post, thread, body, title)
        thread.tags = found
    else:
        created = when(row.get("CreationDate")) or utcnow()
        author = author_id(dump, row.get("OwnerUserId"))
        language = detect_language(f"{title}\n{body}", default="en")
        thread = Thread(title=title, author_id=author, created_at=created, tags=found)
        post = Post(
            thread=thread, author_id=author, is_question=True, body=body, language=language,
            created_at=created,
        )  # fmt: skip
        dump.session.add_all([thread, post])
    thread.last_activity_at = when(row.get("LastActivityDate")) or thread.created_at
    _dates(dump, post, row)
    dump.session.flush()
    dump.map.remember("thread", row["Id"], thread.id, "")
    return thread, post


def write_answer(dump: Dump, row, plan, body) -> tuple[Thread, Post]:
    if plan == UPDATE:
        post = dump.session.get(Post, dump.map.local_id("post", row["Id"]))
        thread = post.thread
        _revise(post, thread, body, None)
    else:
        thread = dump.session.get(Thread, dump.map.local_id("thread", row["ParentId"]))
        created = when(row.get("CreationDate")) or utcnow()
        post = Post(
            thread=thread, author_id=author_id(dump, row.get("OwnerUserId")), body=body,
            language=detect_language(body, default=thread.language or "en"), created_at=created,
        )  # fmt: skip
        dump.session.add(post)
        if created and (thread.last_activity_at is None or created > thread.last_activity_at):
            thread.last_activity_at = created
    _dates(dump, post, row)
    dump.session.flush()
    dump.touched.add(thread.id)
    return thread, post


# ----------------------------------------------------------------------- votes, solutions
def import_votes(dump: Dump) -> None:
    for row in dump.each_row("Votes.xml", "Votes"):
        kind = row.get("VoteTypeId")
        if kind == ACCEPTED and row.get("CreationDate"):
            dump.accepted_at[row.get("PostId")] = when(row["CreationDate"])
        if kind not in (UP, DOWN):
            continue
        voter = dump.map.local_id("user", row.get("UserId")) if row.get("UserId") else None
        post_id = dump.map.local_id("post", row.get("PostId"))
        if voter is None or post_id is None:
            dump.report.add("vote", "counted")  # in its post's Score, as a number
            continue
        plan = dump.map.plan("vote", row["Id"], "")
        dump.report.add("vote", plan)
        if plan != CREATE or dump.batches.dry_run:
            continue
        post = dump.session.get(Post, post_id)
        value = 1 if kind == UP else -1
        mine = (VoteRow.post_id == post_id, VoteRow.user_id == voter)
        # The portal's own rules: no vote on your own post, questions only up-voted.
        allowed = post.author_id != voter and not (post.is_question and value < 0)
        if allowed and dump.session.scalar(select(VoteRow.id).where(*mine)) is None:
            vote = VoteRow(post_id=post_id, user_id=voter, value=value)
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
            dump.report.problems.append(f"question {question}: accepted answer {answer} missing")
            continue
        dump.report.add("solution", plan)
        if plan == SKIP or dump.batches.dry_run:
            continue
        post, thread = dump.session.get(Post, post_id), dump.session.get(Thread, thread_id)
        if post.thread_id != thread_id:
            dump.report.problems.append(f"answer {answer} is not an answer to {question}")
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
