"""Replies by e-mail: an answer to a notification about a thread becomes a reply in it.

portal/inbound publishes ``mail.reply_received`` once it knows who wrote (the signed reply
address) and what they added (quotes and signature stripped); this calls the same service
function as the reply form, so a locked thread, a suspended member or a held post is
refused or held exactly as on the site.
"""

from flask_babel import gettext as _

from community import service
from community.models import Thread
from portal.errors import NotFound


def on_reply_received(sender, *, session, user, target, text, results, **data) -> None:
    """Post ``text`` as ``user``'s reply when the target is a thread."""
    kind, _sep, number = target.partition(":")
    if kind != "thread":
        return
    thread = session.get(Thread, int(number))
    if thread is None:
        raise NotFound(_("This thread no longer exists, so your reply was not posted."))
    post = service.reply(session, user, thread, body=text)
    session.flush()
    results.append(f"post {post.id} in thread {thread.id} ({post.status})")
