"""Demo threads about the smart home, the thermostat, cameras, TV and security.

Written for this project; Brightwave, its products and its customers are fictional.
"""

from community.demo_content import DAY, Q, R

THREADS = [
    Q(
        "Thermostat shows 'Sensor offline' every night",
        "karim",
        ["thermostat", "smart-home"],
        45 * DAY,
        "The Brightwave Thermo loses its room sensor at night and heats to the default 19 °C.",
        [
            R(
                "lucas",
                "The room sensor runs on a CR2032; at night the cold flat lowers the "
                "voltage and a tired battery drops out. Replace it, and check the sensor is not "
                "more than two rooms from the thermostat.",
                3,
                up=9,
            ),
            R("karim", "New battery, no drop for a week. Merci Lucas!", 6 * DAY, up=1),
        ],
        solved=0,
        up=5,
    ),
    Q(
        "Programme de chauffage : la maison est froide au réveil",
        "chloe",
        ["thermostat"],
        36 * DAY,
        "J'ai programmé 20 °C à 6 h 30 mais à 7 h il fait encore 17 °C. Le thermostat ne "
        "démarre-t-il qu'à l'heure exacte ?",
        [
            R(
                "lucas",
                "Activez *Démarrage anticipé* dans l'appli (Thermostat → Réglages). Le "
                "thermostat apprend combien de temps votre logement met à chauffer et commence "
                "plus tôt pour atteindre 20 °C à 6 h 30. Il lui faut environ une semaine "
                "d'apprentissage.",
                2,
                up=8,
            ),
            R("amelie", "Ça marche très bien chez moi, au bout de 4-5 jours.", 10, up=3),
        ],
        solved=0,
        up=4,
    ),
    Q(
        "Can the thermostat control a heat pump?",
        "ben",
        ["thermostat"],
        60 * DAY,
        "We are replacing the gas boiler with an air-to-water heat pump. Will the Brightwave "
        "Thermo work with it?",
        [
            R(
                "theo",
                "Yes if the heat pump has a dry-contact (on/off) room thermostat input, "
                "which almost all do. OpenTherm modulation is supported on gas boilers only for "
                "now. Set *Heating type → Heat pump* so it uses longer, gentler cycles.",
                5,
                up=6,
            ),
        ],
        solved=0,
        up=3,
    ),
    Q(
        "Thermostat schedule ignores holidays mode",
        "emma",
        ["thermostat"],
        55,
        "I set holiday mode until Sunday but the schedule still heated the flat to 21 °C "
        "yesterday morning.",
    ),
    Q(
        "Outdoor camera: night vision is blurry",
        "yuki",
        ["cameras"],
        31 * DAY,
        "Daytime image is sharp, but at night the picture is a white haze.",
        [
            R(
                "priya",
                "That haze is usually infrared light bouncing off something close: a "
                "wall edge, the gutter, or cobwebs on the lens. Tilt the camera a few degrees "
                "away from the wall and clean the glass.",
                2,
                up=7,
            ),
            R("yuki", "It was a spider web. Of course it was.", 20, up=4),
        ],
        solved=0,
        up=4,
    ),
    Q(
        "How long are camera clips kept?",
        "oliver",
        ["cameras", "security"],
        22 * DAY,
        "How many days of recordings are stored, and where? Can Brightwave staff watch them?",
        [
            R(
                "theo",
                "Clips are kept 7 days on the free plan and 30 days with Cam Plus, "
                "encrypted in our EU data centre. Staff cannot open them; support only sees "
                "whether the camera is online. You can also record to a microSD card only.",
                3,
                up=6,
            ),
        ],
        solved=0,
        up=4,
    ),
    Q(
        "Indoor camera goes offline when the microwave is on",
        "jordan",
        ["cameras", "wi-fi"],
        13 * DAY,
        "Funny one: the kitchen camera disconnects every time someone uses the microwave.",
        [
            R(
                "marta",
                "Microwave ovens leak a little at 2.4 GHz, right where the camera's "
                "Wi-Fi is. Move the camera a couple of metres away, or give it a mesh point "
                "nearby so it has a stronger signal.",
                1,
                up=5,
            ),
            R(
                "yuki",
                "Or set the 2.4 GHz channel to 1: microwaves mostly disturb channels 6–11.",
                4,
                up=3,
            ),
        ],
        solved=0,
        up=6,
    ),
    Q(
        "Share camera access with my partner",
        "emma",
        ["cameras", "account"],
        7 * DAY,
        "Can my partner see the cameras in her own app without my password?",
        [
            R(
                "yuki",
                "Yes: *Home app → Members → Invite*. She gets her own login and you can "
                "choose which cameras she sees.",
                2,
                up=3,
            ),
        ],
        solved=0,
        up=1,
    ),
    Q(
        "Motion alerts for every passing car",
        "karim",
        ["cameras"],
        4 * DAY,
        "The driveway camera sends 40 alerts a day because of cars on the street.",
        [
            R(
                "yuki",
                "Draw an *activity zone* that covers only your driveway, and turn on "
                "*People only* detection if you have Cam Plus.",
                3,
                up=4,
            ),
        ],
        up=2,
    ),
    Q(
        "TV box: no sound on HDMI after update",
        "amelie",
        ["tv"],
        18 * DAY,
        "Depuis la mise à jour, plus de son sur la barre de son via HDMI. L'image est OK.",
        [
            R(
                "theo",
                "Bonjour Amélie, dans *Réglages → Son → Sortie audio*, passez de *Auto* à "
                "*PCM stéréo* puis revenez à *Auto*. La mise à jour a remis à zéro la détection "
                "HDMI-CEC pour certaines barres de son ; un correctif arrive.",
                4,
                up=5,
            ),
            R("amelie", "Passer en PCM a suffi, merci !", 8, up=1),
        ],
        solved=0,
        up=3,
    ),
    Q(
        "TV box remote will not pair",
        "jordan",
        ["tv"],
        29 * DAY,
        "New batteries, held OK + Back for 5 seconds as the guide says, nothing happens.",
        [
            R(
                "lucas",
                "The box must be in pairing mode too: *Settings → Remote → Pair* using "
                "the buttons on the box, then hold OK + Back within 30 seconds.",
                2,
                up=4,
            ),
            R("jordan", "That was the missing step, works now.", 5),
        ],
        solved=0,
        up=2,
    ),
    Q(
        "Streaming apps buffer on the TV box but not on my phone",
        "ben",
        ["tv", "wi-fi"],
        2 * DAY,
        "Films buffer every few minutes on the TV box. The phone on the same Wi-Fi streams "
        "4K without issues.",
        [
            R(
                "priya",
                "The box may be on 2.4 GHz. In its network settings, forget the network "
                "and join *Brightwave-5G* explicitly. Better still: a cable.",
                6,
                up=2,
            ),
        ],
        up=1,
    ),
    Q(
        "Phishing SMS about an unpaid Brightwave bill",
        "oliver",
        ["security", "billing"],
        10 * DAY,
        "I got an SMS saying my line will be cut today unless I pay 2.99 at a link. Is it you?",
        [
            R(
                "morgan",
                "It is not us. Brightwave never asks for payment by SMS link. Do not "
                "click; forward the SMS to 7726 and delete it. Your real balance is always in "
                "*My account → Invoices*.",
                1,
                up=9,
            ),
            R("chloe", "J'ai reçu le même, merci de l'avoir signalé.", 5, up=2),
        ],
        solved=0,
        up=7,
        locked=True,
    ),
    Q(
        "Set up parental controls for the kids' tablets",
        "karim",
        ["security"],
        16 * DAY,
        "I want the tablets offline after 9 pm and no adult sites. Can the Hub do this?",
        [
            R(
                "priya",
                "Yes: *Home app → Family*. Create a profile per child, add their "
                "devices, set a bedtime (their devices lose internet at 21:00) and pick the "
                "*Child* filter level.",
                3,
                up=6,
            ),
        ],
        solved=0,
        up=2,
    ),
    Q(
        "Two-factor authentication for my Brightwave account?",
        "ben",
        ["security", "account"],
        27 * DAY,
        "Is there 2FA for the customer account? It controls my cameras, after all.",
        [
            R(
                "ada",
                "Yes, in *My account → Security → Two-step sign-in* with an authenticator "
                "app. We strongly recommend it for accounts with cameras.",
                6,
                up=5,
            ),
        ],
        solved=0,
        up=4,
    ),
    Q(
        "Prise connectée hors ligne dans l'appli mais elle fonctionne",
        "chloe",
        ["smart-home"],
        26,
        "La prise du salon apparaît hors ligne dans l'appli, mais le bouton physique "
        "fonctionne et elle suit toujours son programme.",
    ),
    Q(
        "Routine to turn off all lights when I leave",
        "jordan",
        ["smart-home"],
        20 * DAY,
        "I want everything off when the last person leaves. Geofencing?",
        [
            R(
                "yuki",
                "Create a routine with the trigger *Everyone left home* (each member's "
                "phone needs location on for the app) and the action *Lights → All off*. Add "
                "*Thermostat → Eco* while you are at it.",
                2,
                up=6,
            ),
            R(
                "lucas",
                "Add a 5-minute delay so it doesn't fire when you take the bins out.",
                5,
                up=4,
            ),
        ],
        solved=0,
        up=3,
    ),
    Q(
        "Door sensor battery drains in two weeks",
        "emma",
        ["smart-home"],
        9 * DAY,
        "The door sensor on the back door needs a new battery every two weeks.",
        [
            R(
                "yuki",
                "Is it far from the Hub or a mesh point? A sensor at the edge of range "
                "retries constantly and drains its battery.",
                5,
                up=2,
            ),
        ],
        up=1,
        edited_from="The door sensor needs new batteries all the time.",
    ),
    Q(
        "Voice assistant integration stopped working",
        "oliver",
        ["smart-home"],
        80,
        "Asking the assistant to turn on the lights answers *device not responding* since Monday.",
    ),
    Q(
        "Does the thermostat work during an internet outage?",
        "amelie",
        ["thermostat", "outages"],
        42 * DAY,
        "Si la box est en panne, est-ce que le chauffage continue à suivre le programme ?",
        [
            R(
                "lucas",
                "Oui : le programme est stocké dans le thermostat. Sans internet, "
                "seule l'appli à distance ne marche plus ; les réglages sur l'appareil "
                "restent possibles.",
                2,
                up=7,
            ),
        ],
        solved=0,
        up=3,
    ),
]
