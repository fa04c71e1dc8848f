"""The "Promote to KB article" action on a solved community thread."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.models import Thread
from kb import promotion
from kb.views import bp
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.permissions import can_promote_to_kb, permission_required


@bp.route("/kb/from-thread/<int:thread_id>", methods=["POST"])
@permission_required(can_promote_to_kb)
def promote_thread(thread_id: int):
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("community.thread", thread_id=thread.id)
    try:
        article, created = promotion.promote_thread(db.session, current_user, thread, link=back)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    if created:
        flash(_("Draft article created from the thread: edit it, then publish it."), "success")
    else:
        flash(_("This thread was already turned into this article."), "info")
    return redirect(url_for("kb.article", slug=article.slug))
