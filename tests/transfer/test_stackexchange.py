"""A Stack Exchange dump (tests/transfer/fixtures/stackexchange, written for these tests)
into the community: twice (nothing new the second time), dry, changed, and searched."""

import shutil

from sqlalchemy import func, select

from community.models import AcceptedSolution, Post, PostRevision, Thread, Vote
from portal.models import Tag, User
from search import service as search_service
from tests.transfer.conftest import FIXTURES
from transfer.accounts import is_placeholder
from transfer.models import TransferMapping

DUMP = FIXTURES / "stackexchange"
CONTENT = (User, Tag, Thread, Post, Vote, AcceptedSolution, TransferMapping)


def counts(session) -> dict[str, int]:
    session.expire_all()
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in CONTENT}


def run(runner, folder=DUMP, *extra):
    result = runner.invoke(
        args=["transfer", "import-stackexchange", str(folder), "--source", "routers", *extra]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_dump_becomes_threads_replies_solutions_votes_and_placeholders(runner, db, own_index):
    output = run(runner, DUMP, "--batch-size", "2")

    assert "Questions: 2 created, 0 updated, 0 unchanged" in output
    assert "Answers: 3 created" in output
    assert "Not imported: 105 (its question 999 is not in the dump)" in output
    thread = db.session.scalar(select(Thread).where(Thread.title.like("Mesh satellite%")))
    assert [tag.slug for tag in thread.tags] == ["firmware", "mesh-wifi"]
    assert thread.created_at.isoformat() == "2023-04-01T09:00:00+00:00"
    assert thread.reply_count == 2
    question = thread.question
    assert "**satellite node**" in question.body and "- firmware 3.1" in question.body
    assert question.score == 5
    nadia = thread.author
    assert (nadia.display_name, nadia.bio) == ("Nadia Okafor", "Runs a small office network.")
    assert is_placeholder(nadia) and not nadia.check_password("")
    assert nadia.email.endswith("@placeholder.invalid") and not nadia.email_notifications
    # The accepted answer, its code block kept, its script link gone.
    solution = thread.solution
    assert solution.post.author.display_name == "Pavel K."
    assert solution.accepted_by_id == nadia.id
    assert solution.accepted_at.isoformat() == "2023-04-02T00:00:00+00:00"
    assert "settings > maintenance > 05:00" in solution.post.body
    assert "javascript" not in solution.post.body and "steal" not in solution.post.body
    assert solution.post.edited_by.display_name == "Pavel K."
    # Votes with a voter became rows; the anonymous one stays a count in the score.
    votes = db.session.execute(select(Vote.post_id, Vote.user_id, Vote.value)).all()
    assert sorted(votes) == sorted(
        [(solution.post_id, nadia.id, 1), (thread.posts[1].id, solution.post.author_id, -1)]
    )
    assert solution.post.score == 7
    # The answer whose author left Stack Exchange has the source's stand-in author.
    other = db.session.scalar(select(Thread).where(Thread.title.like("Port forwarding%")))
    assert other.posts[1].author.display_name == "Former member"
    # Found by search, through the change feed (the index was built before the import).
    found = search_service.search(db.session, None, "satellite backhaul")
    assert not found.from_database
    assert [result.key for result in found.results] == [f"thread:{thread.id}"]


def test_a_second_run_creates_nothing_and_a_changed_item_is_updated(runner, db, tmp_path):
    run(runner)
    before = counts(db.session)

    again = run(runner)

    assert counts(db.session) == before
    assert "Questions: 0 created, 0 updated, 2 unchanged" in again
    assert "Members: 0 created, 0 updated, 4 unchanged" in again
    changed = tmp_path / "dump"
    shutil.copytree(DUMP, changed)
    posts = changed / "Posts.xml"
    posts.write_text(posts.read_text().replace("Try moving it closer.", "Move it closer."))

    updated = run(runner, changed)

    assert "Answers: 0 created, 1 updated, 2 unchanged" in updated
    assert counts(db.session) == before
    post = db.session.scalar(select(Post).where(Post.body == "Move it closer."))
    assert [r.previous_body for r in db.session.scalars(select(PostRevision))] == [
        "Try moving it closer."
    ]
    assert post.thread.reply_count == 2


def test_dry_run_reports_and_writes_nothing(runner, db):
    output = run(runner, DUMP, "--dry-run")

    assert "Questions: 2 to create, 0 to update, 0 unchanged" in output
    assert "Answers: 3 to create" in output
    # The two votes a real run writes; the anonymous one and the vote on one's own
    # question stay counts in the scores.
    assert "Votes: 2 to create, 0 to update, 0 unchanged\n  2 kept as counts" in output
    assert "Accepted solutions: 1 to create" in output
    assert "Dry run: nothing was written." in output
    assert set(counts(db.session).values()) == {0}


def test_a_claimed_placeholder_signs_in_and_keeps_its_profile(runner, db, auth):
    run(runner)
    nadia = db.session.scalar(select(User).where(User.display_name == "Nadia Okafor"))
    assert auth.login(nadia.username, "a-long-password").status_code == 422  # refused

    claimed = runner.invoke(
        args=["transfer", "claim", nadia.username, "nadia@example.com"],
        input="a-long-password\na-long-password\n",
    )

    assert claimed.exit_code == 0, claimed.output
    assert auth.login("nadia@example.com", "a-long-password").status_code == 302
    run(runner)  # the dump no longer speaks for a claimed account
    db.session.expire_all()
    assert db.session.get(User, nadia.id).email == "nadia@example.com"


def test_hostile_xml_is_refused_before_it_expands(runner, tmp_path):
    folder = tmp_path / "bomb"
    shutil.copytree(DUMP, folder)
    (folder / "Users.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE users [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<users><row Id="1" DisplayName="&b;"/></users>'
    )

    result = runner.invoke(args=["transfer", "import-stackexchange", str(folder)])

    assert result.exit_code != 0
    assert "DTD" in repr(result.exception) or "Forbidden" in repr(result.exception)


def test_an_import_stopped_half_way_resumes_where_its_last_batch_ended(app, db):
    """The process dies during the third commit: the batches before it stay, and the next
    run finishes the job with nothing twice."""
    from transfer import stackexchange

    commits = 0

    def dying_commit():
        nonlocal commits
        commits += 1
        if commits == 3:
            db.session.rollback()
            raise KeyboardInterrupt
        db.session.commit()

    try:
        stackexchange.import_dump(
            db.session, DUMP, source="stackexchange:routers", commit=dying_commit, batch_size=2
        )
    except KeyboardInterrupt:
        db.session.rollback()
    half = counts(db.session)
    assert half["TransferMapping"] > 0 and half["Thread"] < 2

    report = stackexchange.import_dump(
        db.session, DUMP, source="stackexchange:routers", commit=db.session.commit, batch_size=2
    )

    assert report.get("user", "create") + report.get("user", "skip") == 4
    assert counts(db.session) == {
        "User": 5,  # four members and the source's "Former member"
        "Tag": 3,
        "Thread": 2,
        "Post": 5,
        "Vote": 2,
        "AcceptedSolution": 1,
        "TransferMapping": 5 + 3 + 2 + 5 + 2 + 1,
    }


def test_without_inline_jobs_the_command_itself_reads_the_feed_into_the_index(
    runner, db, own_index, app, monkeypatch
):
    """As on a server with no jobs worker running: nothing reads the feed after each commit,
    so what finds the threads is the command's own pass under the keeper's lock."""
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)

    output = run(runner)

    assert "Imported content is searchable." in output
    thread = db.session.scalar(select(Thread).where(Thread.title.like("Port forwarding%")))
    found = search_service.search(db.session, None, "voice chat console ports")
    assert not found.from_database
    assert f"thread:{thread.id}" in [result.key for result in found.results]
