"""Demo articles: the Brightwave Home app, thermostat, cameras and TV (plus a few drafts)."""

ARTICLES = [
    {
        "title": "Set a heating schedule on the Brightwave thermostat",
        "summary": "Warm when you are home, cooler when you are not: build a weekly schedule "
        "in the app.",
        "tags": ["thermostat", "smart-home"],
        "author": "theo",
        "body": """A schedule saves more energy than any other setting: each degree lower
saves about 7 % of heating.

## Build the week

1. In the Brightwave Home app, open **Thermostat › Schedule**.
2. Start from a template: *Home all day*, *Office days* or *Night shifts*.
3. Drag the blocks to your times. Suggested temperatures:

| Period | Temperature |
|---|---|
| Morning and evening at home | 19–20 °C |
| Away | 16–17 °C |
| Night | 16–17 °C |

4. Copy a day to other days with **Copy to…**, then **Save**.

## Early start

Turn on **Reach the temperature on time**: after a week the thermostat learns how long
your home takes to warm up, and starts early so it is 19 °C *at* 7:00, not from 7:00.
""",
    },
    {
        "title": "Programmer le thermostat Brightwave",
        "summary": "Chaud quand vous êtes là, plus frais en votre absence : créez un planning "
        "hebdomadaire.",
        "tags": ["thermostat", "smart-home"],
        "author": "theo",
        "language": "fr",
        "body": """Un planning économise plus que tout autre réglage : chaque degré en moins
réduit le chauffage d'environ 7 %.

## Construire la semaine

1. Dans l'application Brightwave Home, ouvrez **Thermostat › Planning**.
2. Partez d'un modèle : *Présent toute la journée*, *Jours de bureau* ou *Travail de nuit*.
3. Réglez les plages : 19–20 °C quand vous êtes là, 16–17 °C la nuit et en absence.
4. **Copier vers…** duplique une journée, puis **Enregistrer**.

## Démarrage anticipé

Activez **Atteindre la température à l'heure** : après une semaine, le thermostat sait
combien de temps il faut pour chauffer et démarre plus tôt.
""",
    },
    {
        "title": "The thermostat shows the wrong temperature",
        "summary": "A reading a degree or two off usually comes from where the thermostat "
        "hangs. How to check and correct it.",
        "tags": ["thermostat"],
        "author": "theo",
        "body": """The thermostat measures the air around itself, so its place matters.

## Check the spot

Avoid direct sun, a wall above a radiator, a spot near the oven, or an outside
wall in winter. The best place is an inside wall at 1.5 m, in the room you live in.

## Compare

Put an ordinary thermometer next to the thermostat for an hour. A difference of more
than 1 °C that stays? Correct it in **Thermostat › Settings › Temperature offset**
(±3 °C at most).

## Use a room sensor

A **room sensor** in the bedroom or living room can be the one the schedule follows.
In **Thermostat › Sensors**, pick which sensor drives heating at which time.
""",
    },
    {
        "title": "Reconnect smart-home devices after a Wi-Fi change",
        "summary": "New router, new Wi-Fi name or password? Put your thermostat, cameras and "
        "plugs back on the network.",
        "tags": ["smart-home", "wi-fi"],
        "author": "theo",
        "body": """Connected devices remember one network name and password. When either
changes, they go offline until you tell them the new one.

## The quick way

If you changed only the password on a Brightwave Hub, open the app: **Home ›
Offline devices › Update Wi-Fi for all**. Devices that support it receive the new
password through the Hub within a few minutes.

## One device at a time

1. Put the device in pairing mode (usually hold its button for 5 seconds until its
   light blinks).
2. In the app, **Add device**, choose its type, and follow the steps.
3. Its schedules, names and rooms come back automatically.

## Still offline?

Many devices only use **2.4 GHz**. If you split your Wi-Fi into two names, connect
them to the 2.4 GHz one.
""",
    },
    {
        "title": "Choose where your camera recordings are kept",
        "summary": "Cloud, memory card or nothing at all: what each choice means for storage "
        "and privacy.",
        "tags": ["cameras", "security"],
        "author": "theo",
        "body": """Brightwave Cam records clips when it detects movement. You decide where they go.

## The options

| Storage | Kept for | Works when the internet is down | Cost |
|---|---|---|---|
| Cloud | 30 days | No | Included with Cam Plus |
| Memory card (up to 256 GB) | until full, oldest first | Yes | None |
| Live view only | not recorded | — | None |

## Privacy

- Clips in the cloud are encrypted, and only people you invite can see them.
- **Privacy zones** blank out parts of the image, such as a neighbour's window.
- **Home mode** stops recording when your phone is at home.

## Deleting

Delete clips one by one or all at once in **Camera › Recordings**. Deleted cloud
clips are gone for good after 24 hours.
""",
    },
    {
        "title": "Too many motion alerts from your camera",
        "summary": "Trees, headlights and pets trigger alerts. Tune the camera so it only "
        "tells you what matters.",
        "tags": ["cameras", "smart-home"],
        "author": "theo",
        "body": """Dozens of alerts a day and you stop reading them. Four settings fix most of it.

## 1. Activity zones

Draw the zones that matter (the door, the drive) in **Camera › Detection › Zones**;
movement elsewhere is ignored.

## 2. Person detection

Turn on **Alert only for people**. Cars, cats and branches no longer alert you,
although they are still recorded.

## 3. Sensitivity

Lower it one step at a time, a day at a time. Outdoors at night, headlights are
the usual culprit.

## 4. Quiet hours

Schedule quiet hours, for example while you are at home in the evening.
""",
    },
    {
        "title": "Install the Brightwave TV box",
        "summary": "Connect the TV box, sign in and find your channels in ten minutes.",
        "tags": ["tv", "installation"],
        "author": "theo",
        "body": """## Connect

1. HDMI cable from the box to the TV.
2. Best: a network cable from the box to a yellow port of the Hub. Wi-Fi works too,
   but a cable avoids picture freezes on busy evenings.
3. Power on. Choose the box's HDMI input on the TV.

## Sign in

The screen shows a code. Open `brightwave.example/tv` on your phone, sign in and
type the code. Your channels and recordings appear.

## The remote

Hold **OK + Back** for 3 seconds to pair the remote with the box; then it also
controls the TV's volume.
""",
    },
    {
        "title": "The TV picture freezes or buffers",
        "summary": "Stuttering live TV or streaming apps: usually Wi-Fi between the Hub and the "
        "box. Check these first.",
        "tags": ["tv", "wi-fi"],
        "author": "theo",
        "body": """TV needs a steady connection more than a fast one.

## Check the connection

**Settings › Network** on the box shows the signal. Anything below *Good* on Wi-Fi
explains freezes.

## Fixes, in order

1. Use a network cable from the Hub, or a Mesh satellite with a cable next to the TV.
2. Move the Hub or the box so fewer walls stand between them.
3. Restart the box: **Settings › System › Restart**.
4. If only one streaming app stutters, clear its data in **Settings › Apps**.

## Everything else is fine?

If freezes come at the same time every evening, even with a cable, tell us with the
times: that helps us find congestion.
""",
    },
    {
        "title": "Create routines in the Brightwave Home app",
        "summary": "Let your home react: lights on at sunset, heating down when everyone "
        "leaves, a camera armed at night.",
        "tags": ["smart-home"],
        "author": "theo",
        "body": """A routine is a *when* and one or more *then*s.

## Examples

- **When** the last person leaves home **then** set the thermostat to 16 °C and arm
  the cameras.
- **When** it is sunset **then** switch on the living-room plug.
- **When** the front-door camera sees a person at night **then** turn on the hall light.

## Create one

1. **Routines › New**.
2. Pick the trigger: a time, sunrise or sunset, someone arriving or leaving (uses your
   phone's location, with your permission), or a device event.
3. Add actions, then save. Test with **Run now**.

Routines run on the Hub, so most of them keep working when the internet is down.
""",
    },
]

# Drafts: work in progress that agents see and readers do not.
DRAFTS = [
    {
        "title": "Use the Hub as a VPN server",
        "summary": "Reach your home network securely while travelling.",
        "tags": ["router", "security"],
        "author": "sam",
        "body": """## Draft

To do: screenshots of **Security › VPN server**, the WireGuard QR code, and which
apps to use on phones. Check with product whether this ships in firmware 4.2.
""",
    },
    {
        "title": "Thermostat and heat pumps",
        "summary": "Which heat pumps the thermostat controls, and the settings to change.",
        "tags": ["thermostat"],
        "author": "theo",
        "body": """## Compatible models

List to confirm with the installer partners.

## Settings

Lower the **minimum run time**; explain why heat pumps prefer long, gentle cycles.
""",
    },
    {
        "title": "Annual invoice summary for tax returns",
        "summary": "Download a yearly summary of what you paid.",
        "tags": ["billing"],
        "author": "nina",
        "body": """## Where to find it

**Billing › Documents › Annual summary** — waiting for the feature to ship in March.
""",
    },
]
