"""A French-speaking customer's morning, all in French: she signs in, asks a question and
sees suggestions while typing, accepts the answer a member gave, contacts support and
answers the survey of her solved request.

The words the test looks for come from the catalogs (``fr()``), and on every page it
checks that no sentence of the interface appears in English: whatever the page shows
from the catalogs is in French.
"""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from community import service as community_service
from community.models import Thread
from moderation.cases import routing, surveys
from moderation.cases.models import Case
from portal.permissions import Role
from tests.factories import PASSWORD, make_article, make_tag, make_user

ROOT = Path(__file__).resolve().parent.parent.parent


def english_sentences() -> set[str]:
    """Interface sentences (three words or more, no placeholder) whose French differs."""
    sentences = set()
    for po in ROOT.glob("**/translations/fr/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                text = message.id if isinstance(message.id, str) else ""
                if len(text.split()) >= 3 and "%(" not in text and message.string != text:
                    sentences.add(text)
    return sentences


ENGLISH = english_sentences()


def fr(app, message: str, **params) -> str:
    with app.test_request_context(), force_locale("fr"):
        return gettext(message, **params)


def assert_in_french(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    text = " ".join(page.locator("body").inner_text().split())
    english = sorted(sentence for sentence in ENGLISH if sentence in text)
    assert english == [], f"{page.url} shows English: {english[:5]}"


def test_a_french_customer_asks_accepts_contacts_and_rates_in_french(
    live_server: str, browser: Browser, app, db
):
    s = db.session
    billing = make_tag(s, "Facturation")
    nina = make_user(s, "nina", role=Role.AGENT, display_name="Nina Laurent", locale="fr")
    routing.update_profile(s, nina, available=True, skill_slugs=[billing.slug])
    make_article(
        s,
        nina,
        "Payer sa facture par carte bancaire",
        body="Ouvrez l’espace Facturation, choisissez « Payer maintenant » et saisissez "
        "les chiffres de votre carte. Le paiement est pris en compte le jour même.",
        tags=[billing],
        language="fr",
    )
    make_user(s, "chloe", display_name="Chloé Martin", locale="fr")
    amelie = make_user(s, "amelie", display_name="Amélie Dubois", role=Role.SUPERUSER)
    s.commit()
    # A browser set to French, like hers: even the sign-in page speaks French.
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()

    page.goto(live_server + "/login")
    assert_in_french(page)
    page.get_by_label(fr(app, "Username or e-mail address")).fill("chloe")
    page.get_by_label(fr(app, "Password")).fill(PASSWORD)
    page.get_by_role("button", name=fr(app, "Sign in")).click()
    expect(page.get_by_role("status")).to_contain_text(
        fr(app, "Signed in as %(name)s.", name="Chloé Martin")
    )
    assert_in_french(page)

    # Asking: suggestions appear while she types, in French.
    page.goto(live_server + "/community/ask")
    assert_in_french(page)
    page.get_by_label(fr(app, "Your question in one line")).fill(
        "Comment payer ma facture par carte bancaire ?"
    )
    suggestion = page.get_by_role("link", name=re.compile("Payer sa facture par carte"))
    expect(suggestion).to_be_visible()
    assert_in_french(page)
    page.get_by_label(fr(app, "Details")).fill(
        "Je ne trouve pas où saisir ma carte pour régler la facture de novembre."
    )
    page.get_by_label(fr(app, "Topics")).fill(billing.slug)
    page.get_by_role("button", name=fr(app, "Post your question")).click()
    expect(page.get_by_role("status")).to_contain_text(
        fr(app, "Your question is posted. You will be notified of replies.")
    )
    assert_in_french(page)

    # A member answers; she accepts the answer.
    thread = s.scalars(select(Thread)).one()
    community_service.reply(
        s, amelie, thread, body="Dans l’espace Facturation, bouton « Payer maintenant »."
    )
    s.commit()
    page.reload()
    page.get_by_role(
        "button", name=fr(app, "Accept as solution: the reply by %(name)s", name="Amélie Dubois")
    ).click()
    expect(page.get_by_text(fr(app, "✓ Accepted solution"))).to_be_visible()
    assert_in_french(page)

    # She contacts support about something else.
    page.goto(live_server + "/support/contact")
    assert_in_french(page)
    page.get_by_label(fr(app, "What is it about?")).fill("Prélèvement en double en novembre")
    page.get_by_label(fr(app, "Tell us more")).fill(
        "J’ai été prélevée deux fois pour la facture de novembre, pouvez-vous vérifier ?"
    )
    page.get_by_role("button", name=fr(app, "Send to an agent")).click()
    assert_in_french(page)

    # Nina solves the request; Chloé answers the survey it sends her.
    case = s.scalars(select(Case).where(Case.thread_id.is_(None))).one()
    survey = surveys.solve_case(s, nina, case, disposition="known gap")
    s.commit()
    page.goto(f"{live_server}/support/survey/{survey.token}")
    assert_in_french(page)
    page.locator('input[name="csat"][value="5"]').check()
    page.locator('input[name="nps"][value="9"]').check()
    page.get_by_role("button", name=fr(app, "Send my answer")).click()
    expect(page.locator(".flash[role=status]")).to_contain_text(
        fr(app, "Thank you for your answer!")
    )
    assert_in_french(page)
    context.close()
