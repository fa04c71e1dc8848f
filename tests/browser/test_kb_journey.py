"""An agent publishes an article; a customer finds it by topic and says it did not help;
the agent reads why; a super-user suggests an edit the agent accepts; the history shows it."""

import re

from playwright.sync_api import Page, expect

from portal.permissions import Role
from tests.browser.helpers import sign_in, sign_out
from tests.factories import make_tag, make_user


def test_article_from_writing_to_accepted_suggestion(live_server: str, page: Page, db):
    make_user(db.session, "sam", role=Role.AGENT, display_name="Sam Varga")
    make_user(db.session, "jordan", display_name="Jordan Lee")
    make_user(db.session, "priya", role=Role.SUPERUSER, display_name="Priya Raman")
    make_tag(db.session, "Wi-Fi", "Wireless coverage, mesh extenders and passwords.")
    make_tag(db.session, "Billing")
    db.session.commit()

    # The agent writes and publishes an article with a tag.
    sign_in(page, live_server, "sam")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("link", name="Write an article").click()
    page.get_by_label("Title").fill("Pick a quieter Wi-Fi channel")
    page.get_by_label("Summary").fill("When neighbours crowd the air, move to an empty channel.")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()  # no text yet
    expect(page.get_by_label("Title")).to_have_value("Pick a quieter Wi-Fi channel")
    page.get_by_label("Text", exact=True).fill(
        "## Check\n\nOpen **Network › Channel survey**.\n\n## Change\n\nUse 1, 6 or 11.\n"
    )
    page.get_by_label("Wi-Fi").check()
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("status")).to_contain_text("Article published.")
    expect(page.get_by_role("heading", name="Pick a quieter Wi-Fi channel")).to_be_visible()
    sign_out(page)

    # A customer finds it from the topic page, reads it and says it did not help.
    sign_in(page, live_server, "jordan")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("link", name="Wi-Fi").first.click()
    expect(page.get_by_role("heading", name="Wi-Fi", exact=True)).to_be_visible()
    page.get_by_role("link", name="Pick a quieter Wi-Fi channel").click()
    expect(page.get_by_role("navigation", name="On this page")).to_contain_text("Change")
    page.get_by_role("button", name="No").click()
    page.get_by_label("What were you looking for? (optional)").fill("Which channels work on 5 GHz?")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("heading", name="Thank you for your comment")).to_be_visible()
    sign_out(page)

    # The agent sees the vote and the comment on the article.
    sign_in(page, live_server, "sam")
    page.goto(live_server + "/kb/pick-a-quieter-wi-fi-channel")
    tools = page.get_by_role("region", name="Article tools")
    expect(tools).to_contain_text("0% helpful (0 yes, 1 no)")
    expect(tools).to_contain_text("Which channels work on 5 GHz?")
    sign_out(page)

    # A super-user suggests an edit.
    sign_in(page, live_server, "priya")
    page.goto(live_server + "/kb/pick-a-quieter-wi-fi-channel")
    page.get_by_role("link", name="Suggest an edit").click()
    text = page.get_by_label("Text", exact=True)
    text.fill(text.input_value() + "\nOn 5 GHz, prefer channels 36 to 48.\n")
    page.get_by_label("What did you change, and why?").fill("Answer the 5 GHz question")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.get_by_role("status")).to_contain_text("An agent will review your suggestion.")
    expect(page.get_by_text("On 5 GHz, prefer channels 36 to 48.")).to_have_count(0)
    sign_out(page)

    # The agent accepts it, and the history shows what changed and who suggested it.
    sign_in(page, live_server, "sam")
    page.goto(live_server + "/kb/pick-a-quieter-wi-fi-channel")
    page.get_by_role("link", name="Answer the 5 GHz question").click()
    expect(page.get_by_role("heading", name="Suggested edit by Priya Raman")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Suggestion accepted.")
    expect(page.get_by_text("On 5 GHz, prefer channels 36 to 48.")).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page).to_have_url(re.compile(r"/kb/pick-a-quieter-wi-fi-channel/history$"))
    expect(page.get_by_role("cell", name=re.compile("accepted by Sam Varga"))).to_be_visible()
    changes = page.get_by_role("region", name="Changes from revision 1 to 2")
    added = changes.locator("ins").filter(has_text="On 5 GHz, prefer channels 36 to 48.")
    expect(added).to_have_count(1)
