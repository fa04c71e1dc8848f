"""What an uploaded file really is, judged by its content, never its name, and made safe.

- Pictures (PNG, JPEG, GIF, WebP) are decoded by Pillow and encoded again from their pixels
  alone: EXIF (camera, GPS position), XMP, ICC, comments and any bytes hidden after the
  image are gone; the EXIF orientation is applied first, so nothing shows sideways. A GIF
  becomes a still PNG; a picture larger than IMAGE_MAX_SIDE is scaled down.
- PDF is recognised by its signature (the `filetype` library), plain text by being UTF-8
  without control bytes; both are kept as sent and always served as downloads.
- Anything else (an .exe renamed .png, an HTML page, an SVG with script) is refused with a
  message naming the file.
"""

import io
import re
import warnings
from dataclasses import dataclass

import filetype
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.errors import ValidationFailed

IMAGE_MAX_SIDE = 4096  # pixels: a larger photo is scaled down (no screenshot needs more)
IMAGE_MAX_PIXELS = 50_000_000  # refused above this before decoding: a decompression bomb
AVATAR_SIDE = 256
# Pillow's format → (content type, extension, format saved): GIF is saved as PNG (a still).
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg", "JPEG"),
    "PNG": ("image/png", "png", "PNG"),
    "GIF": ("image/png", "png", "PNG"),
    "WEBP": ("image/webp", "webp", "WEBP"),
}
DOCUMENT_TYPES = {"application/pdf": "pdf"}
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
NAME_MAX = 120


@dataclass(frozen=True)
class CleanFile:
    """An accepted upload: the bytes to store, its real type and a display name."""

    filename: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def display_name(filename: str, extension: str) -> str:
    """The name as sent, without any folder, ending in the extension of its real type."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]+", "", (filename or "").rsplit("/", 1)[-1]).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{(stem or 'file')[:NAME_MAX]}.{extension}"


def not_accepted(filename: str) -> ValidationFailed:
    return ValidationFailed(
        _(
            "“%(name)s” is not a file we accept: attach a picture (PNG, JPEG, GIF, WebP), a PDF "
            "or a plain-text file.",
            name=filename or "?",
        ),
        field="attachments",
    )


def open_image(filename: str, data: bytes) -> Image.Image | None:
    """The decoded picture, None when the bytes are no picture we accept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                return None
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise ValidationFailed(
                    _("“%(name)s” has too many pixels.", name=filename), field="attachments"
                )
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        return None
    return image


def encode(image: Image.Image, pillow_format: str) -> bytes:
    """The pixels alone, in pillow_format: no metadata of the original is carried over."""
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if pillow_format == "JPEG" or not has_alpha:
        pixels = image.convert("RGB")
    else:
        pixels = image.convert("RGBA")
    pixels.info = {}
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if pillow_format == "JPEG" else {}
    if pillow_format == "WEBP":
        options = {"quality": 85}
    pixels.save(out, pillow_format, **options)
    return out.getvalue()


def clean_image(filename: str, image: Image.Image) -> CleanFile:
    content_type, extension, pillow_format = IMAGE_FORMATS[image.format]
    upright = ImageOps.exif_transpose(image)  # before the EXIF goes: keep the photo upright
    upright.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    return CleanFile(
        display_name(filename, extension),
        content_type,
        encode(upright, pillow_format),
        upright.width,
        upright.height,
    )


def inspect(filename: str, data: bytes) -> CleanFile:
    """The upload made safe to store and serve, or ValidationFailed naming the file."""
    image = open_image(filename, data)
    if image is not None:
        return clean_image(filename, image)
    kind = filetype.guess(data)
    if kind is not None:
        if kind.mime in DOCUMENT_TYPES:
            return CleanFile(display_name(filename, DOCUMENT_TYPES[kind.mime]), kind.mime, data)
        raise not_accepted(filename)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise not_accepted(filename) from None
    if not data.strip() or CONTROL_BYTES.search(data) or data.lstrip()[:1] == b"<":
        raise not_accepted(filename)  # markup is refused too: it could be read as a page
    return CleanFile(display_name(filename, "txt"), "text/plain", data)


def square_avatar(filename: str, data: bytes) -> bytes:
    """A profile picture: any accepted picture, cropped square around its centre, as WebP."""
    image = open_image(filename, data)
    if image is None:
        raise ValidationFailed(
            _("“%(name)s” is not a picture: use a PNG, JPEG, GIF or WebP image.", name=filename),
            field="avatar",
        )
    square = ImageOps.fit(ImageOps.exif_transpose(image), (AVATAR_SIDE, AVATAR_SIDE))
    return encode(square, "WEBP")
