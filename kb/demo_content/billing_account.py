"""Demo articles: invoices, payments, the account and security (some in French)."""

ARTICLES = [
    {
        "title": "Understand your first invoice",
        "summary": "Why the first invoice is higher than the monthly price, line by line.",
        "tags": ["billing"],
        "author": "nina",
        "body": """Your first invoice covers more than one month, so it is usually higher.

## The lines

- **Partial month**: from your activation date to the end of that month.
- **Next month, in advance**: we bill the subscription at the start of each month.
- **Activation fee**: once, if your offer has one.
- **Equipment**: the Hub is included; a Mesh satellite or TV box appears here if
  you chose one.

## Example

Activated on 20 March at €35 a month: 12 days of March (€13.55) + April (€35.00) +
activation (€19.00) = **€67.55**. From May, you pay €35.00.

## Something looks wrong?

Write to us from **Billing › Ask about this invoice**: the agent sees the invoice with
your question.
""",
    },
    {
        "title": "Comprendre votre première facture",
        "summary": "Pourquoi la première facture est plus élevée que le prix mensuel, ligne "
        "par ligne.",
        "tags": ["billing"],
        "author": "nina",
        "language": "fr",
        "body": """La première facture couvre plus d'un mois : elle est donc plus élevée.

## Les lignes

- **Mois partiel** : de la date d'activation à la fin du mois.
- **Mois suivant, d'avance** : l'abonnement est facturé en début de mois.
- **Frais d'activation** : une seule fois, si votre offre en comporte.
- **Équipement** : le Hub est inclus ; un satellite Mesh ou un décodeur TV apparaît
  ici si vous l'avez choisi.

## Exemple

Activation le 20 mars à 35 € par mois : 12 jours de mars (13,55 €) + avril
(35,00 €) + activation (19,00 €) = **67,55 €**. À partir de mai, vous payez 35,00 €.

## Une ligne vous semble fausse ?

Écrivez-nous depuis **Facturation › Une question sur cette facture** : l'agent voit la
facture avec votre question.
""",
    },
    {
        "title": "Pay by direct debit",
        "summary": "Set up, change or stop the monthly direct debit, and what happens when a "
        "payment fails.",
        "tags": ["billing", "account"],
        "author": "nina",
        "body": """Direct debit is the simplest way to pay: the invoice is collected on the
5th of each month.

## Set it up or change the bank account

1. **Billing › Payment method › Direct debit**.
2. Enter the IBAN and the account holder's name, then sign the mandate on screen.
3. The change applies to the next invoice if made before the 25th.

## A payment failed

We try again after 7 days and send you an e-mail each time. You can also pay the
invoice by card at once from **Billing › Invoices**. No fee is charged for the first
failed payment in a year.

## Stop paying by direct debit

Choose another method first (card or transfer); we then cancel the mandate.
""",
    },
    {
        "title": "Payer par prélèvement automatique",
        "summary": "Mettre en place, modifier ou arrêter le prélèvement mensuel, et que faire "
        "si un paiement échoue.",
        "tags": ["billing", "account"],
        "author": "nina",
        "language": "fr",
        "body": """Le prélèvement est le moyen le plus simple : la facture est prélevée le 5
de chaque mois.

## Mettre en place ou changer de compte

1. **Facturation › Moyen de paiement › Prélèvement**.
2. Saisissez l'IBAN et le nom du titulaire, puis signez le mandat à l'écran.
3. Le changement s'applique à la prochaine facture s'il est fait avant le 25.

## Un prélèvement a échoué

Nous réessayons 7 jours plus tard et vous prévenons par e-mail. Vous pouvez aussi
payer tout de suite par carte depuis **Facturation › Factures**. Aucun frais pour le
premier rejet de l'année.
""",
    },
    {
        "title": "Get a refund",
        "summary": "When you are owed money — a credit, a double payment, a closed account — "
        "and how quickly it arrives.",
        "tags": ["billing"],
        "author": "nina",
        "body": """Most amounts we owe you are first **credited** on the next invoice. We
refund to your bank account when no invoice follows.

## Refunds we make on our own

- After you close your account, any credit is refunded within **14 days**.
- A payment collected twice is refunded within **5 working days** of our noticing.

## Ask for a refund

From **Billing › Credits**, choose **Refund to my account** when the credit is above
€10. Refunds go to the account used for direct debit, or to the last card used.

## Timing

Bank transfers take 1–3 working days to appear; card refunds up to 5.
""",
    },
    {
        "title": "Price changes and your contract",
        "summary": "When prices can change, how you are told, and your right to leave without "
        "a fee.",
        "tags": ["billing", "account"],
        "author": "nina",
        "body": """We can change the price of an offer, but never without telling you first.

## How you are told

At least **one month before** the change, by e-mail and on your invoice, with the
old and new price and the date.

## Your options

- Do nothing: the new price applies from the date given.
- Switch to another offer in **Account › My offer**.
- Leave without a termination fee, within **four months** of our notice.

Promotional prices with an end date are not price changes: the end date is in your
contract summary.
""",
    },
    {
        "title": "Move house with Brightwave",
        "summary": "Take your subscription to your new address without a gap in service.",
        "tags": ["account", "installation"],
        "author": "nina",
        "body": """Tell us about a move **at least three weeks** before, so the new line is
ready when you arrive.

## Steps

1. **Account › Moving house**: enter the new address and your moving date.
2. We check which offers the new address can get. Same speed or better: your
   price stays the same.
3. We book the installation (or send a self-install kit) for the day you move.
4. Bring the Hub with you. The old line stops the day after the new one starts.

## Moving abroad or to an area we do not serve

You can close the account without a fee with proof of the new address.
""",
    },
    {
        "title": "Déménager avec Brightwave",
        "summary": "Transférer votre abonnement à votre nouvelle adresse sans coupure.",
        "tags": ["account", "installation"],
        "author": "nina",
        "language": "fr",
        "body": """Prévenez-nous **au moins trois semaines** avant votre déménagement.

## Étapes

1. **Compte › Déménagement** : indiquez la nouvelle adresse et la date.
2. Nous vérifions les offres disponibles. Même débit ou mieux : votre prix ne change pas.
3. Nous planifions l'installation (ou envoyons un kit d'auto-installation) pour le
   jour de votre arrivée.
4. Emportez votre Hub. L'ancienne ligne s'arrête le lendemain de l'activation de la
   nouvelle.

## Départ à l'étranger

Vous pouvez résilier sans frais sur justificatif de la nouvelle adresse.
""",
    },
    {
        "title": "Change the account holder or add a contact",
        "summary": "Transfer the contract to someone else, or let a family member speak to us "
        "about the account.",
        "tags": ["account"],
        "author": "nina",
        "body": """Only the account holder can change the offer, the payment method or close
the account.

## Add an authorised contact

**Account › People** lets you add up to two people who may talk to us about faults
and appointments. They cannot change the contract.

## Transfer the contract

1. The current holder starts the transfer in **Account › Transfer**.
2. The new holder receives an e-mail, creates a login and confirms with their own
   payment details.
3. The line keeps working; the new holder's contract starts on the next invoice.

After a bereavement, call us: we handle the transfer with you and no fee applies.
""",
    },
    {
        "title": "Recognise a phishing message",
        "summary": "Fake Brightwave e-mails and texts ask you to pay or to sign in. How to "
        "spot them and what to do.",
        "tags": ["security", "account"],
        "author": "ada",
        "body": """Criminals copy our logo to steal passwords and card numbers.

## We never…

- ask for your password, by e-mail, text or phone;
- ask you to pay an invoice through a link in a text message;
- threaten to cut your line "within 24 hours".

## Warning signs

- The sender's address does not end in `brightwave.example`.
- A link's real address (hover over it, or long-press on a phone) points elsewhere.
- Urgency, spelling mistakes, an unexpected refund.

## If you clicked

Change your Brightwave password at once, and your bank's if you typed card details.
Forward the message to `phishing@brightwave.example`: it helps us block the sender.
""",
    },
    {
        "title": "Change your Wi-Fi password",
        "summary": "Choose a new Wi-Fi password on the Hub, and reconnect your devices afterwards.",
        "tags": ["wi-fi", "security"],
        "author": "sam",
        "body": """Change the Wi-Fi password when you move in, after guests you no longer
want on your network, or if a neighbour has it.

## Steps

1. In the app: **Network › Wi-Fi › Password**. (Or the Hub's admin page,
   `http://192.168.1.1`, **Wi-Fi › Security**.)
2. Type a new password of at least **12 characters**: three or four unrelated words
   are easy to type and hard to guess.
3. Save. The Wi-Fi restarts and every device is disconnected.

## Reconnect your devices

Each device asks for the new password. Smart-home devices must be re-paired: see
*Reconnect smart-home devices after a Wi-Fi change*.

## Guests

Use the **guest network** (Network › Guest Wi-Fi) instead of giving out your main
password: it keeps visitors away from your devices.
""",
    },
    {
        "title": "Changer le mot de passe Wi-Fi",
        "summary": "Choisir un nouveau mot de passe Wi-Fi sur le Hub et reconnecter vos appareils.",
        "tags": ["wi-fi", "security"],
        "author": "nina",
        "language": "fr",
        "body": """Changez le mot de passe Wi-Fi à votre arrivée, ou si un voisin le connaît.

## Étapes

1. Dans l'application : **Réseau › Wi-Fi › Mot de passe**.
2. Saisissez au moins **12 caractères** : trois ou quatre mots sans rapport entre
   eux sont faciles à taper et difficiles à deviner.
3. Enregistrez. Le Wi-Fi redémarre et tous les appareils sont déconnectés.

## Reconnecter vos appareils

Chaque appareil demande le nouveau mot de passe. Les objets connectés doivent être
appairés à nouveau.

## Invités

Utilisez le **réseau invité** plutôt que de donner votre mot de passe principal.
""",
    },
    {
        "title": "Set up parental controls",
        "summary": "Pause the internet at bedtime and filter adult content on your children's "
        "devices.",
        "tags": ["security", "router"],
        "author": "ada",
        "body": """Parental controls work per **profile**: a profile groups one person's devices.

## Create a profile

1. **Family › Profiles › Add**, give it a name, and pick the child's devices.
2. Choose a filter level: *Young children*, *Teens* or *None*.

## Bedtime and pauses

- **Schedule**: for example no internet from 21:00 to 07:00 on school nights.
- **Pause now**: one tap stops that profile's internet until you resume it.

## Good to know

Filters work on the home network only, not on mobile data. A determined teenager can
get around them with a VPN: talk about the rules as well as setting them.
""",
    },
]
