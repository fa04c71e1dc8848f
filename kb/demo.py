"""Demo articles for Brightwave; added by seed-demo through the "demo.seeding" event."""


def seed_articles(sender, *, session, users, tags) -> None:
    """Create the demo articles that do not exist yet (looked up by title)."""
