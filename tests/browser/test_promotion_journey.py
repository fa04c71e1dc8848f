"""An agent promotes a solved thread to the KB; readers follow the links both ways."""

from playwright.sync_api import Page, expect

from community import service as community_service
from portal.permissions import Role
from tests.browser.helpers import sign_out
from tests.browser.test_community_journey import sign_in
from tests.factories import make_reply, make_tag, make_thread, make_user


def test_agent_promotes_a_solved_thread_and_readers_find_the_article(
    live_server: str, page: Page, db
):
    wifi = make_tag(db.session, "Wi-Fi", "Coverage and mesh.")
    asker = make_user(db.session, "jordan", display_name="Jordan Lee")
    make_user(db.session, "sam", role=Role.AGENT, display_name="Sam Varga")
    thread = make_thread(
        db.session, asker, "Wi-Fi drops every evening at 8 pm", tags=[wifi],
        body="My laptop loses Wi-Fi every evening.",
    )  # fmt: skip
    answer = make_reply(db.session, thread, body="Thanks @jordan: pick channel 1, 6 or 11.")
    community_service.accept_solution(db.session, asker, thread, answer)
    db.session.commit()
    thread_url = f"{live_server}/community/threads/{thread.id}"

    sign_in(page, live_server, "sam")
    page.goto(thread_url)
    expect(page.get_by_role("link", name="@jordan").first).to_have_attribute("href", "/u/jordan")
    page.get_by_role("button", name="Promote to KB article").click()
    expect(page.get_by_role("status")).to_contain_text("Draft article created")
    expect(page.get_by_role("heading", name="The solution")).to_be_visible()
    expect(page.get_by_text("Promoted from the community thread")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Article published")
    article_url = page.url
    sign_out(page)

    # A visitor reads the thread, follows the note to the article and finds it on the topic page.
    page.goto(thread_url)
    page.get_by_role("note").get_by_role("link", name="Wi-Fi drops every evening at 8 pm").click()
    expect(page).to_have_url(article_url)
    expect(page.get_by_text("pick channel 1, 6 or 11").first).to_be_visible()
    page.goto(f"{live_server}/kb/topics/wi-fi")
    solved = page.get_by_role("region", name="Solved in the community")
    expect(solved.get_by_role("link", name="Wi-Fi drops every evening at 8 pm")).to_be_visible()
