"""What the community lends the KB: solved threads on topic pages, threads in the sitemap."""

import re

from community import queries, service
from tests.factories import make_reply, make_tag, make_thread, make_user


def solve(session, thread):
    service.accept_solution(session, thread.author, thread, make_reply(session, thread))


def test_solved_threads_of_a_tag_newest_solution_first(db):
    wifi, billing = make_tag(db.session, "Wi-Fi"), make_tag(db.session, "Billing")
    first = make_thread(db.session, title="Wi-Fi drops at night", tags=[wifi])
    second = make_thread(db.session, title="Wi-Fi slow upstairs", tags=[wifi, billing])
    make_thread(db.session, title="Wi-Fi password lost", tags=[wifi])  # unsolved
    other = make_thread(db.session, title="Invoice twice this month", tags=[billing])
    for thread in (first, second, other):
        solve(db.session, thread)
    threads, total = queries.solved_threads_tagged(db.session, wifi)
    assert total == 2 and {t.id for t in threads} == {first.id, second.id}
    assert threads[0].solution.accepted_at >= threads[1].solution.accepted_at
    assert queries.solved_threads_tagged(db.session, wifi, limit=1)[1] == 2
    service.delete_post(db.session, second.author, second.question)
    assert queries.solved_threads_tagged(db.session, wifi)[1] == 1


def test_topic_page_lists_solved_threads_with_a_link_to_the_tag(client, db):
    wifi = make_tag(db.session, "Wi-Fi")
    solved = make_thread(db.session, title="Wi-Fi drops at night", tags=[wifi])
    solve(db.session, solved)
    make_thread(db.session, title="Wi-Fi password lost somewhere", tags=[wifi])
    db.session.commit()
    page = client.get("/kb/topics/wi-fi").data.decode()
    assert "Solved in the community" in page and "Wi-Fi drops at night" in page
    assert "password lost" not in page and "✓ Solved" in page
    assert 'href="/community/tags/wi-fi?filter=solved"' in page
    empty = make_tag(db.session, "Billing")
    db.session.commit()
    assert "No solved community threads" in client.get(f"/kb/topics/{empty.slug}").data.decode()


def test_sitemap_lists_public_threads_only(client, db):
    tag = make_tag(db.session, "Wi-Fi")
    public = make_thread(db.session, title="Wi-Fi drops at night", tags=[tag])
    removed = make_thread(db.session, title="Spam question here", tags=[tag])
    service.delete_post(db.session, removed.author, removed.question)
    moderator = make_user(db.session, role="moderator")
    service.lock_thread(db.session, moderator, public)
    db.session.commit()
    xml = client.get("/sitemap.xml").data.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    site = client.application.config["SITE_URL"]
    assert f"{site}/community/threads/{public.id}" in locations
    assert f"{site}/community/threads/{removed.id}" not in locations
    assert f"{site}/community/" in locations and f"{site}/kb/" in locations
