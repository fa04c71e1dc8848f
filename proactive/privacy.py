"""A deleted account in proactive's tables, and a member's part of "Download my data".

Follows of known issues go with the account. A surge alert's samples quote posts,
requests and searches: a deleted member's samples are taken out of every alert (the
alert's counts stay, they name no one). Links and issues are staff records about threads
and cases, erased with those by their packages.
"""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.models import User
from proactive.models import KnownIssue, KnownIssueFollow, SurgeAlert


def on_user_deleting(sender, *, session: Session, user: User, **data) -> None:
    session.execute(delete(KnownIssueFollow).where(KnownIssueFollow.user_id == user.id))
    for alert in session.scalars(select(SurgeAlert)):
        kept = [s for s in alert.samples or [] if s.get("user_id") != user.id]
        if len(kept) != len(alert.samples or []):
            alert.samples = kept


def on_data_collecting(sender, *, session: Session, user: User, data: dict, **extra) -> None:
    followed = session.execute(
        select(KnownIssue.title, KnownIssueFollow.created_at)
        .join(KnownIssueFollow, KnownIssueFollow.issue_id == KnownIssue.id)
        .where(KnownIssueFollow.user_id == user.id)
        .order_by(KnownIssueFollow.id)
    ).all()
    data["proactive"] = {
        "known_issues_followed": [{"title": title, "at": at} for title, at in followed]
    }
