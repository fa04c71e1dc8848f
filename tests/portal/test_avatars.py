"""Profile pictures: drawn from initials by default, uploaded ones cropped and cleaned."""

import io

from PIL import Image

from portal.avatars import colour, initials
from tests.factories import make_tag, make_thread, make_user


def contrast_with_white(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_drawn_colours_keep_white_initials_readable():
    colours = {colour(user_id) for user_id in range(1, 200)}
    assert len(colours) > 50  # neighbours differ
    assert all(contrast_with_white(c) >= 4.5 for c in colours)
    assert colour(42) == colour(42)


def test_generated_avatar_is_an_svg_of_the_initials(client, db):
    user = make_user(db.session, "ada", display_name="Ada Lovelace")
    db.session.commit()
    assert initials(user) == "AL"
    response = client.get("/u/ada/avatar")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert ">AL</text>" in response.get_data(as_text=True)
    assert colour(user.id) in response.get_data(as_text=True)
    assert client.get("/u/nobody/avatar").status_code == 404


def test_avatars_are_shown_next_to_names(client, db):
    thread = make_thread(db.session, make_user(db.session, "ada"), tags=[make_tag(db.session)])
    db.session.commit()
    page = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert 'src="/u/ada/avatar?v=0"' in page and 'alt=""' in page
    assert 'src="/u/ada/avatar?v=0"' in client.get("/u/ada").get_data(as_text=True)


def test_uploaded_picture_is_cropped_square_and_cleaned(client, auth, db):
    make_user(db.session, "ada")
    db.session.commit()
    auth.login("ada")
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    Image.new("RGB", (400, 200), (10, 120, 200)).save(photo, "JPEG", exif=exif.tobytes())
    response = client.post(
        "/settings/avatar",
        data={"avatar": (io.BytesIO(photo.getvalue()), "me.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    settings = client.get("/settings").get_data(as_text=True)
    assert "/u/ada/avatar?v=" in settings and "Remove picture" in settings
    served = client.get("/u/ada/avatar")
    image = Image.open(io.BytesIO(served.data))
    assert served.mimetype == "image/webp" and image.size == (256, 256)
    assert b"SecretCam" not in served.data
    refused = client.post(
        "/settings/avatar",
        data={"avatar": (io.BytesIO(b"MZ" + b"\x00" * 100), "me.png")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "“me.png” is not a picture" in refused.get_data(
        as_text=True
    )
    assert client.post("/settings/avatar", data={"remove": "1"}).status_code == 302
    assert client.get("/u/ada/avatar").mimetype == "image/svg+xml"
