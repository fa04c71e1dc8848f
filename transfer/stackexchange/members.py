"""Users.xml → placeholder accounts, Tags.xml → tags."""

from sqlalchemy import select

from portal import service as portal_service
from portal.models import Tag, User
from transfer import html
from transfer.accounts import is_placeholder, make_placeholder
from transfer.mapping import CREATE, SKIP, digest
from transfer.stackexchange.dump import UNKNOWN_AUTHOR, Dump, when


def import_users(dump: Dump) -> None:
    for row in dump.each_row("Users.xml", "Users"):
        name, about = row.get("DisplayName", "").strip(), html.to_text(row.get("AboutMe", ""))
        sha = digest(name, about)
        plan = dump.map.plan("user", row["Id"], sha)
        dump.report.add("user", plan)
        if plan == SKIP:
            continue
        if dump.batches.dry_run:
            dump.planned.add(("user", row["Id"]))
            continue
        if plan == CREATE:
            user = make_placeholder(
                dump.session,
                source_slug=dump.source_slug,
                source_id=row["Id"],
                display_name=name or row["Id"],
                bio=about,
                created_at=when(row.get("CreationDate")),
            )
        else:
            user = dump.session.get(User, dump.map.local_id("user", row["Id"]))
            # A claimed or deleted account is its owner's now: the dump no longer speaks for it.
            if user is not None and is_placeholder(user) and not user.is_deleted:
                user.display_name, user.bio = name[:80], about[:500]
        dump.map.remember("user", row["Id"], user.id, sha)
        dump.batches.tick()


def author_id(dump: Dump, source_user_id: str | None) -> int:
    """The local author of an imported post: its user's placeholder, else one stand-in
    per source for posts whose user left Stack Exchange."""
    local = dump.map.local_id("user", source_user_id) if source_user_id else None
    if local is not None:
        return local
    local = dump.map.local_id("user", UNKNOWN_AUTHOR)
    if local is None:
        user = make_placeholder(
            dump.session, source_slug=dump.source_slug, source_id=UNKNOWN_AUTHOR,
            display_name="Former member", bio="", created_at=None,
        )  # fmt: skip
        dump.map.remember("user", UNKNOWN_AUTHOR, user.id, "")
        local = user.id
    return local


def tag_for(dump: Dump, name: str) -> Tag | None:
    """The local tag for a dump's tag name, created (and mapped) when missing."""
    slug = portal_service.slugify(name)[:64]
    if not slug:
        return None
    tag = dump.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        tag = portal_service.create_tag(dump.session, None, name=name)
    if dump.map.local_id("tag", name) is None:
        dump.map.remember("tag", name, tag.id, digest(name))
    return tag


def import_tags(dump: Dump) -> None:
    for row in dump.each_row("Tags.xml", "Tags"):
        name = row.get("TagName", "")
        plan = dump.map.plan("tag", name, digest(name))
        dump.report.add("tag", plan)
        if plan == CREATE and not dump.batches.dry_run:
            tag_for(dump, name)
            dump.batches.tick()
