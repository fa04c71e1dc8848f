"""Demo threads about billing, the account, moving house and installation (demo_text.py format).

Written for this project; Brightwave, its products and its customers are fictional.
"""

from community.demo_text import parse

THREADS = parse(
    """
# Where do I download my invoices as PDF?
grace | billing | 120d | +4
My employer reimburses part of my internet bill. Where can I get the invoices as PDF files?
> ben 1h +6 ok
In the app or on the website: **Account → Billing → Invoices**. Each month has a PDF button;
the last 24 months are kept. For an employer, the "Certificate of subscription" on the same
page is often what they want.

# Direct debit failed, will my internet be cut?
leo | billing | 115d | +3
My bank rejected this month's direct debit (new card, old account closed). Am I going to lose
the connection?
> nina 3h +8 ok
Not right away: after a failed payment you get a reminder by e-mail and 15 days to pay.
Update your bank details under **Account → Payment method** and pay the open invoice from
the same page by card; the service is never interrupted before a second reminder.
> leo 6h +1
Paid by card, new IBAN saved. Thanks Nina.

# Prorata sur la première facture : je ne comprends pas le montant
chloe | billing | 110d | +2
Ma première facture fait 61,40 € alors que l'abonnement est à 39,99 €. D'où vient la
différence ?
> nina 2h +7 ok
La première facture contient le prorata du mois d'installation (du jour de mise en service
à la fin du mois) plus le premier mois complet d'avance. Le détail ligne par ligne est dans
le PDF, page 2. Dès le mois prochain vous paierez 39,99 €.

# Can I pause my subscription while abroad for four months?
fatima | billing account | 104d | +5
I'm working abroad from March to June. Paying for an empty flat hurts. Is there a pause?
> nina 4h +6 ok
Yes: the **Holiday pause** keeps your line and number for 1 to 6 months at 5 €/month. Set it
in **Account → My plan → Pause**, at least three days before you leave. Brightwave TV and
the cameras' cloud storage stop during the pause.
> fatima 1d +1
Perfect, booked from 1 March.

# Change the e-mail address on my account
oliver | account | 99d | +1
I'm closing my old e-mail provider. How do I move my Brightwave account to a new address?
> yuki 2h +3 ok
**Account → Profile → E-mail**. You get a confirmation link at the new address; the old one
keeps working until you click it. Your sign-in name changes to the new address too.

# Moving in with my partner: two contracts, one flat
jordan | account billing | 93d | +3
We both have Brightwave at our current flats and are moving in together. Can we cancel one
without paying the cancellation fee?
> nina 5h +7 ok
Yes: when one contract moves and the other is cancelled because both households merge, the
fee is waived. Move one contract with **Account → Moving house**, then cancel the other by
chat and mention the move; we ask for the new address as proof, nothing more.

# Installation appointment: how long does the technician need?
grace | installation | 88d | +2
I have to take the morning off for the installation. How long does it usually take?
> sam 3h +5 ok
Between one and two hours when the fibre is already in the building. If the technician must
pull fibre from the street, count three hours. You get an SMS the evening before with a
two-hour arrival window.
> hugo 1d +1
Pour moi ça a pris 1 h 15, fibre déjà dans l'immeuble.

# Self-install: which socket does the fibre cable go into?
tomasz | installation internet | 84d | +3
The kit has the Hub, a small box and a yellow cable. Where does what go?
> marta 1h +7 ok
1. Yellow fibre cable: wall socket → the small box (the ONT). Don't bend it.
2. Grey network cable: ONT → the grey WAN port on the Hub.
3. Power both and wait up to 15 minutes: the Hub turns white when the line is active.
> tomasz 4h
White light after ten minutes. Easier than I thought.

# Déménagement : combien de temps sans internet ?
hugo | account installation | 79d | +2
Je déménage le 15. Combien de jours vais-je rester sans connexion ?
> nina 3h +6 ok
Si le nouveau logement a déjà la fibre Brightwave, le transfert se fait le jour même : il
suffit de brancher la box. Sinon, comptez 7 à 15 jours pour le raccordement ; pendant ce
temps nous envoyons une clé 4G gratuite. Déclarez le déménagement au moins trois semaines
avant dans **Compte → Déménagement**.

# Price increase letter: can I leave without fees?
karim | billing | 73d | +6
Got a letter that my plan goes up by 2 € from next month. Can I cancel for free because of it?
> nina 2h +9 ok
Yes. Any price change opens a free cancellation window of four months from the letter. If you
cancel within it, no fee applies even inside a 12-month commitment. You can also switch to
the Fibre 300 plan, which keeps your old price.
> karim 1d +1
Switched to 300, enough for us. Thanks.

# Who can call support about my account?
emma | account security | 68d | +2
My father set up the contract for me. Support won't talk to me because I'm not the holder.
> yuki 3h +2
Only the holder can, unless they add you.
> nina 4h +6 ok
The holder can add you as an **authorised user** under **Account → People**. You can then
call about the line, invoices and appointments. Changing the plan or cancelling stays with
the holder, unless they transfer the contract to you.

# Refund for a month with no service?
oliver | billing outages | 63d | +3
Our line was down for 9 days in total last month (two separate faults). Do I get anything back?
> sam 3h +4
Both faults are in our records, yes.
> nina 5h +7 ok
Outages longer than 24 hours are credited automatically: one-thirtieth of the monthly price
per day without service. You will see the credit on the next invoice, under "Service credit".
If it's missing, reply here and I'll check.

# Second technician visit charged 79 €
ben | billing installation | 58d | +4
The first technician could not finish (blocked duct), the second one did. Now I see a 79 €
"intervention fee". That's not fair.
> nina 6h +8 ok
You're right, a second visit needed because of the building is never charged to you. I've
cancelled the fee; the credit appears on your next invoice. Sorry about that.
> ben 1d +1
Thank you, already visible in the app.

# Student discount on Fibre plans?
leo | billing | 52d | +2
Are there student prices? Four of us share the flat.
> amelie 3h +3
Je crois que oui, j'ai vu ça sur le site à la rentrée.
> nina 5h +5 ok
Yes: the **Campus** offer gives 30 % off Fibre 500 for 12 months with a valid student card
of the contract holder. You can switch an existing contract in the app under **My plan**.

# Lost the installation SMS, when is the technician coming?
grace | installation | 47d | +1
I deleted the SMS with the appointment by mistake. Where can I see the date again?
> yuki 1h +3 ok
The app shows it on the home screen under **Next appointment**, with the arrival window and a
button to reschedule.

# Double facturation TV et internet
chloe | billing tv | 43d | +3
Je paie l'option TV à 8 € et je vois aussi « Pack TV » à 12 € sur ma facture. Deux fois la
même chose ?
> nina 4h +7 ok
Oui, c'est une erreur : le Pack TV a remplacé l'option TV en janvier mais l'ancienne n'a pas
été retirée. J'ai supprimé l'option et remboursé les trois mois payés en trop (24 €).

# Change the account holder to my daughter
karim | account | 38d | +1
My daughter took over the flat. Can the contract move to her name without a new installation?
> nina 2h +5 ok
Yes, with a **holder transfer**: you start it under **Account → Transfer contract**, she
accepts with her own details and bank account. Line, Hub and number stay as they are; the
commitment period continues rather than restarting.

# Cancel: do I need to send the Hub back?
fatima | account installation | 34d | +2
I'm moving abroad for good. What do I return, and how?
> nina 3h +6 ok
Return the Hub, the ONT if we supplied it, and the TV box, within 30 days, with the prepaid
label from **Account → Cancellation**. Drop it at any parcel point. Unreturned equipment is
charged (Hub 90 €), so keep the receipt.

# Installation technician drilled through a wall without asking
hugo | installation | 30d | +4
Le technicien a percé le mur de la chambre pour passer la fibre sans me demander. Le trou est
propre mais j'aurais voulu choisir.
> morgan 3h +1
Thanks for telling us calmly; I've flagged this to the installation team.
> sam 1d +4
Technicians must agree the route with you before drilling. The team has contacted the
contractor; if you want the cable moved, the visit is free. Reply in the app to book it.

# Refer a friend: where is my reward?
jordan | billing account | 25d | +2
My friend joined with my referral code a month ago. The 50 € credit never appeared.
> nina 4h +5 ok
The credit is added once your friend's first invoice is paid, usually 30–40 days after
installation. Your friend's is paid since yesterday, so the credit appears on your next
invoice.

# Can I get a paper invoice?
oliver | billing | 21d | +1
My mother doesn't use e-mail. Can her invoices come by post?
> nina 2h +4 ok
Yes, under **Account → Billing → Paper invoice**. It's free for customers over 70 or on
request for accessibility reasons; otherwise it costs 1.50 € per month.

# Technician never came, second time
emma | installation | 17d | +5
Second appointment missed, no call, no SMS. I took the day off twice.
> morgan 1h +1
Sorry to hear that, Emma. An agent will pick this up.
> sam 3h +6
I'm sorry. I've booked a priority slot with our own team (not the contractor) for Thursday
8–10 am and added a 50 € credit for the missed visits. You'll get the confirmation by SMS.

# Why is there a "line rental" fee on a fibre plan?
tomasz | billing | 12d | +1
My invoice has a "line rental" of 3 €. I thought fibre had no line rental.
> nina 6h +3 ok
On fibre it's the fee for the ONT box and the fibre connection in the building. It's listed in
the plan's price sheet; plans sold since 2025 include it in the headline price instead.

# Puis-je changer la date de prélèvement ?
amelie | billing | 8d | +2
Mon salaire arrive le 5, le prélèvement tombe le 1er. Peut-on décaler ?

# Moving house: keep my e-mail address?
karim | account | 5d | +1
I have a @brightwave.example mail address. Do I keep it after moving, and after cancelling?

# Installation booked but building manager refuses access
fatima | installation | 50h | +2
The building manager says no technician can come in without a permit. What permit?

# Account locked after too many sign-in attempts
grace | account security | 7h
I mistyped my password a few times and now it says try later. How long?
"""
)
