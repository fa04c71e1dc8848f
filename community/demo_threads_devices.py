"""Demo threads about TV, security, phishing and everyday gadgets (demo_text.py format).

Written for this project; Brightwave, its products and its customers are fictional.
"""

from community.demo_text import parse

THREADS = parse(
    """
# TV box shows "No signal" after a power cut
oliver | tv | 117d | +3
After a short power cut last night the TV says "No signal" on HDMI 1. The box's light is on.
> marta 2h +3
Try another HDMI input, sometimes the TV switches.
> theo 3h +7 ok
The TV box boots more slowly than the TV after a power cut, and some TVs then give up on the
input. Turn the TV off and on again once the box shows its clock, or unplug the box for 10 s.
> oliver 5h +1
Unplugging the box did it.

# Phishing e-mail says my Brightwave account will be closed
emma | security account | 113d | +8
An e-mail says "your account will be closed in 24 hours, confirm your card details". The logo
looks real. Is it you?
> morgan 1h +6
Please don't click. Forward it to phishing@brightwave.example and delete it.
> sam 2h +11 ok
It's not us. Brightwave never asks for card details by e-mail or SMS, and never threatens to
close an account within a day. Check the sender: ours always ends in @brightwave.example.
If you already entered anything, change your password and call your bank now.

# Record a programme on the TV box
hugo | tv | 108d | +2
Comment enregistrer une émission ? Je ne trouve pas le bouton.
> amelie 2h +6 ok
Sur la télécommande, bouton rouge ● pendant l'émission, ou dans le guide : sélectionnez le
programme et choisissez « Enregistrer ». Les enregistrements sont dans **Ma TV → Mes
enregistrements** (100 heures incluses dans le cloud).

# Someone tried to sign in to my account from another country
karim | security account | 102d | +5
I got an e-mail about a sign-in attempt from abroad. I was at home. What do I do?
> priya 1h +6
Change your password first, and don't reuse it anywhere else.
> sam 2h +9 ok
The attempt was blocked, but treat the password as known: change it under **Account →
Security**, then turn on **two-step verification** there too. "Sign out everywhere" on the
same page closes any open session. If the same password is used on other sites, change it
there as well.
> karim 4h +1
Done, and two-step is on now.

# TV box freezes when zapping quickly
jordan | tv | 97d | +3
If I press channel up several times fast, the picture freezes for a few seconds.
> theo 3h +6 ok
Known issue in firmware 7.1, fixed in 7.2. Force the update: **Settings → System → Check for
updates**. Until then, wait half a second between presses.

# Parental PIN forgotten on the TV box
fatima | tv security | 92d | +1
I set a parental PIN years ago and can't remember it.
> theo 2h +5 ok
Reset it from the app: **TV → Parental controls → Reset PIN**. The box asks for the new PIN
the next time someone opens a protected channel.

# Strange SMS "your parcel from Brightwave is waiting"
grace | security | 87d | +4
I'm not expecting anything. The link goes to a weird site.
> yuki 30m +6 ok
Classic parcel scam. Brightwave ships with a tracking link in your app, never by anonymous
SMS. Don't open it; report it by forwarding to your phone's spam number (7726 in many
countries) and delete it.

# Sport channel pack: can I take it for one month only?
tomasz | tv billing | 82d | +2
I want the sport pack for the championship final only.
> nina 3h +6 ok
Yes, the Sport pack is month-to-month: add it in **Account → TV options**, it's active within
minutes, and cancel any time before the next billing date so it doesn't renew.

# La box TV ne trouve plus le Wi-Fi
leo | tv wi-fi | 76d | +2
La box TV est dans une autre pièce et perd souvent le Wi-Fi. Un câble est impossible.
> lucas 3h +4
Un point mesh à côté de la télé règle souvent le problème.
> theo 5h +6 ok
Ou des adaptateurs CPL : un près de la box internet, un près de la télé, reliés par câble
réseau à chaque bout. Pour la TV c'est plus stable que le Wi-Fi.
> leo 2d
CPL installés, plus de coupure.

# Are the cameras' clips encrypted?
ben | cameras security | 71d | +6
Before I put a camera in the office: who can watch the clips?
> theo 4h +9 ok
Clips are encrypted in transit and at rest. Brightwave staff cannot open them without your
explicit permission in a support case, which you grant and revoke in the app. For extra
protection, enable **end-to-end encryption** in camera settings: then only your phones can
decrypt them (you lose web viewing).

# Catch-up TV missing for some channels
emma | tv | 66d | +1
Replay works for most channels but not for a few. Bug?
> theo 3h +4 ok
Not a bug: replay rights are negotiated channel by channel, and a few channels don't allow it
on boxes. The guide shows a small ↺ icon next to programmes that can be replayed.

# Is the Hub's firewall on by default?
tomasz | router security | 60d | +3
Do I need to set anything up for the Hub's firewall?
> priya 2h +7 ok
It's on by default at "Medium": nothing from outside gets in unless you forward a port. Leave
UPnP off if you don't need it (some games ask for it), and check **Hub → Security → Port
forwarding** from time to time for rules you no longer use.

# Fake support call asking me to install remote-control software
oliver | security | 55d | +7
Someone called saying they were Brightwave support and my router was "sending viruses". They
wanted me to install an app to let them in. I hung up. Was that right?
> morgan 1h +4
You did exactly the right thing.
> sam 2h +10 ok
Yes. Brightwave never calls to announce a virus and never asks you to install remote-control
software. If you're unsure about a call, hang up and call us back on the number in the app.
If you did install something, uninstall it and change your passwords.

# Sous-titres qui ne s'affichent plus
amelie | tv | 50d | +1
Les sous-titres ont disparu sur toutes les chaînes.
> theo 2h +5 ok
Après la mise à jour 7.2 le réglage est revenu à « Désactivé » chez certains clients :
**Réglages → Langue et sous-titres → Sous-titres : automatique**.

# Streaming app on the TV box asks to update every day
grace | tv | 46d | +2
The streaming app asks for an update each time I open it, and after updating asks again.
> theo 4h +6 ok
Clear the app's data: **Settings → Apps → the app → Clear storage**, then sign in again. The
update loop comes from a half-installed update, and clearing fixes it.

# How do I block adult websites for the whole house?
karim | security router | 41d | +4
With teenagers at home, I'd like a filter on the router, not on every device.
> priya 3h +8 ok
**Hub → Security → Family filter**: choose a level (Child, Teen, Adult) per device or for
the whole network. It works by DNS, so it covers phones and consoles too. Set a bedtime for
the teens' devices on the same page.
> karim 1d +1
Teen level on their phones and a 23:00 pause. Perfect.

# TV remote works only very close to the box
hugo | tv | 36d | +2
La télécommande ne marche qu'à 50 cm de la box.
> marta 1h +3
Piles ?
> theo 2h +5 ok
Des piles faibles d'abord, oui. Sinon appairez-la en Bluetooth : maintenez OK + Retour 5
secondes face à la box. En Bluetooth elle marche même sans viser.

# Password manager or notebook?
grace | security | 31d | +3
I have 40 passwords. Is writing them in a notebook at home really that bad?
> priya 3h +7 ok
A notebook at home is safer than reusing one password everywhere. A password manager is better
still: it creates a unique password for every site and fills them in. Whatever you pick, turn
on two-step verification for e-mail and Brightwave first.

# Second TV box in the bedroom: extra cost?
jordan | tv billing | 27d | +1
Can I add a second box for the bedroom TV?
> nina 2h +5 ok
Yes, the Multiroom option is 5 €/month and includes the second box (shipped in 48 h). Both
boxes can watch different channels at the same time.

# Parental controls stop working after a week
emma | security | 20d | +2
The kids' tablet bedtime works for a few days, then they're online at midnight again.
> priya 4h +4
They may have changed the tablet's MAC address (private Wi-Fi address).
> yuki 6h +3
Put the rule on the child's profile rather than the device; the Hub then follows all their
devices.

# Smart TV says "DNS error" but the phone works
oliver | tv internet | 13d | +1
Netflix on the smart TV shows a DNS error. Everything else at home works.
> marta 3h +2
Did you set a custom DNS on the Hub? Some TVs dislike filtering DNS.

# Brightwave TV app on a laptop?
fatima | tv | 7d | +1
Can I watch my channels on my laptop when I'm travelling?

# E-mail asks me to "verify my router" with a link
jordan | security | 4d | +3
Another strange e-mail: "Your Hub needs verification, click here within 48 h". Sender is
support@brightwave-help.com.

# Chaînes en 4K : quel équipement ?
leo | tv | 2d
Il faut une box spéciale pour la 4K ?

# Can the kids' profile hide YouTube on the TV box?
karim | tv security | 9h | +1
I'd like the TV app to be blocked on their profile only.
"""
)
