"""Demo data: Brightwave, a fictional home-internet and smart-home provider.

Every text here was written for this project. Seeding is idempotent: users and tags are
looked up by username and slug, so running it twice changes nothing. Other packages add
their content by subscribing to the "demo.seeding" event (see their init_app).
"""

import zlib
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import events, service
from portal.database import utcnow
from portal.models import Tag, User
from portal.permissions import Role

DEMO_PASSWORD = "brightwave-demo"

# username, display name, role, bio (content: the members' own words, not translated)
DEMO_USERS = [
    ("ada", "Ada Okafor", Role.ADMIN, "Runs support operations at Brightwave."),
    ("sam", "Sam Varga", Role.AGENT, "Agent, network and outage specialist."),
    ("nina", "Nina Laurent", Role.AGENT, "Agent, billing and contracts. Parle français."),
    ("theo", "Théo Marchand", Role.AGENT, "Agent, smart-home devices."),
    ("morgan", "Morgan Reyes", Role.MODERATOR, "Community moderator. Be kind, stay on topic."),
    ("priya", "Priya Raman", Role.SUPERUSER, "Home-lab tinkerer; mesh Wi-Fi and VLANs."),
    ("lucas", "Lucas Bernard", Role.SUPERUSER, "Domotique enthusiast, thermostats and sensors."),
    ("jordan", "Jordan Lee", Role.CUSTOMER, "Fibre 1 Gb customer since 2024."),
    ("emma", "Emma Schulz", Role.CUSTOMER, ""),
    ("karim", "Karim Haddad", Role.CUSTOMER, "Works from home, needs a stable line."),
    ("chloe", "Chloé Martin", Role.CUSTOMER, "Cliente Brightwave à Lyon."),
    ("oliver", "Oliver Brown", Role.CUSTOMER, ""),
]

# The agent who speaks French (billing) and the customer in Lyon.
FRENCH_SPEAKERS = ("nina", "chloe")

# name, description
DEMO_TAGS = [
    ("Internet", "Fibre and DSL connections: speed, drops, line tests."),
    ("Wi-Fi", "Wireless coverage, mesh extenders, interference and passwords."),
    ("Router", "The Brightwave Hub router: set-up, lights, ports and firmware."),
    ("Outages", "Service interruptions in your area and what to do meanwhile."),
    ("Billing", "Invoices, payments, refunds and price changes."),
    ("Account", "Signing in, contact details, contract owner and moving house."),
    ("Installation", "Appointments, technician visits and self-install kits."),
    ("Smart Home", "The Brightwave Home app and connected devices."),
    ("Thermostat", "The Brightwave smart thermostat: schedules, sensors, heating."),
    ("Cameras", "Indoor and outdoor cameras: recording, storage, privacy."),
    ("TV", "Brightwave TV boxes, channels and streaming apps."),
    ("Security", "Passwords, phishing, parental controls and safe browsing."),
]


def demo_joined_at(username: str) -> datetime:
    """When a demo account joined: 150 to 900 days ago, the same for a name on every run, so
    "member since" is older than the oldest demo post (120 days) and differs by person."""
    days = 150 + zlib.crc32(username.encode()) % 750
    return utcnow() - timedelta(days=days)


def seed_users(session: Session) -> dict[str, User]:
    users = {}
    for username, display_name, role, bio in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = service.register_user(
                session,
                username=username,
                email=f"{username}@demo.brightwave.example",
                password=DEMO_PASSWORD,
                role=role,
            )
            user.display_name, user.bio = display_name, bio
            user.created_at = demo_joined_at(username)
            # Demo addresses cannot receive mail: counted as confirmed, so posts go public.
            user.email_verified_at = utcnow()
            # The French speakers see the portal in French when they sign in.
            user.locale = "fr" if username in FRENCH_SPEAKERS else None
        users[username] = user
    return users


def seed_tags(session: Session) -> dict[str, Tag]:
    tags = {}
    for name, description in DEMO_TAGS:
        slug = service.slugify(name)
        tag = session.scalar(select(Tag).where(Tag.slug == slug))
        if tag is None:
            tag = service.create_tag(session, None, name=name, description=description)
        tags[slug] = tag
    return tags


class DemoCounts(NamedTuple):
    users: int
    tags: int


def seed(session: Session) -> DemoCounts:
    """Create the demo company's users and tags, then let other packages add theirs; how
    many accounts and tags the portal then has."""
    users = seed_users(session)
    tags = seed_tags(session)
    session.flush()
    events.publish("demo.seeding", session=session, users=users, tags=tags)
    user_count = session.scalar(select(func.count(User.id)))
    tag_count = session.scalar(select(func.count(Tag.id)))
    return DemoCounts(user_count, tag_count)
