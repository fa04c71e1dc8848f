"""Demo threads about the smart home, the thermostat and the cameras (demo_text.py format).

Written for this project; Brightwave, its products and its customers are fictional.
"""

from community.demo_text import parse

THREADS = parse(
    """
# Thermostat keeps heating after reaching the set temperature
grace | thermostat | 118d | +4
Set to 20 °C, the room reaches 22 and the boiler still runs. Is the thermostat broken?
> lucas 3h +8 ok
Usually it's the placement: if the thermostat sits in a cold hallway or near an outside door,
it never "sees" 20 °C while the living room overshoots. Move it (or pair the wireless room
sensor) into the main room and set **Heating → Sensor → Room sensor**.
> grace 2d +1
Paired the room sensor in the lounge: it stops at 20 now.

# Geofencing turns the heating off while my partner is home
jordan | thermostat smart-home | 112d | +3
The thermostat switches to Away when I leave, even though my partner is still at home.
> yuki 2h +6 ok
Geofencing only knows about the phones added to it. Your partner needs the Home app signed in
with their own invitation and **Location → Presence** enabled; the house then counts as empty
only when both phones are away.

# Thermostat : chaudière qui s'allume et s'éteint toutes les 5 minutes
hugo | thermostat | 105d | +3
Depuis l'installation du thermostat, la chaudière fait des cycles très courts. Le
chauffagiste dit que c'est mauvais pour elle.
> lucas 2h +9 ok
Il a raison. Dans **Chauffage → Réglages avancés → Cycles par heure**, passez de 6 à 3 pour
une chaudière gaz (ou choisissez le mode « OpenTherm » si votre chaudière le supporte : la
modulation évite ces cycles).
> hugo 1d +1
Passé à 3 cycles, la chaudière tourne calmement maintenant.

# Camera recordings show the wrong time
oliver | cameras | 99d | +2
Clips are stamped one hour behind. Summer time issue?
> yuki 4h +5 ok
The camera uses the home's time zone from the app. Check **Home → Settings → Time zone**: if
it says UTC instead of your city, fix it and the camera follows within a minute. Older clips
keep the old stamp.

# Can two homes share one Brightwave Home app account?
fatima | smart-home account | 94d | +2
I manage my own flat and my mother's. Do I need two accounts?
> theo 3h +6 ok
No: the app supports several homes. **Profile → Homes → Add a home**, then switch between them
at the top of the home screen. Your mother can be invited to her home only.

# Outdoor camera battery lasts only a week
karim | cameras | 90d | +4
The outdoor camera is supposed to last months on a charge. Mine is empty after a week.
> yuki 3h +7 ok
Check the motion zone: a camera that faces a street or a tree in the wind wakes up hundreds
of times a day. Draw the zone around your door only and set sensitivity to medium. Cold
weather also halves battery life; a small solar panel helps.
> karim 3d +1
It was filming the bus stop all day. Zone fixed: 8 % in a week.

# Smart plug schedule runs one hour late
emma | smart-home | 86d | +1
My lamp is scheduled for 18:00 and comes on at 19:00.
> theo 2h +4 ok
Same cause as the camera clock issue: the home's time zone. **Home → Settings → Time zone**;
schedules use it. After fixing it, open the schedule and save it again to refresh the plug.

# Le thermostat affiche « Batterie faible » alors que les piles sont neuves
amelie | thermostat | 81d | +2
J'ai mis des piles neuves hier et l'alerte est toujours là.
> lucas 3h +6 ok
Certaines piles « rechargeables » ne donnent que 1,2 V, le thermostat les voit faibles.
Utilisez des alcalines 1,5 V. L'alerte disparaît au bout d'une heure environ.
> amelie 1d
C'étaient bien des rechargeables. Merci !

# Doorbell camera: how do I stop notifications at night?
grace | cameras smart-home | 77d | +3
The doorbell camera pings me at 3 am whenever a cat walks by.
> yuki 2h +7 ok
Use a **schedule** on the doorbell: Settings → Notifications → Quiet hours, e.g. 23:00–07:00.
The button press still rings; only motion alerts go quiet. You can also turn on *person
detection* so cats don't count at all.

# Heating schedule for shift work?
fatima | thermostat | 72d | +2
I work rotating shifts: two weeks nights, two weeks days. Do I have to reprogram every time?
> lucas 5h +6 ok
Create two schedules (**Heating → Schedules → New**), "Nights" and "Days", and switch between
them in one tap. Or let the thermostat use presence: with geofencing it heats when your phone
comes home, whatever the hour.

# Camera offline after changing the router
tomasz | cameras router | 67d | +1
I replaced the Hub with my own router and now the indoor camera is offline.
> theo 4h +5 ok
The camera remembers the Wi-Fi name and password. Either give your router the same name and
password as the Hub had, or reconnect the camera: hold the button 5 s until it blinks blue and
follow **Add device** in the app.

# Share access to the Home app with a cleaner, only for the door
jordan | smart-home security | 62d | +4
Our cleaner comes on Tuesdays. Can she open the smart lock without seeing the cameras?
> theo 3h +8 ok
Yes: invite her as a **guest** (Home → People → Invite → Guest) and only tick the lock. Guests
can get time windows too, e.g. Tuesday 9–13. She sees nothing else.
> jordan 1d +1
Set up with the Tuesday window. Exactly what I needed.

# Capteur de fenêtre qui coupe le chauffage
chloe | thermostat smart-home | 58d | +3
J'ai un capteur sur la fenêtre de la chambre. Peut-il couper le chauffage quand j'aère ?
> lucas 2h +7 ok
Oui : **Automatisations → Nouvelle → Quand la fenêtre s'ouvre → Chauffage pièce en hors-gel**.
Ajoutez « quand elle se ferme → reprendre le programme ». Mettez un délai de 2 minutes pour
ignorer les ouvertures très courtes.

# Thermostat wiring: my boiler has no common wire
ben | thermostat installation | 54d | +2
The old thermostat had two wires. The Brightwave one talks about a "C wire".
> lucas 3h +7 ok
The Brightwave thermostat runs on batteries, so two wires are enough: connect them to the
terminals marked **1** and **2**, and ignore C. The C wire only matters for the mains-powered
version.

# Cameras use a lot of upload bandwidth
tomasz | cameras internet | 49d | +3
Four cameras recording to the cloud: my game uploads crawl. How much do they use?
> yuki 4h +6 ok
About 1–2 Mb/s per camera while recording, more in 2K. Switch **continuous** recording to
**events only**, or set **Quality → 1080p**; both cut upload by more than half. Smart QoS on
the Hub also keeps games ahead of camera uploads.
> tomasz 1d
Events only: problem gone.

# Smart bulbs flicker when dimmed low
grace | smart-home | 45d | +1
Below 20 % the bulbs flicker. Is that the bulb or the app?
> theo 4h +4 ok
The bulb. Set the minimum brightness to 20 % under **Device → Settings → Dimming range**; the
app then never goes below it. If they also flicker at full brightness, contact us, as that
points to a faulty bulb we replace.

# Thermostat shows 19 °C but the room feels colder
oliver | thermostat | 41d | +2
The display says 19, a cheap thermometer says 17.
> lucas 2h +5 ok
Wait a day after installation for the reading to settle, then use **Settings → Temperature
offset** to correct it by up to 3 °C. Keep it away from lamps and sunny windows too.
> oliver 2d
Offset −2 and it matches now.

# Motion sensor triggers the alarm when the cat walks
emma | smart-home security | 37d | +4
The alarm goes off if our cat walks through the living room at night.
> yuki 2h +7 ok
Set the sensor to **pet-immune** mode (Device → Sensitivity → Pets under 25 kg) and mount it at
2.2 m, tilted down a little. The cat walks under the detection zone.

# Caméra : peut-on désactiver l'enregistrement quand on est à la maison ?
hugo | cameras security | 33d | +3
Je ne veux pas être filmé chez moi quand je suis là.
> theo 2h +7 ok
Oui : **Caméras → Mode privé → Automatique selon la présence**. Quand un membre du foyer est à
la maison, l'objectif se ferme et rien n'est enregistré. Le voyant devient gris pour le
montrer.

# Can I download all camera clips at once?
karim | cameras | 28d | +1
I need a week of clips for an insurance claim.
> theo 3h +5 ok
On the website (not the app): **Cameras → Timeline → Export**, choose the days, and you get
a download link by e-mail within an hour. The export keeps the original time stamps.

# Heat pump and thermostat fight each other
ben | thermostat | 22d | +2
The heat pump has its own controller, and the thermostat is also set. They seem to disagree.
> lucas 5h +3
Two controllers on one heat pump never agree; one must be in charge.
> theo 8h +6 ok
Set the heat pump's own controller to **external control** (see its manual) and leave the
schedule to the Brightwave thermostat in *heat pump* mode. Then only one of them decides.

# Automatisation « lumière du couloir la nuit » ne se déclenche pas
leo | smart-home | 16d | +1
Le capteur détecte bien le mouvement, mais la lumière ne s'allume pas entre 23 h et 7 h.
> lucas 4h +3
Vérifiez que la plage horaire ne franchit pas minuit dans l'automatisation ; certaines
versions de l'appli exigent deux règles (23 h–minuit et minuit–7 h).

# Outdoor camera shows only a white picture at night
emma | cameras | 10d | +1
Night view is completely white, nothing visible.
> yuki 6h +2
Is it behind a window? Infrared light reflects on glass and blinds the camera.

# Home app asks for location "all the time"
fatima | smart-home security | 6d | +2
Why does the app want my location all the time? I'd rather not.

# Thermostat froze at 25 °C after the update
jordan | thermostat | 3d | +3
Since last night's firmware update the thermostat ignores the schedule and stays at 25.

# Can the camera send clips to my own NAS?
tomasz | cameras | 2d
I'd like local storage instead of the cloud.

# Water leak sensor: how loud is the alarm?
grace | smart-home | 10h
Thinking of buying one for under the washing machine.
"""
)
