"""Synthetic customer-service text for the page benchmark, the same for both forums.

Standard library only: the FlaskBB seeder (bench/flaskbb_seed.py) imports it from
FlaskBB's own virtualenv. Everything is drawn from a seeded random generator, so two runs
(and the two forums) get the same threads, replies and queries.
"""

import random

PRODUCTS = [
    "Brightwave Router", "Mesh Extender", "Fibre Box", "TV Stick", "Smart Plug", "Doorbell Cam",
    "Thermostat", "Home Hub", "Mobile Plan", "Family Plan", "Music app", "Cloud Backup",
    "Security Camera", "Smart Bulb", "Voice Speaker", "Set-top Box", "Landline", "Webmail",
    "Parental Controls", "Billing portal",
]  # fmt: skip
TOPICS = [
    "wifi", "billing", "refund", "setup", "firmware", "password", "account", "streaming",
    "bluetooth", "battery", "outage", "contract", "roaming", "voicemail", "email", "app",
    "installation", "speed", "pairing", "privacy", "parental-controls", "backup", "camera",
    "heating", "sim-card", "porting", "invoice", "payment", "upgrade", "cancellation",
]  # fmt: skip
SYMPTOMS = [
    "keeps disconnecting", "is very slow in the evening", "will not turn on", "shows a red light",
    "asks for the password again and again", "stopped working after the update",
    "charged me twice", "does not pair with my phone", "drops the signal upstairs",
    "freezes every few minutes", "lost all my settings", "says the code is invalid",
    "cannot find the network", "buffers on every film", "sends no notifications",
    "shows the wrong balance", "beeps at night", "will not update the firmware",
    "logs me out all the time", "is stuck on the loading screen",
]  # fmt: skip
CONTEXTS = [
    "since last Tuesday", "after I moved house", "when two people are streaming",
    "only on my laptop", "after the power cut", "since the new bill", "every morning around 8",
    "since I changed my plan", "when the microwave is on", "after a factory reset",
    "only in the bedroom", "since the technician visited", "on my partner's phone too",
    "whenever it rains", "after I changed the password",
]  # fmt: skip
TRIED = [
    "I already restarted it twice", "I unplugged everything for ten minutes",
    "I reinstalled the app", "I checked the cables", "I called the helpline but waited an hour",
    "I moved it closer to the window", "I changed the channel in the settings",
    "I cleared the cache", "I tried another socket", "I updated my phone",
    "I reset it to factory settings", "I looked at the status page and there is no outage",
]  # fmt: skip
ASKS = [
    "Has anyone seen this before?", "What else can I try?", "Is this a known issue?",
    "Should I ask for a replacement?", "Can I get a refund for the days it did not work?",
    "Which setting fixes this?", "Do I need a technician?", "Is there a newer firmware?",
]  # fmt: skip
ADVICE = [
    "Open the settings, choose Advanced and switch the band to 5 GHz.",
    "Hold the reset button for thirty seconds, then wait for the light to turn white.",
    "Check the invoice history in the billing portal: the second charge is usually a hold.",
    "Update the firmware from the app, it fixed the same problem for me.",
    "Move the extender halfway between the router and the room, not in the room itself.",
    "Sign out on every device, change the password, then sign in again.",
    "Turn off the automatic channel and pick 1, 6 or 11 by hand.",
    "Ask support for a line test, they can see errors on the line from their side.",
    "Remove the device from the app and pair it again with Bluetooth switched on.",
    "Disable battery saving for the app, otherwise the phone stops the notifications.",
    "The refund form is under Account, Payments, Dispute a charge.",
    "A new power adapter solved it for me, the old one was too weak.",
    "Plug it straight into the router with a cable to see whether the problem is the wifi.",
    "Clear the app data, not only the cache, then log in again.",
    "Schedule the update for the night so it does not interrupt streaming.",
]  # fmt: skip
THANKS = [
    "Thanks, that worked!", "Same here, following this thread.", "Still broken for me.",
    "This fixed it after a second restart.", "Support told me the same thing.",
    "I had to do it twice but now it is fine.", "No luck, any other idea?",
]  # fmt: skip
QUERY_STARTS = ["", "how to ", "why ", "my ", "help ", "fix ", "cannot ", "problem "]


def _question(rng: random.Random, product: str) -> str:
    parts = [
        f"My {product} {rng.choice(SYMPTOMS)} {rng.choice(CONTEXTS)}.",
        f"{rng.choice(TRIED)}, and {rng.choice(TRIED).lower()}.",
    ]
    if rng.random() < 0.5:
        parts.append(f"It also {rng.choice(SYMPTOMS)} {rng.choice(CONTEXTS)}.")
    parts.append(rng.choice(ASKS))
    return " ".join(parts)


def _reply(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(THANKS)
    return " ".join(rng.sample(ADVICE, rng.randint(1, 3)))


def threads(count: int, seed: int = 22):
    """(number, title, tag slugs, question, replies) for threads 0 .. count-1."""
    rng = random.Random(seed)
    for number in range(count):
        product = rng.choice(PRODUCTS)
        title = f"{product} {rng.choice(SYMPTOMS)} {rng.choice(CONTEXTS)}"
        tags = rng.sample(TOPICS, rng.randint(1, 3))
        replies = [_reply(rng) for _ in range(rng.randint(1, 5))]  # three on average
        yield number, title, tags, _question(rng, product), replies


def article(number: int, seed: int = 7) -> tuple[str, str, list[str]]:
    """(title, Markdown body, tag slugs) of knowledge-base article ``number``."""
    rng = random.Random(seed * 1_000_003 + number)
    product, symptom = rng.choice(PRODUCTS), rng.choice(SYMPTOMS)
    title = f"{product}: what to do when it {symptom} ({number})"
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(rng.sample(ADVICE, 4), 1))
    body = (
        f"When your {product} {symptom}, most of the time the cause is simple.\n\n"
        f"## Steps\n\n{steps}\n\n"
        f"## Still not working?\n\n{rng.choice(ADVICE)} {rng.choice(ADVICE)}\n"
    )
    return title, body, rng.sample(TOPICS, 2)


def queries(count: int, seed: int = 99) -> list[str]:
    """``count`` distinct search queries, as customers type them."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        product = rng.choice(PRODUCTS).lower()
        words = rng.choice(SYMPTOMS).split()
        cut = rng.randint(2, len(words))
        query = f"{rng.choice(QUERY_STARTS)}{product} {' '.join(words[:cut])}"
        if rng.random() < 0.5:
            query += " " + rng.choice(CONTEXTS).split()[-1]
        if query in found:  # the combinations run out: a topic word makes it new
            query += " " + rng.choice(TOPICS).replace("-", " ")
        found.setdefault(query)
    return list(found)
