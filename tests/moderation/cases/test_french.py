"""The desk and the support pages in French: a French customer's journey, each reader's
language on the same case, French notifications and e-mails, SLA times, French triage."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from moderation.cases import macros, queries, service, surveys
from moderation.cases.models import Case, CaseStatus, Disposition, Macro
from moderation.cases.sla import time_left
from moderation.cases.timeline import render_lines
from moderation.cases.triage import Priority, assess_priority
from portal.database import utcnow
from portal.notifications import Notification
from portal.permissions import Role
from tests.factories import make_tag, make_user
from tests.moderation.cases.helpers import event_text, make_agent, make_case
from tests.moderation.cases.test_times import mail_to, outbox  # noqa: F401 (fixture)

NBSP = "\u00a0"
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def page_of(response) -> str:
    return response.get_data(as_text=True)


def test_the_contact_form_in_french(client, db, auth):
    make_user(db.session, "chloe", locale="fr")
    db.session.commit()
    auth.login("chloe")
    form = page_of(client.get("/support/contact"))
    assert '<html lang="fr"' in form and "Contacter le support" in form
    assert f"De quoi s’agit-il{NBSP}?" in form and "Envoyer à un agent" in form
    assert "base de connaissances</a>" in form and "Tell us" not in form

    refused = client.post("/support/contact", data={"subject": "Box", "body": ""})
    assert refused.status_code == 422
    assert "Tell us" not in page_of(refused) and "Dites-nous-en plus" in page_of(refused)

    sent = client.post(
        "/support/contact",
        data={"subject": "Box en panne depuis hier", "body": "Plus rien ne marche."},
        follow_redirects=True,
    )
    request_page = page_of(sent)
    assert f"Merci{NBSP}: votre demande est bien parvenue à nos agents" in request_page
    assert "Nous avons bien reçu votre demande." in request_page
    assert "Reçue" in request_page and "Vos demandes" in request_page


def test_a_customers_request_page_in_french(client, db, auth):
    s = db.session
    chloe = make_user(s, "chloe", locale="fr")
    agent = make_agent(s, "sam", display_name="Sam")
    case = make_case(s, chloe, subject="Remboursement de septembre", body="Prélevée deux fois.")
    service.reply_privately(s, agent, case, "Bonjour Chloé, nous vérifions.")
    s.commit()
    auth.login("chloe")
    page = page_of(client.get(f"/support/cases/{case.id}"))
    assert f"Demande n°{NBSP}{case.id}" in page and "En attente de votre réponse" in page
    assert "Sam (support)" in page and "Bonjour Chloé, nous vérifions." in page
    assert "Répondre au support" in page and "Conversation" not in page
    listing = page_of(client.get("/support/cases"))
    assert "Vos demandes au support" in listing and "ouverte le" in listing


def test_the_survey_in_french(client, db, auth):
    s = db.session
    chloe = make_user(s, "chloe", locale="fr")
    agent = make_agent(s, "nina", locale="fr")
    case = make_case(s, chloe, subject="Facture de novembre")
    survey = surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP)
    s.commit()
    notice = s.scalars(select(Notification).where(Notification.user_id == chloe.id)).one()
    assert notice.message == (
        f"Votre demande «{NBSP}Facture de novembre{NBSP}» est résolue. "
        f"Qu’avez-vous pensé de notre aide{NBSP}?"
    )

    auth.login("chloe")
    form = page_of(client.get(f"/support/survey/{survey.token}"))
    assert f"Qu’avez-vous pensé de notre aide{NBSP}?" in form
    assert "5 — Très satisfait" in form and "1 — Très insatisfait" in form
    assert "Quelle est la probabilité que vous nous recommandiez" in form
    refused = client.post(f"/support/survey/{survey.token}", data={"csat": "9", "nps": "3"})
    assert "Choisissez une note de satisfaction de 1 à 5." in page_of(refused)
    answered = client.post(
        f"/support/survey/{survey.token}",
        data={"csat": "5", "nps": "10", "comment": "Parfait"},
        follow_redirects=True,
    )
    assert f"Merci pour votre réponse{NBSP}!" in page_of(answered)
    assert f"Merci{NBSP}: nous avons bien reçu votre réponse le" in page_of(answered)


def test_a_french_customer_hears_from_an_english_agent_in_french(client, db, auth, outbox):  # noqa: F811
    s = db.session
    billing = make_tag(s, "Billing")
    chloe = make_user(s, "chloe", locale="fr", email_notifications=True)
    sam = make_agent(s, "sam", skills=[billing], display_name="Sam", locale="en")
    nina = make_agent(s, "nina", display_name="Nina", locale="fr", available=False)
    case = make_case(s, chloe, subject="Remboursement", tags=[billing])
    assert case.assignee_id == sam.id
    service.reply_privately(s, sam, case, "Hello Chloé, refund on its way.")
    s.commit()

    [notice] = s.scalars(select(Notification).where(Notification.user_id == chloe.id))
    assert notice.message == f"Le support a répondu à votre demande «{NBSP}Remboursement{NBSP}»"
    mail = mail_to(outbox, "chloe@example.com")
    assert mail.startswith(f"[#{case.id}] Le support a répondu à votre demande")
    [assigned] = s.scalars(select(Notification).where(Notification.user_id == sam.id))
    assert assigned.message.startswith(f"Case #{case.id} is yours, first response due")

    auth.login("sam")
    desk = page_of(client.get(f"/desk/cases/{case.id}"))
    assert '<html lang="en"' in desk and "Routed by skills: assigned to Sam" in desk
    assert "Pending customer" in desk and "Private reply" in desk
    auth.logout()
    auth.login("nina")
    same_case = page_of(client.get(f"/desk/cases/{case.id}"))
    assert f"Routage par compétences{NBSP}: attribué à Sam" in same_case
    assert "En attente du client" in same_case and "Réponse privée" in same_case
    assert "Hello Chloé, refund on its way." in same_case  # what people wrote, as written
    assert nina.id  # nina reads; nothing was sent to her


def test_sla_time_left_in_french(app, client, db, auth):
    with app.test_request_context(), force_locale("fr"):
        assert time_left(timedelta(hours=2, minutes=5)) == "il reste 2\u202fh 5\u00a0min"
        assert time_left(-timedelta(days=3, hours=1)) == "en retard de 3\u202fj 1\u202fh"
    s = db.session
    nina = make_agent(s, "nina", locale="fr")
    case = make_case(s, make_user(s), subject="Box muette")
    service.take_case(s, nina, case)
    case.first_response_due = utcnow() + timedelta(hours=3, minutes=30)
    s.commit()
    auth.login("nina")
    desk = page_of(client.get("/desk/?queue=mine"))
    assert f"Première réponse{NBSP}: il reste 3\u202fh" in desk
    assert "Bureau des agents · Mes cas" in desk and "Dans les temps" in desk


def test_each_reader_sees_the_timeline_in_their_language(app, db):
    s = db.session
    agent = make_agent(s, "theo", display_name="Théo")
    case = make_case(s, make_user(s), subject="Caméra hors ligne")
    service.take_case(s, agent, case)
    service.set_priority(s, agent, case, "urgent")
    service.change_status(s, agent, case, CaseStatus.CLOSED.value)
    service.change_status(s, agent, case, CaseStatus.OPEN.value)
    lines = [event.lines for event in case.events if event.lines]
    assert ["taken", {"agent": agent.id}] in [line for group in lines for line in group]
    english = [event_text(s, event) for event in case.events]
    with force_locale("fr"):
        french = [event_text(s, event) for event in case.events]
    assert "Théo took the case" in english and "Théo a pris le cas" in french
    assert "Priority set to Urgent" in english and f"Nouvelle priorité{NBSP}: Urgente" in french
    assert "Status: Open → Closed" in english and f"Statut{NBSP}: Ouvert → Fermé" in french
    assert "Reopened" in english and "Rouvert" in french


def test_a_deleted_agents_name_leaves_the_timeline_without_rewriting(app, db):
    from portal import privacy
    from portal.models import DELETED_NAME

    s = db.session
    agent = make_agent(s, "alex", display_name="Alex")
    case = make_case(s, make_user(s))
    service.take_case(s, agent, case)
    privacy.delete_account(s, make_user(s, role=Role.ADMIN), agent)
    texts = [event_text(s, event) for event in case.events]
    assert f"{DELETED_NAME} took the case" in texts and "Alex" not in str(texts)


@pytest.mark.parametrize(
    "text, priority",
    [
        ("Plus d’internet depuis ce matin", Priority.URGENT),  # typographic apostrophe
        ("Je veux résilier mon contrat", Priority.HIGH),
        ("J’ai été débitée deux fois", Priority.HIGH),
        ("C’est inadmissible, j’en ai ras-le-bol", Priority.HIGH),  # two angry signals
        ("Vous vous moquez de nous ? Je saisis UFC-Que Choisir", Priority.HIGH),
        ("Ma box clignote en orange", Priority.NORMAL),
    ],
)
def test_french_requests_are_triaged_like_english_ones(text, priority):
    assert assess_priority(text, customer_is_vip=False).priority is priority


def test_french_angry_tone_raises_a_french_case_and_says_why(app, db):
    s = db.session
    case = make_case(
        s, make_user(s), subject="Panne", body="C’est honteux, une arnaque, j’en ai marre !!!"
    )
    assert case.priority == "urgent"
    with force_locale("fr"):
        reasons = render_lines(s, case.events[0])
    assert f"Priorité{NBSP}: Urgente — ton en colère" in reasons


def test_macros_in_the_customers_language_come_first(client, db, auth):
    s = db.session
    admin = make_user(s, "ada", role=Role.ADMIN)
    macros.save_macro(s, admin, None, title="Greeting", body="Hello {customer_name}, thanks.")
    macros.save_macro(
        s, admin, None, title="Bonjour", body="Bonjour {customer_name}, merci pour votre message."
    )
    assert {m.title: m.language for m in s.scalars(select(Macro))} == {
        "Greeting": "en",
        "Bonjour": "fr",
    }
    case = make_case(s, make_user(s, "chloe", locale="fr"))
    s.commit()
    auth.login("ada")
    page = page_of(client.get(f"/desk/cases/{case.id}"))
    assert page.index('optgroup label="Français"') < page.index('optgroup label="English"')
    assert "The customer's language first: Français." in page


def test_a_suggested_article_link_is_written_in_the_customers_language(client, db, auth):
    from tests.factories import make_article

    s = db.session
    tag = make_tag(s, "Router")
    agent = make_agent(s, "sam", locale="en")
    article = make_article(s, agent, title="Redémarrer la box", tags=[tag])
    case = make_case(s, make_user(s, "chloe", locale="fr"), tags=[tag])
    s.commit()
    auth.login("sam")
    page = page_of(client.get(f"/desk/cases/{case.id}?article={article.slug}"))
    assert f"Cet article l’explique{NBSP}: [Redémarrer la box]" in page
    assert "Reply" in page  # the desk itself stays English for Sam


def test_the_sweep_reports_in_the_terminals_language(app, runner, db, monkeypatch):
    output = runner.invoke(args=["cases", "sweep"], env={"LC_ALL": "fr_FR.UTF-8"}).output
    assert output.startswith(f"Escalade automatique terminée{NBSP}: 0 cas ouvert.")
    assert "0 discussion envoyée aux super-utilisateurs." in output


def test_the_default_rules_take_the_sites_language(client, db, auth):
    from portal.site_settings import SiteSetting

    s = db.session
    s.add(SiteSetting(key="default_locale", value="fr"))
    make_user(s, "ada", role=Role.ADMIN, locale="en")
    s.commit()
    auth.login("ada")
    page = page_of(client.get("/desk/rules"))
    assert "Panne" in page and "Risque de résiliation" in page  # the rows: the site's words
    assert "Priority rules" in page  # the page: the admin's language
    assert s.scalar(select(Case.id)) is None


def test_without_a_saved_language_the_customers_own_words_tell_it(app, db):
    s = db.session
    hugo = make_user(s, "hugo")  # no saved language: the site's is English
    written = make_case(
        s, hugo, subject="Le technicien a percé le mur", body="Je ne suis pas content du tout."
    )
    unclear = make_case(s, hugo, subject="Box 4K", body="")
    saved = make_case(s, make_user(s, locale="fr"), subject="My box", body="It is dead.")
    assert queries.customer_language(written) == "fr"
    assert queries.customer_language(unclear) == "en"
    assert queries.customer_language(saved) == "fr"
