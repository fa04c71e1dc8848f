"""Posts.xml → threads (questions) and replies (answers), in two streaming passes."""

from community.announce import changed
from community.models import TAGS_MAX, TITLE_MAX, Post, PostRevision, Thread
from portal.database import utcnow
from portal.i18n import N_
from portal.text_language import detect_language
from transfer import html
from transfer.mapping import CREATE, SKIP, UPDATE, digest
from transfer.stackexchange.dump import QUESTION, Dump, tag_names, when
from transfer.stackexchange.members import author_id, tag_for


def import_posts(dump: Dump, post_type: str) -> None:
    kind = "question" if post_type == QUESTION else "answer"
    for row in dump.each_row("Posts.xml", "Questions" if kind == "question" else "Answers"):
        if row.get("PostTypeId") != post_type:
            continue
        if kind == "question" and row.get("AcceptedAnswerId"):
            dump.accepted[row["Id"]] = row["AcceptedAnswerId"]
        dump.owners[row["Id"]] = (row.get("OwnerUserId", ""), kind == "question")
        body = html.to_markdown(row.get("Body", ""))
        title = " ".join(row.get("Title", "").split())[:TITLE_MAX]
        tags = tag_names(row.get("Tags"))[:TAGS_MAX] or [dump.default_tag]
        sha = digest(title, body, tags, row.get("Score"), row.get("LastEditDate"))
        plan = dump.map.plan("post", row["Id"], sha)
        if kind == "answer" and plan == CREATE:
            parent = row.get("ParentId")
            if dump.map.local_id("thread", parent) is None and ("post", parent) not in dump.planned:
                dump.report.problem(
                    row["Id"], N_("its question %(id)s is not in the dump"), id=parent
                )
                dump.report.add(kind, "failed")
                continue
        dump.report.add(kind, plan)
        if plan == SKIP:
            continue
        if dump.batches.dry_run:
            dump.planned.add(("post", row["Id"]))
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
