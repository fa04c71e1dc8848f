"""Demo cases: seeded after the community (see seed_cases)."""


def seed_cases(sender, *, session, users, tags, **data) -> None:
    """Filled in below."""
