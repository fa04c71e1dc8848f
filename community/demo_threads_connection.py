"""Demo threads about the line, Wi-Fi, the Hub router and outages (format: demo_text.py).

Written for this project; Brightwave, its products and its customers are fictional.
"""

from community.demo_text import parse

THREADS = parse(
    """
# Internet cuts out for 30 seconds every few hours
fatima | internet router | 95d | +5
Since last week the connection disappears for about half a minute, four or five times a
day. The Hub light goes orange, then white again. Video calls with clients drop every time.
> sam 4h +8 ok
I looked at your line from our side: the fibre box (ONT) loses its signal for 20–40 s, so
this is not the Hub. Usually a bent fibre cable or a dirty connector. Check that the thin
yellow cable between the wall socket and the ONT is not pinched behind furniture; if it
looks fine, book a technician from the app and mention "ONT signal loss".
> fatima 2d +2
The cable was squeezed under the bookshelf. Straightened it: no drop in two days. Thanks!

# Upload speed much lower than advertised
tomasz | internet | 88d | +3
Fibre 500 Mb: download is fine (480), but upload tops out at 90 Mb/s. The contract says
500 symmetrical. Streaming my games to friends suffers.
> marta 3h +6 ok
Test on a wired PC, not over Wi-Fi: many laptops upload much slower than they download on
Wi-Fi. If the wired result is still ~90, check **Hub → Internet → Profile**: older Hubs
migrated from DSL sometimes keep the "asymmetric" profile. A reboot after the firmware
update switches it.
> tomasz 1d +1
Wired: 470 up. It was my laptop's Wi-Fi card all along.

# Quelle différence entre le voyant blanc fixe et blanc clignotant ?
leo | router | 80d | +2
Sur la Hub 3 le voyant est parfois blanc fixe, parfois blanc qui clignote lentement. Tout
marche dans les deux cas. C'est normal ?
> amelie 2h +5 ok
Oui : blanc fixe = connecté, blanc qui clignote lentement = la box installe une mise à
jour ou redémarre le Wi-Fi. Ne la débranchez pas pendant ce temps, ça dure quelques minutes.

# Which DNS servers does the Hub use, and can I change them?
ben | router security | 78d | +4
For the office I'd like to use a filtering DNS. Can I set my own on the Hub 3, or does
Brightwave force its own?
> priya 5h +7 ok
You can: **Hub → Network → DHCP → DNS servers**, set two addresses and save. Every device
that renews its lease (reboot it or reconnect) then uses them. The Hub itself keeps using
Brightwave's DNS for its own updates, which is fine.
> sam 1d +2
Confirmed, and nothing on our side blocks other resolvers.

# Wi-Fi is fine downstairs but useless in the bedroom
grace | wi-fi | 74d | +2
Two floors, Hub in the living room. Upstairs the phone shows one bar and pages barely load.
Do I need a second box?
> priya 2h +6 ok
A Brightwave Mesh point will fix it: place it on the landing, halfway between the Hub and the
bedroom, not in the bedroom itself. It needs a good signal from the Hub to pass one on. Pair
it in the app under **Wi-Fi → Add a mesh point**; it takes five minutes.
> grace 3d +1
Landing it is. Full speed in the bedroom now.

# Box qui redémarre toute seule la nuit
hugo | router | 70d | +1
Tous les jours vers 4 h du matin la box redémarre (je le vois dans le journal). Est-ce une
panne ?
> lucas 3h +4 ok
Non, c'est le redémarrage de maintenance programmé. Vous pouvez changer l'heure dans
**Box → Système → Maintenance** ou le désactiver, mais les mises à jour s'installent alors
moins vite.

# Speed drops to 20 Mb/s when my flatmate is on video calls
leo | wi-fi internet | 66d | +3
Four of us share Fibre 500. When one person is on a call, everyone else crawls. Is the line
too small?
> marta 4h +7 ok
A call uses 3–4 Mb/s; the line is not the problem. More likely all four of you are on the
crowded 2.4 GHz band. Give the 5 GHz band a separate name for a day and connect laptops to
it: if speeds jump, turn band steering back on and leave it to the Hub.
> leo 1d
We were all on 2.4 GHz. Night and day.
> sam 1d +1
Also worth enabling **Smart QoS** on the Hub: calls get priority over downloads.

# Can I use my own router instead of the Hub?
tomasz | router | 63d | +6
I have a gaming router I like. Can I plug it straight into the fibre box and return the Hub?
> priya 2h +9 ok
Yes, the ONT hands out the connection over VLAN 835 with DHCP. Set your router's WAN to
"VLAN 835, DHCP" and it works. Keep the Hub though: it carries the phone line and Brightwave
TV, and support will ask you to plug it back in for line tests.
> tomasz 6h +1
VLAN 835 did it, thanks. Hub stays in a drawer for TV nights.

# Outage in Bordeaux Chartrons tonight
chloe | outages | 61d | +4
No internet since 21:30, light is red. The status page shows nothing yet. Anyone else?
> ben 20m +2
Same in Saint-Seurin, red light too.
> sam 1h +6 ok
Confirmed: a fibre cable was damaged by roadworks near Quai des Chartrons. Teams are on site;
service should be back before 3 am. The outage credit is applied automatically.
> chloe 7h +1
Back at 2:10. Thanks for the update.

# Red light on the Hub after a thunderstorm
karim | router outages | 57d | +2
Storm last night, now the Hub shows a red light and nothing connects. The ONT lights look
normal.
> sam 3h +5 ok
Red on the Hub with a normal ONT means the Hub itself is not getting the connection. Try
another cable between ONT and Hub (the WAN port is the grey one). If still red, the port was
probably hit by the surge: we replace Hubs damaged by lightning for free, open a request in
the app.
> karim 1d +1
The cable was fine, the port was dead. New Hub arrived in two days.

# Wi-Fi printer disappears after a few hours
emma | wi-fi | 54d | +1
The printer works in the morning, by the afternoon the laptop says it is offline. Turning
the printer off and on fixes it until the next day.
> fatima 6h +3
I had that: the printer got a new address each day.
> marta 8h +6 ok
Give it a fixed address: **Hub → Network → DHCP → Reservations**, pick the printer and save.
Many printers also have a Wi-Fi power-saving mode that drops the connection; switch that off
in the printer's own menu.

# Is my line fibre or still copper?
oliver | internet installation | 51d | +2
Moved into a flat with a Brightwave socket. How do I know whether it is fibre or the old DSL
line?
> ben 2h +4 ok
Look at the wall socket: fibre sockets are small, white, and marked "FTTH" or with a green
sticker; DSL uses a phone socket. In the app, **My line** also shows "Fibre" or "DSL" once
you have signed the contract.

# La connexion coupe quand le micro-ondes tourne
leo | wi-fi | 47d | +3
Dès qu'on lance le micro-ondes, le Wi-Fi de la cuisine tombe. C'est une blague ?
> amelie 1h +6 ok
Pas du tout ! Le micro-ondes chauffe à 2,4 GHz, comme une partie du Wi-Fi. Connectez vos
appareils au réseau 5 GHz, qui n'est pas gêné, ou éloignez un peu la box de la cuisine.
> leo 5h
Passé en 5 GHz, plus aucun souci.

# How to see which devices are connected to my Wi-Fi?
grace | wi-fi security | 45d | +3
I think a neighbour may be using our Wi-Fi. Where can I see the list of connected devices?
> yuki 2h +5 ok
In the app: **Wi-Fi → Connected devices** shows every device with its name and when it was
last seen. Anything you don't recognise can be blocked from there. Then change the Wi-Fi
password and reconnect your own devices.

# Speed test on the app and on the website disagree
karim | internet | 42d | +1
The app test says 920 Mb/s, speedtest websites say 400. Which one is true?
> marta 3h +5 ok
Both. The app measures from the Hub to our network, so it shows what the line delivers.
A website measures from your device, through Wi-Fi and your browser. 400 over Wi-Fi is
normal; plug in a cable to see the rest.

# Wi-Fi calling on my phone breaks up at home
fatima | wi-fi | 39d | +2
My mobile uses Wi-Fi calling at home (no signal indoors). Calls are choppy even though video
streaming works well.
> priya 5h +4 ok
Calls need steady latency, not speed. Turn off *Wi-Fi power saving* on the phone if it has
it, and in the Hub enable **Smart QoS** so voice gets priority. If the phone hops between
the Hub and a mesh point mid-call, put the mesh point a bit closer.
> fatima 2d +1
QoS on, power saving off: clean calls since.

# Hub admin password lost
oliver | router account | 36d | +1
I changed the Hub admin password years ago and forgot it. Do I have to reset everything?
> sam 2h +4 ok
You can reset it from the app without touching the Wi-Fi: **Hub → Settings → Reset admin
password**. You confirm with your Brightwave account and choose a new one. The factory reset
button works too, but it also wipes your Wi-Fi name and password.

# Outage in Lille Wazemmes, no status update
ben | outages | 33d | +3
Office offline since 8 am, red light. Status page says "no known incident". Clients waiting.
> sam 1h +7 ok
Thanks for reporting, we now see several lines in Wazemmes down: a card failed in the local
cabinet. Technicians replace it this morning. Until then, business customers can turn on
**4G backup** in the app; it is included in your plan.
> ben 4h +2
4G backup kept us going. Line back at 11:20.

# Ethernet only 100 Mb/s on my PC
tomasz | internet router | 29d | +2
The PC is wired to the Hub but never goes above 94 Mb/s. Wi-Fi on the same PC gets 600.
> marta 2h +8 ok
94 Mb/s is the ceiling of a 100 Mb link: the cable or a port negotiates at 100 instead of
1000. Usually an old cable with only four wires. Try a Cat 5e or Cat 6 cable and another
Hub port; Windows shows the link speed under *Network adapter → Status*.
> tomasz 5h +1
Old flat cable from a drawer. New one: 940.

# DSL line disconnects when the phone rings
emma | internet | 26d | +1
We are still on DSL. Every time the landline rings, the internet drops for a moment.
> sam 6h +5 ok
Every phone socket in the house needs a filter (the small box between the socket and the
phone) except the one the Hub uses. One missing filter, often on a forgotten phone upstairs,
causes exactly this. We can also send you a free fibre eligibility check: your street is
being connected this year.

# Les appareils ne trouvent plus le réseau après changement du nom Wi-Fi
chloe | wi-fi smart-home | 23d | +2
J'ai renommé mon réseau Wi-Fi, maintenant l'aspirateur robot et les prises ne se connectent
plus. Je dois tout réinstaller ?
> lucas 2h +5 ok
Le plus simple : remettez l'ancien nom et l'ancien mot de passe, tout revient. Sinon il faut
reconnecter chaque appareil depuis son appli. Astuce : la box permet un **second réseau**
avec l'ancien nom pour les objets connectés.

# Mesh point blinks blue and never finishes pairing
grace | wi-fi router | 19d | +1
Bought a second mesh point. It blinks blue for ages and the app keeps saying "searching".
> yuki 4h +3
Is the Hub's firmware up to date? Mine refused to pair until the Hub updated.
> priya 5h +6 ok
Pair it next to the Hub first, then move it to its final place. Blue blinking for over ten
minutes means it can't hear the Hub; once paired, it finds its way from farther away.
> grace 1d
Next to the Hub it paired in two minutes. Thanks both!

# IPv6 not working on my network
ben | internet router | 15d | +2
Test sites say I have no IPv6. Is Brightwave IPv4 only?
> priya 3h +4 ok
IPv6 is available but off on older Hubs: **Hub → Internet → IPv6 → Enable**, then reboot.
Devices pick up an address within a minute or two.

# Speed slows down every evening from 7 to 11 pm
karim | internet | 12d | +4
Wired PC. Daytime 900 Mb/s, evenings 150–200. Line test in the app says everything is fine.
> jordan 5h +2
Same in my building since the start of the month.
> sam 1d +3
We are looking at the evening load in your area; a capacity upgrade is planned. I will post
here when it is done.

# Wi-Fi name shows twice on my phone
emma | wi-fi | 9d
My phone lists "Brightwave-4F2A" twice. Which one should I pick?
> marta 2h +3
One is the 2.4 GHz band and one the 5 GHz band, both with the same name. Pick either; with
band steering on, the Hub moves you to the better one.

# Hub fan noise at night
hugo | router | 6d | +1
La box fait un petit bruit de ventilateur la nuit. Normal ?

# Fibre box lights all off after moving furniture
oliver | internet installation | 4d | +2
I moved a cabinet and now the ONT is completely dark: no lights at all. Power cable is in.

# Can't reach my NAS from outside since the Hub update
ben | router | 3d | +1
Port forwarding to my NAS worked for years. After last week's Hub update, nothing from
outside reaches it. Rules still look the same.

# Random disconnections on the 5 GHz band only
fatima | wi-fi | 30h
Only devices on 5 GHz drop, every hour or so, for a few seconds. 2.4 GHz stays stable.

# Best place for the Hub in an open-plan flat?
grace | wi-fi router | 8h
The installer put the Hub in a cupboard by the front door. Should I move it?
"""
)
