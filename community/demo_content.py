"""Demo threads about the line, Wi-Fi, the router, outages, billing and accounts.

Written for this project; Brightwave, its products and its customers are fictional.
"""

from dataclasses import dataclass, field


@dataclass
class R:
    """A demo reply: who, what, how many hours after the question, votes."""

    author: str
    body: str
    after_hours: float = 2
    up: int = 0
    down: int = 0


@dataclass
class Q:
    """A demo thread; solved is the index of the accepted reply."""

    title: str
    author: str
    tags: list[str]
    hours_ago: float
    body: str
    replies: list[R] = field(default_factory=list)
    solved: int | None = None
    up: int = 0
    locked: bool = False
    duplicate_of: str | None = None
    edited_from: str | None = None


DAY = 24

THREADS = [
    Q(
        "Wi-Fi drops every evening around 8 pm",
        "jordan",
        ["wi-fi", "router"],
        40 * DAY,
        "Every evening between 8 and 10 pm my laptop and phone lose Wi-Fi for a minute or "
        "two, several times. Wired devices stay online. Hub 3, firmware 4.2. Anything I can "
        "check before calling?",
        [
            R(
                "priya",
                "Evenings are when your neighbours' networks get busy. Open the Hub page "
                "(`192.168.1.1` → **Wi-Fi → Channels**) and switch the 2.4 GHz band from *Auto* "
                "to channel **1, 6 or 11**, whichever the scan shows as least crowded. Also turn "
                "on *band steering* so devices that can use 5 GHz do.",
                3,
                up=9,
            ),
            R("oliver", "Same here, I thought it was my laptop.", 5, up=1),
            R(
                "sam",
                "Priya's advice is right. If it keeps happening after the channel change, "
                "run the line test in the app: we can see if the drops are on the line or only "
                "on Wi-Fi.",
                8,
                up=3,
            ),
        ],
        solved=0,
        up=6,
    ),
    Q(
        "Fibre speed test shows 300 Mb/s instead of 1 Gb/s",
        "karim",
        ["internet"],
        33 * DAY,
        "I pay for Fibre 1 Gb. Speed tests on my PC show 290–320 Mb/s down. The Hub status "
        "page says the line is synced at 1000 Mb/s. What is eating the rest?",
        [
            R(
                "marta",
                "Check the network card and the cable first. A lot of older PCs and "
                "Cat5 cables negotiate 100 Mb/s or have a poor 1 Gb/s link; on Windows look at "
                "*Settings → Network → Ethernet → Link speed*. Over Wi-Fi, 300 Mb/s is about what "
                "a 2×2 Wi-Fi 5 laptop gets in the next room.",
                2,
                up=11,
            ),
            R(
                "karim",
                "Link speed said 100 Mb/s... then I swapped the flat cable for a Cat6 one "
                "and now I get 940 Mb/s. Thank you!",
                20,
                up=2,
            ),
        ],
        solved=0,
        up=8,
    ),
    Q(
        "What do the router lights mean? Orange blinking",
        "emma",
        ["router"],
        28 * DAY,
        "The light on the front of my Hub 3 is blinking orange since this morning. Internet "
        "works, slowly. Is it dying?",
        [
            R(
                "theo",
                "Blinking orange means the Hub is downloading or installing a firmware "
                "update; it can take 20 minutes and the connection may be slow meanwhile. Please "
                "do not unplug it. Solid orange would mean no line sync, and red means an "
                "error: restart it then.",
                1,
                up=7,
            ),
            R("emma", "It went white after a while. Good to know!", 6),
        ],
        solved=0,
        up=4,
    ),
    Q(
        "Hub 3 reboots on its own several times a day",
        "ben",
        ["router"],
        19 * DAY,
        "Since last week the Hub restarts by itself, three or four times a day; all our office "
        "PCs drop. It sits in a cupboard with the NAS.",
        [
            R(
                "marta",
                "A cupboard shared with a NAS is a classic overheating spot. Leave the "
                "door open for a day or move the Hub onto a shelf with 10 cm of air around it. "
                "If the reboots stop, it was heat.",
                2,
                up=6,
            ),
            R(
                "sam",
                "We also see this with third-party power supplies. Make sure it is the "
                "original 12 V / 2 A adapter. If it still happens after both checks, we send "
                "a replacement.",
                5,
                up=4,
            ),
            R("ben", "Moved it to a shelf: no reboot in four days.", 4 * DAY, up=1),
        ],
        solved=0,
        up=3,
    ),
    Q(
        "Outage in Lyon 3e this morning?",
        "chloe",
        ["outages"],
        9 * DAY,
        "Plus d'internet depuis 7 h ce matin, voyant rouge sur la box. Est-ce que d'autres "
        "clients du 3e arrondissement sont touchés ?",
        [
            R(
                "amelie",
                "Oui, pareil rue Paul Bert. La page *État du réseau* de l'appli "
                "indique un incident fibre en cours.",
                1,
                up=3,
            ),
            R(
                "nina",
                "Bonjour Chloé, un câble a été endommagé par des travaux ; le retour est "
                "prévu vers 14 h. Les clients touchés plus de 24 h reçoivent un avoir "
                "automatiquement sur la prochaine facture.",
                2,
                up=6,
            ),
            R("chloe", "C'est revenu à 13 h 40, merci pour l'info.", 7),
        ],
        solved=1,
        up=2,
    ),
    Q(
        "How do I get the outage credit?",
        "oliver",
        ["outages", "billing"],
        8 * DAY,
        "My line was down for two days last week. Do I have to ask for compensation, or does "
        "it happen by itself?",
        [
            R(
                "nina",
                "It is automatic when our network caused an interruption of more than "
                "24 hours: a credit of one day's subscription per day down appears on the next "
                "invoice as *Service interruption credit*. If your outage does not show up, reply "
                "here with the dates and we check.",
                3,
                up=5,
            ),
        ],
        solved=0,
        up=3,
    ),
    Q(
        "Charged twice for November",
        "emma",
        ["billing"],
        12 * DAY,
        "My bank statement shows two debits of 39.99 for November. The invoice page lists "
        "only one.",
        [
            R(
                "nina",
                "Sorry about that. When a direct debit is rejected and retried the same "
                "week, the bank sometimes shows both attempts for a few days. If the second one "
                "is still there after 5 working days, open *Contact support → Billing* and we "
                "refund it the same day.",
                4,
                up=4,
            ),
            R("emma", "It disappeared from my statement two days later.", 3 * DAY, up=1),
        ],
        solved=0,
        up=2,
    ),
    Q(
        "Pourquoi ma facture a augmenté de 3 € ?",
        "amelie",
        ["billing"],
        21 * DAY,
        "Ma facture de ce mois est à 42,99 € au lieu de 39,99 €. Je n'ai rien changé à mon "
        "abonnement.",
        [
            R(
                "nina",
                "Bonjour Amélie, la promotion de 12 mois de votre offre s'est terminée ce "
                "mois-ci. Vous pouvez passer à l'offre Fibre 500 au même prix qu'avant, sans "
                "engagement, depuis *Mon compte → Changer d'offre*.",
                5,
                up=5,
            ),
            R(
                "lucas",
                "J'ai fait ça l'an dernier, la Fibre 500 suffit largement pour nous.",
                9,
                up=2,
            ),
        ],
        solved=0,
        up=2,
    ),
    Q(
        "Moving house next month: transfer the contract?",
        "karim",
        ["account", "installation"],
        15 * DAY,
        "We move on the 14th. Can the Hub and the contract follow us, and is there a fee?",
        [
            R(
                "sam",
                "Yes: *My account → Moving house* lets you pick the date; we check fibre "
                "at the new address and book the activation for that day. Take the Hub with "
                "you. Moving is free once a year.",
                2,
                up=4,
            ),
            R("ben", "Book it early, the technician slots at the new place fill up fast.", 6, up=3),
        ],
        solved=0,
        up=1,
    ),
    Q(
        "Change the account holder after a separation",
        "oliver",
        ["account"],
        26 * DAY,
        "The contract is in my ex-partner's name and she agrees to hand it over to me. How "
        "do we do that without a new installation?",
        [
            R(
                "nina",
                "Both of you sign the *transfer of contract* form in the app (she starts "
                "it, you accept with your own login). The line, number and equipment stay; "
                "only the holder and bank details change.",
                20,
                up=3,
            ),
        ],
        solved=0,
    ),
    Q(
        "Technician did not show up for the installation",
        "jordan",
        ["installation"],
        5 * DAY,
        "My fibre installation was booked for this morning 8–12. Nobody came, no call. Who "
        "do I talk to?",
        [
            R(
                "sam",
                "I am sorry, Jordan. I see the visit was cancelled on the subcontractor's "
                "side without informing you. I booked the first slot on Thursday and added a "
                "note. You will get a confirmation SMS.",
                1,
                up=2,
            ),
            R("jordan", "Got the SMS, thanks Sam.", 2),
        ],
        solved=0,
        up=4,
    ),
    Q(
        "Self-install kit: the fibre socket has no label",
        "yuki",
        ["installation"],
        3 * DAY,
        "The kit says to plug the fibre into the socket labelled *PTO*. Mine has two sockets "
        "and no label at all. Which one?",
        [
            R(
                "marta",
                "On most outlets it is the left one, but look at the little caps: the "
                "one with a green connector inside is the fibre for your line. Don't look into "
                "the socket with the cap off.",
                4,
                up=2,
            ),
        ],
    ),
    Q(
        "Static IP address for a home server?",
        "ben",
        ["internet", "router"],
        48 * DAY,
        "Is a fixed public IPv4 possible on a residential plan? I want to reach my NAS from "
        "outside without dynamic DNS.",
        [
            R(
                "priya",
                "Residential plans get a dynamic IPv4 that in practice changes rarely, "
                "and a fixed IPv6 /56. The Hub has a built-in dynamic DNS client (*Advanced → "
                "DDNS*). A fixed IPv4 is an option on the Business plans only.",
                3,
                up=5,
            ),
            R("ben", "DDNS on the Hub works fine, thank you.", 30),
        ],
        solved=0,
        up=2,
    ),
    Q(
        "Port forwarding for a game server does not work",
        "oliver",
        ["router"],
        2.5 * DAY,
        "I forwarded TCP/UDP 25565 to my PC in the Hub settings but friends still can't "
        "connect. The PC firewall allows the port.",
    ),
    Q(
        "Ethernet port 4 on the Hub is dead",
        "karim",
        ["router"],
        70,
        "Port 4 does nothing: no light, no link, with any cable. Ports 1–3 work. Warranty?",
    ),
    Q(
        "Latency spikes in online games every 30 seconds",
        "oliver",
        ["internet", "wi-fi"],
        6 * DAY,
        "Ping to game servers jumps from 15 ms to 200 ms every 30 seconds or so, on Wi-Fi.",
        [
            R(
                "marta",
                "Periodic spikes on Wi-Fi are often the laptop scanning for networks, "
                "especially with *location services* on. Try a cable for ten minutes: if the "
                "spikes vanish, it's the Wi-Fi card, not the line.",
                5,
                up=3,
            ),
            R("oliver", "With a cable it is much better, but I can't run one to my room.", 30),
        ],
        up=2,
    ),
    Q(
        "5 GHz network not visible on my old laptop",
        "emma",
        ["wi-fi"],
        17 * DAY,
        "My phone sees *Brightwave-5G* but my 2016 laptop does not.",
        [
            R(
                "priya",
                "The Hub uses channel 100+ on 5 GHz by default. Some older cards only "
                "support channels 36–48. Set 5 GHz to channel **36** in the Wi-Fi settings and "
                "the laptop will see it.",
                2,
                up=8,
            ),
        ],
        solved=0,
        up=3,
    ),
    Q(
        "Mesh point placement for a three-storey house",
        "ben",
        ["wi-fi"],
        24 * DAY,
        "Hub in the basement, two mesh points. Where should they go? The top floor has barely "
        "one bar.",
        [
            R(
                "priya",
                "Put the first point on the ground floor roughly above the Hub, and the "
                "second on the first floor at the foot of the stairs to the top floor. Each point "
                "should see the previous one with at least two bars in the app's *Mesh map*. "
                "Floors cost more signal than walls.",
                4,
                up=10,
            ),
            R(
                "marta",
                "Agree. And if you can, connect the first point to the Hub with a cable "
                "(wired backhaul): it roughly doubles the speed upstairs.",
                6,
                up=5,
            ),
        ],
        solved=0,
        up=5,
    ),
    Q(
        "Change the Wi-Fi password without losing my smart plugs",
        "chloe",
        ["wi-fi", "smart-home"],
        14 * DAY,
        "Je veux changer le mot de passe Wi-Fi, mais j'ai 8 prises connectées. Faut-il toutes "
        "les reconfigurer ?",
        [
            R(
                "lucas",
                "Oui, chaque appareil doit réapprendre le mot de passe. Astuce : créez "
                "d'abord un *réseau invité* avec l'ancien nom et l'ancien mot de passe pour les "
                "prises, puis changez le réseau principal. Les prises restent connectées.",
                3,
                up=6,
            ),
        ],
        solved=0,
        up=2,
    ),
    Q(
        "Internet very slow since yesterday, line test says OK",
        "jordan",
        ["internet"],
        30,
        "Everything crawls since yesterday afternoon, wired and Wi-Fi. The line test in the "
        "app says *No fault found*. Restarted the Hub twice.",
    ),
    Q(
        "Wi-Fi keeps disconnecting in the evening",
        "oliver",
        ["wi-fi"],
        38 * DAY,
        "Every night my Wi-Fi disconnects a few times. Is this a known problem?",
        [
            R(
                "priya",
                "Same question as the evening drops thread; the channel fix there should help.",
                1,
                up=2,
            )
        ],
        duplicate_of="Wi-Fi drops every evening around 8 pm",
    ),
    Q(
        "Guest Wi-Fi for an Airbnb flat",
        "yuki",
        ["wi-fi", "security"],
        11 * DAY,
        "I rent a room. How do I give guests Wi-Fi without access to my cameras and NAS?",
        [
            R(
                "marta",
                "Turn on *Guest network* in the Hub: it isolates guests from your "
                "devices and from each other. You can schedule it and print a QR code from the "
                "app for the room.",
                2,
                up=4,
            ),
        ],
        up=1,
    ),
]
