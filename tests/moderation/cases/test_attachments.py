"""Files on support requests and their messages: the customer and agents, nobody else."""

import io

from PIL import Image
from sqlalchemy import select

from moderation.cases.models import Case
from portal.models import Attachment
from portal.permissions import Role
from tests.factories import make_user


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def test_request_and_message_files_reach_agents_not_other_customers(client, auth, db):
    make_user(db.session, "jordan")
    make_user(db.session, "other")
    make_user(db.session, "agnes", role=Role.AGENT)
    db.session.commit()
    auth.login("jordan")
    response = client.post(
        "/support/contact",
        data={
            "subject": "Bill shows twice",
            "body": "See the screenshot",
            "attachments": [(io.BytesIO(png()), "bill.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    response = client.post(
        f"/support/cases/{case.id}",
        data={"body": "And the PDF", "attachments": [(io.BytesIO(b"%PDF-1.4\n"), "bill.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [(r.owner_kind, r.filename) for r in rows] == [
        ("case", "bill.png"),
        ("case_event", "bill.pdf"),
    ]
    urls = [f"/attachments/{r.id}/{r.filename}" for r in rows]
    mine = client.get(f"/support/cases/{case.id}").get_data(as_text=True)
    assert all(url in mine for url in urls)
    assert all(client.get(url).status_code == 200 for url in urls)
    auth.logout()
    auth.login("other")
    assert all(client.get(url).status_code == 404 for url in urls)
    auth.logout()
    auth.login("agnes")
    desk = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    assert all(url in desk for url in urls)
    assert all(client.get(url).status_code == 200 for url in urls)


def test_a_refused_file_keeps_the_customers_message(client, auth, db):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    response = client.post(
        "/support/contact",
        data={
            "subject": "Bill shows twice",
            "body": "Everything I wrote",
            "attachments": [(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "bill.png")],
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "“bill.png” is not a file we accept" in page
    assert "Everything I wrote" in page and db.session.scalar(select(Case)) is None
