"""Demo articles: the line, the Hub router, Wi-Fi, outages and installation."""

ARTICLES = [
    {
        "title": "What the lights on your Brightwave Hub mean",
        "summary": "Read the Hub's status light in five seconds: what each colour means and "
        "what to do about it.",
        "tags": ["router", "internet"],
        "author": "sam",
        "body": """The light on the front of the Brightwave Hub tells you what the router is doing.

## The colours

| Light | Meaning | What to do |
|---|---|---|
| Steady white | Connected, all is well | Nothing |
| Pulsing white | Starting up (up to 3 minutes) | Wait |
| Amber | Installing a firmware update | Do **not** unplug it |
| Blinking blue | Pairing mode (WPS) is open for 2 minutes | Press WPS on your device |
| Steady red | No signal on the fibre or phone line | See below |
| Off | No power | Check the plug and the power button |

## A red light

1. Check that the grey fibre cable (or the phone cable) is clicked in at both ends.
2. Look at the [outage map](/kb/topics/outages) for your area.
3. Restart the Hub: hold the power button for 5 seconds, wait 30 seconds, switch it on.

If it is still red after 10 minutes, contact us: we can test your line from here.
""",
    },
    {
        "title": "Restart your Hub the right way",
        "summary": "A clean restart fixes most slow or dropped connections. It takes three "
        "minutes and changes none of your settings.",
        "tags": ["router", "internet"],
        "author": "sam",
        "body": """A restart clears the Hub's memory and makes it choose the best Wi-Fi
channels again.

## Steps

1. Press and hold the power button on the back for **5 seconds** until the light goes off.
2. Wait 30 seconds, so your devices notice the Wi-Fi has gone.
3. Press the power button once. The light pulses white while the Hub starts.
4. When the light is steady white (about 3 minutes), reconnect.

## Restart or reset?

A **restart** keeps your Wi-Fi name, password and settings. A **reset** (the pinhole
button, held for 15 seconds) erases them and brings back the values printed on the
sticker under the Hub. Only reset if an agent asks you to, or if you forgot the admin
password.
""",
    },
    {
        "title": "Pick a quieter Wi-Fi channel",
        "summary": "Neighbours' networks on the same channel slow yours down. Here is how to "
        "see it and move to a quieter channel.",
        "tags": ["wi-fi", "router"],
        "author": "sam",
        "body": """In flats, dozens of networks can share the same few channels. The Hub picks
a channel when it starts, but a fixed choice is sometimes better.

## See how crowded it is

Open the Brightwave Home app, go to **Network › Wi-Fi › Channel survey**. Each bar is a
channel; the taller it is, the more neighbours use it.

## Change the channel

- **2.4 GHz**: use only **1, 6 or 11**. The others overlap their neighbours.
- **5 GHz**: prefer **36–48**. Channels 52–140 are fine too, but the Hub must leave them
  briefly when it hears weather radar, which some devices notice as a short drop.

Choose the emptiest channel, tap **Save**, and wait one minute while the Wi-Fi restarts.

## Still slow?

Test next to the Hub with a cable if you can. If the cable is fast and the Wi-Fi is not,
the problem is coverage, not the line: see *Place your Hub for the best coverage*.
""",
    },
    {
        "title": "Place your Hub for the best coverage",
        "summary": "Where the router stands matters more than any setting. Five rules for a "
        "better signal in every room.",
        "tags": ["wi-fi", "router", "installation"],
        "author": "sam",
        "body": """Wi-Fi is radio: walls, water and metal absorb it.

## Five rules

1. **High and central.** On a shelf in the middle of the home, not on the floor behind the TV.
2. **In the open.** Not in a cupboard, a drawer or a metal cabinet.
3. **Away from the microwave** and from cordless phone bases, which use the same frequencies.
4. **Upright**, as it is designed to stand, antennas inside vertical.
5. **Not behind a fish tank or a mirror**: water and silvered glass block the signal.

## When one Hub is not enough

Thick stone walls or more than one floor often need a second access point. Our
**Brightwave Mesh** satellites join the Hub's network with the same name and password;
see *Add a mesh satellite*.
""",
    },
    {
        "title": "Add a mesh satellite",
        "summary": "Extend your Wi-Fi to a far room or another floor with a Brightwave Mesh "
        "satellite, in under ten minutes.",
        "tags": ["wi-fi", "installation"],
        "author": "sam",
        "body": """A Mesh satellite repeats the Hub's Wi-Fi under the same name, and your
devices move between them on their own.

## Where to put it

Halfway between the Hub and the room with a weak signal — not in that room. The
satellite needs a good signal from the Hub to pass on.

## Pairing

1. Plug the satellite in next to the Hub first. Its light blinks blue.
2. Press the **WPS** button on the Hub, then on the satellite, within 2 minutes.
3. When the satellite's light is steady white, unplug it and move it to its place.
4. In the app, **Network › Mesh** shows the link quality: aim for *Good* or *Excellent*.

## Better: a cable

If you have a network socket in that room, connect the satellite with a cable
("wired backhaul"): it then uses all its radio power for your devices.
""",
    },
    {
        "title": "Your internet is slow: find out why in four checks",
        "summary": "Is it the line, the Wi-Fi, the device or a busy website? Four checks that "
        "tell you which, before you call.",
        "tags": ["internet", "wi-fi"],
        "author": "sam",
        "body": """"Slow" has many causes. These checks take ten minutes and make any call to
us much shorter.

## 1. Test with a cable

Connect a laptop to a yellow port of the Hub and run the speed test in the app
(**Network › Speed test**). This measures the line itself.

## 2. Test on Wi-Fi, next to the Hub

If the cable is fast but Wi-Fi next to the Hub is slow, the device or its Wi-Fi
card is the limit (older phones top out around 100–200 Mbit/s).

## 3. Test in the room where it is slow

Fast next to the Hub, slow in the bedroom: coverage. See *Place your Hub for the best
coverage* and *Add a mesh satellite*.

## 4. Check the time of day

Slow only in the evening, even with a cable? Tell us: note two or three speed
test results with the time. That points to congestion we can investigate.
""",
    },
    {
        "title": "Run a line test from the app",
        "summary": "The line test checks the fibre or copper line up to your Hub and tells "
        "you whether a technician is needed.",
        "tags": ["internet", "outages"],
        "author": "sam",
        "body": """The line test is the same check our agents run, and you can start it yourself.

## Start the test

1. Open the Brightwave Home app and go to **Support › Line test**.
2. Keep the Hub switched on; the test takes about two minutes.

## Read the result

- **Line OK**: the problem is inside the home (Wi-Fi, a device, cabling).
- **Signal weak**: the line works but loses quality. Check the cable from the wall
  socket to the Hub, then run the test again.
- **No signal**: nothing reaches the Hub. Check the outage map, then contact us — the
  test result is attached to your request automatically.

## Keep the reference

Each test gets a reference such as `LT-4821-0093`. Give it to the agent: they
see the measurements at once.
""",
    },
    {
        "title": "Check for an outage in your area",
        "summary": "Before you restart anything: see whether there is a known outage, when "
        "it should end, and how to be told when it does.",
        "tags": ["outages", "internet"],
        "author": "sam",
        "body": """When many customers lose service at once, the cause is in our network,
and restarting your Hub will not help.

## Where to look

- The **Outages** tile in the Brightwave Home app shows incidents near your address.
- The status page lists every open incident with its estimated end.

## Be told when it is fixed

Tap **Notify me** on the incident. We send one message when service is back — no
other marketing, and you can switch it off in your profile.

## During the outage

- Your mobile data keeps working; many phones can share it as a hotspot.
- Alarm systems and emergency calls over the Brightwave line may not work: keep a
  mobile phone charged.
- Outages longer than 24 hours are credited on your next invoice automatically.
""",
    },
    {
        "title": "Compensation for long outages",
        "summary": "How much we credit when your service is down for more than a day, and "
        "when you need to ask for it.",
        "tags": ["outages", "billing"],
        "author": "nina",
        "body": """If your internet is down for more than 24 hours because of our network, you
do not pay for those days.

## Automatic credits

For incidents on our network (they appear on the outage map), the credit is added
to your next invoice without any request: **1/30 of the monthly price per full day**.

## When you need to ask

If the fault was on your own line only (not a wider outage), contact us with the
line test reference. Once the technician confirms the repair date, the days without
service are credited.

## Not covered

Days when a technician could not get in at the booked appointment, and faults caused
by equipment that is not ours, are not credited.
""",
    },
    {
        "title": "Prepare for your installation appointment",
        "summary": "What the technician needs on the day, how long it takes, and how to "
        "move the appointment.",
        "tags": ["installation"],
        "author": "sam",
        "body": """A fibre installation usually takes **2 to 3 hours**.

## Before the day

- Decide where the Hub should stand: central, near a power socket. The technician
  brings the fibre there, within reason (up to 15 m of cable inside).
- In a building, tell the caretaker or syndic: the technician may need the basement
  or the telecom cupboard.

## On the day

- An adult must be present for the whole visit.
- Clear access to the walls where the cable will run.
- The technician checks the signal, installs the Hub and tests your Wi-Fi with you.

## Change the appointment

In the app, **Orders › Appointment › Change** up to 24 hours before. Later than that,
call us so we can release the technician's slot for someone else.
""",
    },
    {
        "title": "Set up the self-install kit",
        "summary": "Your line is already active: connect the Hub yourself in fifteen minutes "
        "with the self-install kit.",
        "tags": ["installation", "router"],
        "author": "sam",
        "body": """Homes where the fibre socket is already installed get a self-install kit.

## In the box

The Hub, its power adapter, a green fibre cable, a yellow network cable and a
card with your Wi-Fi name and password.

## Steps

1. Find the fibre socket (a small white box marked *PTO* or *Fibre*).
2. Remove the dust caps and connect the green cable between the socket and the Hub's
   **FIBRE** port. Do not bend the cable tightly.
3. Plug in the power and switch on. The light pulses white, then turns steady white
   within 10 minutes (the first start downloads updates).
4. Connect to the Wi-Fi name on the card.

## If the light turns red

Check the cable is clicked in at both ends. Still red? Run a line test from the app:
the socket may need activating, which we do remotely.
""",
    },
    {
        "title": "Give a device a fixed address or open a port",
        "summary": "For game consoles, NAS boxes and home servers: reserve an address and "
        "forward a port on the Hub.",
        "tags": ["router"],
        "author": "sam",
        "body": """Most homes never need this. It matters for hosting a game, a NAS or a
camera you reach from outside.

## Reserve an address

In the Hub's admin page (`http://192.168.1.1`), go to **Network › Devices**, pick the
device and choose **Always give this address**.

## Forward a port

1. **Security › Port forwarding › Add**.
2. Choose the device, the protocol (TCP, UDP or both) and the port, e.g. `25565`.
3. Save. The rule works at once.

## Be careful

Every open port is a door. Only open what you need, keep the device updated, and
remove the rule when you stop using it. Prefer the app's **remote access** for our
own cameras: it needs no open port.
""",
    },
    {
        "title": "Connect a device with WPS",
        "summary": "Join printers and other devices without a keyboard to your Wi-Fi with the "
        "Hub's WPS button.",
        "tags": ["wi-fi", "router"],
        "author": "sam",
        "body": """WPS lets a device join the Wi-Fi without typing the password.

## Steps

1. Press the **WPS** button on the Hub once. The light blinks blue for 2 minutes.
2. Start WPS on the device (a button, or *Wi-Fi › WPS* in its menu).
3. The Hub's light turns steady white when the device has joined.

## It did not work

- Only the push-button mode is supported; WPS with a PIN is disabled for security.
- Some devices only see 2.4 GHz: they join the same network name automatically.
- Nothing happens? The device may not support WPS: type the password from the card
  under the Hub instead.
""",
    },
]
