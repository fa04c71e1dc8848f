"""The words a person added to an e-mail: the text part (or the HTML one made plain), without
the quoted message below it or their signature.

Quotes and signatures are found by mail-parser-reply (maintained, and it knows the "On …
wrote:" lines of many languages and mail clients, French and English among them; the older
email-reply-parser has not been released since 2020 and reads English only).
"""

import html
import re
from email.message import EmailMessage

import nh3
from mailparser_reply import EmailReplyParser

LANGUAGES = ["en", "fr", "de", "es", "it", "nl"]
BLOCKS = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote)\b[^>]*>", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """The text of an HTML part: block ends become line breaks, quoted blocks are dropped."""
    markup = BLOCKS.sub("\n", markup)
    text = nh3.clean(markup, tags=set(), clean_content_tags={"blockquote", "script", "style"})
    return html.unescape(text)


def body_text(message: EmailMessage) -> str:
    """The message's text: its text/plain part, else its HTML made plain, else ""."""
    part = message.get_body(("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: read what can be read
        content = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return content.replace("\r\n", "\n")


def new_words(message: EmailMessage) -> str:
    """What the sender wrote in this message, without quotes or signature."""
    text = body_text(message).strip()
    if not text:
        return ""
    replies = EmailReplyParser(languages=LANGUAGES).read(text=text).replies
    written = replies[0].body if replies else text
    return re.sub(r"\n{3,}", "\n\n", written).strip()
