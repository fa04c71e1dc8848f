"""Attachments: checked by content, cleaned, stored on disk, served with the post's rights."""

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from community.models import Post, Thread
from portal.errors import ValidationFailed
from portal.models import Attachment
from portal.permissions import Role
from portal.uploads import inspect
from tests.factories import make_tag, make_thread, make_user

# A Windows executable's first bytes: "MZ", then the DOS stub's famous sentence.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
EXE += b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200


def jpeg_with_exif(**fields) -> bytes:
    """A small photo carrying a camera make, a GPS block and a comment, as phones write."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS latitude
    exif[0x0112] = fields.get("orientation", 1)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"shot at home")
    return out.getvalue()


def png_bytes(size=(10, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def wifi(db):
    tag = make_tag(db.session, "Wi-Fi")
    db.session.commit()
    return tag


def ask(client, files, **fields):
    data = {
        "title": "Router light blinks orange all night",
        "body": "Screenshot of the status page attached.",
        "tags": "wi-fi",
        "attachments": files,
        **fields,
    }
    return client.post("/community/ask", data=data, content_type="multipart/form-data")


def test_photo_comes_back_without_exif_and_upright(app):
    with app.test_request_context():
        clean = inspect("IMG_0001.JPG", jpeg_with_exif(orientation=6))
    assert clean.content_type == "image/jpeg" and clean.filename == "IMG_0001.jpg"
    assert b"SecretCam" not in clean.data and b"shot at home" not in clean.data
    image = Image.open(io.BytesIO(clean.data))
    assert not image.getexif() and "exif" not in image.info
    assert image.size == (48, 64)  # orientation 6 (turned 90°) applied before the EXIF went


def test_content_decides_the_type_not_the_name(app):
    with app.test_request_context():
        assert inspect("notes.pdf", b"%PDF-1.7\n1 0 obj\n").content_type == "application/pdf"
        assert inspect("router.log", b"12:00 link down\n").filename == "router.txt"
        assert inspect("really-a-png.jpg", png_bytes()).filename == "really-a-png.png"
        for name, data in [
            ("cat.png", EXE),
            ("page.txt", b"<html><script>alert(1)</script>"),
            ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            ("archive.png", b"PK\x03\x04" + b"\x00" * 40),
        ]:
            with pytest.raises(ValidationFailed, match=name.replace(".", r"\.")):
                inspect(name, data)


def test_attached_photo_is_stored_on_disk_and_served_clean(client, auth, db, wifi, app):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    response = ask(client, [(io.BytesIO(jpeg_with_exif()), "holiday.jpg")])
    assert response.status_code == 302
    row = db.session.scalar(select(Attachment))
    assert row.owner_kind == "post" and row.content_type == "image/jpeg"
    stored = Path(app.instance_path) / "attachments" / row.storage_key
    assert stored.is_file()
    thread_page = client.get(response.headers["Location"]).get_data(as_text=True)
    url = f"/attachments/{row.id}/holiday.jpg"
    assert f'src="{url}"' in thread_page and 'alt="holiday.jpg"' in thread_page
    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"SecretCam" not in served.data and not Image.open(io.BytesIO(served.data)).getexif()
    assert "sandbox" in served.headers["Content-Security-Policy"]
    auth.logout()
    assert client.get(url).status_code == 200  # a public post's file is public


def test_exe_renamed_png_is_refused_and_the_text_kept(client, auth, db, wifi):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    response = ask(client, [(io.BytesIO(EXE), "screenshot.png")], body="My own words here")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“screenshot.png” is not a file we accept" in page
    assert "My own words here" in page and 'value="Router light blinks orange all night"' in page
    assert "choose the files again" in page
    assert db.session.scalar(select(func.count(Thread.id))) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_size_and_count_are_capped_with_a_message(client, auth, db, wifi, app):
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    try:
        response = ask(client, [(io.BytesIO(b"a" * 1001), "big.txt")])
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = 5_000_000
    assert response.status_code == 422 and "“big.txt” is larger than" in response.get_data(
        as_text=True
    )
    five = [(io.BytesIO(png_bytes()), f"p{n}.png") for n in range(5)]
    response = ask(client, five)
    assert response.status_code == 422 and "Attach at most 4 files." in response.get_data(
        as_text=True
    )


def test_a_reply_takes_files_beyond_the_plain_request_limit(client, auth, db, wifi, app):
    thread = make_thread(db.session, tags=[wifi])
    make_user(db.session, "jordan")
    db.session.commit()
    auth.login("jordan")
    log = b"line of a router log\n" * 150_000  # 3 MB: over MAX_CONTENT_LENGTH (2 MB) alone
    response = client.post(
        f"/community/threads/{thread.id}/reply",
        data={"body": "Here is the log", "attachments": [(io.BytesIO(log), "router.log")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    row = db.session.scalar(select(Attachment))
    served = client.get(f"/attachments/{row.id}/router.txt")
    assert served.status_code == 200 and "attachment" in served.headers["Content-Disposition"]
    # Elsewhere the small limit stands.
    big = client.post("/settings/profile", data={"bio": "x" * (3 * 1024 * 1024)})
    assert big.status_code == 413


def test_a_held_posts_file_is_not_served_to_others(client, auth, db, wifi, app):
    app.config["MODERATION_NEW_ACCOUNT_HELD_POSTS"] = 2
    try:
        make_user(db.session, "newbie")
        make_user(db.session, "other")
        make_user(db.session, "mod", role=Role.MODERATOR)
        db.session.commit()
        auth.login("newbie")
        assert ask(client, [(io.BytesIO(png_bytes()), "screen.png")]).status_code == 302
    finally:
        app.config["MODERATION_NEW_ACCOUNT_HELD_POSTS"] = 0
    assert db.session.scalar(select(Post)).status == "held"
    url = f"/attachments/{db.session.scalar(select(Attachment.id))}/screen.png"
    assert client.get(url).status_code == 200  # its author sees it
    auth.logout()
    assert client.get(url).status_code == 404  # a visitor does not
    auth.login("other")
    assert client.get(url).status_code == 404  # nor another member
    auth.logout()
    auth.login("mod")
    assert client.get(url).status_code == 200  # the moderator reviewing it does
