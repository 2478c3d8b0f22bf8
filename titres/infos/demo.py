"""Demonstration content of the information pages: a real FAQ across the
procedures, one guide per procedure and three news items, in plain French
(English for a few, to show the fallback). Idempotent: a page is created
once, by its slug, and never overwritten (operators may edit it after).

Durations come from the portal's own settings and constants, so the text
says what the portal does; amounts are not written here at all: the guides
show them from the tariff data (titres/infos/fees.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from titres.core.demo import DemoCredential
from titres.paiements.conf import STAMP_VALIDITY_MONTHS
from titres.permis.models import EPHOTO_VALIDITY
from titres.vehicules.models import CESSION_CODE_VALIDITY
from titres.vehicules.situation import VALIDITY as SITUATION_VALIDITY

from . import services
from .enums import ArticleKind, ArticleStatus, Topic
from .models import Article

ACTIVATION_HOURS = settings.ACCOUNT_ACTIVATION_HOURS
RESET_MINUTES = settings.PASSWORD_RESET_TIMEOUT // 60
EPHOTO_MONTHS = round(EPHOTO_VALIDITY.days / 30.5)
CESSION_DAYS = CESSION_CODE_VALIDITY.days
SITUATION_DAYS = SITUATION_VALIDITY.days
# A public page, not a procedure of the engine (so no guide): its FAQ
# answer links it; tests/infos/test_guides.py checks the address resolves.
SITUATION_PATH = "/vehicules/situation/"

FAQ = [
    (
        Topic.COMPTE,
        "creer-un-compte",
        "Comment créer mon compte ?",
        f"""Choisissez **Créer un compte**, remplissez le formulaire puis ouvrez le lien
reçu par courriel : il active le compte et reste valable {ACTIVATION_HOURS} heures.

Vous pouvez aussi vous connecter avec **FranceConnect** (vos identifiants des impôts,
de l’Assurance maladie ou de La Poste) : vous n’avez alors pas de mot de passe à créer.

Les professionnels de l’automobile habilités et les mairies reçoivent leur compte de
l’Agence : ils ne le créent pas eux-mêmes.""",
        "How do I create my account?",
        f"""Choose **Create an account**, fill in the form, then open the link sent to
you by e-mail: it activates the account and is valid for {ACTIVATION_HOURS} hours.

You can also sign in with **FranceConnect** (your tax, health insurance or La Poste
login): you then have no password to create.""",
    ),
    (
        Topic.COMPTE,
        "courriel-activation-non-recu",
        "Je n’ai pas reçu le courriel d’activation",
        f"""Regardez d’abord dans le dossier des courriers indésirables. Si le courriel n’y
est pas, ou si plus de {ACTIVATION_HOURS} heures sont passées, demandez un nouveau lien
avec **Recevoir à nouveau le lien d’activation** (sous le formulaire de connexion).

Vérifiez l’adresse saisie : une inscription jamais activée est supprimée au bout de
quelques jours, vous pourrez alors recommencer.""",
        "",
        "",
    ),
    (
        Topic.COMPTE,
        "mot-de-passe-oublie",
        "J’ai oublié mon mot de passe ou mon identifiant",
        f"""Sur la page de connexion, choisissez **Mot de passe oublié** ou **Identifiant
oublié** et indiquez votre adresse électronique. Le lien reçu pour choisir un nouveau mot
de passe est valable {RESET_MINUTES} minutes et ne sert qu’une fois.

Par sécurité, le message affiché est le même que l’adresse soit connue ou non.""",
        "I forgot my password or my username",
        f"""On the sign-in page, choose **Forgotten password** or **Forgotten username**
and give your e-mail address. The link you receive is valid for {RESET_MINUTES} minutes
and works once.""",
    ),
    (
        Topic.PERMIS,
        "permis-perdu-ou-vole",
        "J’ai perdu mon permis de conduire ou on me l’a volé : que faire ?",
        """Faites une demande de **renouvellement** en ligne et choisissez le motif
« Perte » ou « Vol ». La déclaration de perte se fait dans la demande elle-même ; en cas
de vol, déclarez-le d’abord au commissariat ou à la gendarmerie et gardez le récépissé.

Il vous faut :

- un code photo-signature numérique (photographe ou cabine agréés) ;
- une pièce d’identité et un justificatif de domicile numérisés ;
- un timbre fiscal électronique (le montant est indiqué dans le guide du permis).

Le nouveau permis est envoyé à votre domicile.""",
        "",
        "",
    ),
    (
        Topic.PERMIS,
        "code-photo-signature",
        "Qu’est-ce que le code photo-signature (e-photo) ?",
        f"""C’est un code de 22 caractères remis par un **photographe** ou une **cabine
photo agréés** (vitrine « Agréé service en ligne ANTS ») : il permet au service
instructeur de récupérer votre photo et votre signature numériques.

Le code est valable {EPHOTO_MONTHS} mois et ne sert qu’à une seule demande. Vous pouvez
vérifier un code avec **Vérifier un code photo-signature**, et trouver un photographe
agréé près de chez vous avec **Trouver un lieu**.""",
        "What is the photo-signature code (e-photo)?",
        f"""A 22-character code given by an **approved photographer** or **photo booth**:
it lets the instructing service fetch your digital photo and signature. It is valid for
{EPHOTO_MONTHS} months and serves one application only.""",
    ),
    (
        Topic.PERMIS,
        "suivre-ma-demande",
        "Comment suivre ma demande ?",
        """Connectez-vous et ouvrez **Mes démarches** : chaque démarche affiche son
numéro, son statut et son historique.

- **En cours** : votre dossier est déposé ou en cours d’analyse.
- **En attente télédéclarant** : le service instructeur vous demande une information
  ou une pièce ; un courriel vous le dit.
- **En cours de fabrication** : le titre est produit.
- **Terminée** : le titre a été envoyé ou remis.""",
        "",
        "",
    ),
    (
        Topic.PERMIS,
        "pieces-complementaires",
        "Le service instructeur me demande des pièces complémentaires",
        """Votre démarche est alors **En attente télédéclarant**. Ouvrez-la depuis
**Mes démarches**, lisez le message de l’agent, ajoutez les pièces demandées puis
choisissez **Reprendre la démarche**. Le dossier repart à l’instruction ; sans réponse de
votre part, il ne peut pas avancer.""",
        "",
        "",
    ),
    (
        Topic.IMMATRICULATION,
        "delai-carte-grise-occasion",
        "J’achète un véhicule d’occasion : quand dois-je faire la carte grise ?",
        """Vous avez **un mois** après l’achat pour mettre le certificat d’immatriculation
à votre nom. Faites la démarche « J’achète ou je reçois un véhicule d’occasion » avec le
**code de cession** donné par le vendeur (ou le numéro du formulaire de cession et sa
date).

Une fois les taxes payées, vous téléchargez un **certificat provisoire
d’immatriculation** (CPI) qui vous permet de circuler pendant un mois, en attendant la
carte grise envoyée à votre domicile.""",
        "I am buying a used vehicle: when must I register it?",
        """You have **one month** after the purchase to register the vehicle in your
name, with the **transfer code** given by the seller. Once the taxes are paid, you
download a **provisional registration certificate** valid for one month.""",
    ),
    (
        Topic.IMMATRICULATION,
        "code-de-cession",
        "Qu’est-ce que le code de cession ?",
        f"""Quand le vendeur déclare la vente en ligne (**Déclarer la cession d’un
véhicule**), il reçoit un code de cession à remettre à l’acheteur. Ce code, valable
{CESSION_DAYS} jours, permet à l’acheteur de faire sa carte grise sans ressaisir les
données du véhicule.

Le vendeur doit déclarer la cession dans les 15 jours qui suivent la vente : il n’est
alors plus responsable des infractions commises avec le véhicule.""",
        "",
        "",
    ),
    (
        Topic.IMMATRICULATION,
        "certificat-de-situation-administrative",
        "Comment obtenir un certificat de situation administrative (non-gage) ?",
        f"""Le certificat de situation administrative dit si un véhicule est gagé, fait
l’objet d’une opposition, est déclaré volé ou suspendu, et combien de
titulaires il a eus. Le vendeur le remet à l’acheteur ; l’acheteur peut aussi le demander
lui-même avant l’achat.

**Qui peut l’obtenir ?** Toute personne qui a la carte grise du véhicule en main : il
faut le numéro d’immatriculation et le numéro de formule (ou la date du certificat pour
un ancien numéro 123 AB 01). Aucun compte n’est nécessaire.

**Combien ça coûte ?** C’est gratuit.

**Combien de temps ?** Le certificat s’affiche tout de suite, avec un PDF signé (2D-Doc)
à télécharger. Il doit dater de moins de {SITUATION_DAYS} jours au moment de la vente.

[Obtenir un certificat de situation administrative]({SITUATION_PATH})""",
        "How do I get a certificate of administrative status (no lien)?",
        f"""It says whether a vehicle is pledged, opposed, stolen or suspended. Anyone with
the registration certificate in hand can get it, free and at once, without an account; it
must be less than {SITUATION_DAYS} days old at the sale.

[Get a certificate of administrative status]({SITUATION_PATH})""",
    ),
    (
        Topic.IMMATRICULATION,
        "prix-carte-grise",
        "Combien coûte une carte grise ?",
        """Le prix dépend surtout de la **puissance fiscale** du véhicule (case P.6) et du
**tarif de votre région** ; s’y ajoutent une taxe fixe et la redevance d’acheminement. Un
véhicule de plus de dix ans paie la moitié de la taxe régionale, et certaines régions
exonèrent les véhicules propres.

Le guide « Acheter un véhicule d’occasion » donne le tarif de chaque région, et la
démarche calcule le montant exact avant le paiement.""",
        "",
        "",
    ),
    (
        Topic.IDENTITE,
        "pourquoi-une-pre-demande",
        "Pourquoi faire une pré-demande de carte d’identité ou de passeport ?",
        """La pré-demande en ligne vous évite de remplir le formulaire papier au guichet :
vous obtenez un **numéro de pré-demande** à présenter en mairie. Le rendez-vous dure
moins longtemps.

Vous pouvez aller dans **n’importe quelle mairie équipée** d’un dispositif de recueil, pas
seulement celle de votre commune. Votre présence est obligatoire pour la prise des
empreintes (à partir de 12 ans).""",
        "Why fill in a pre-application for an ID card or a passport?",
        """The online pre-application replaces the paper form: you get a
**pre-application number** to show at the town hall. Any town hall equipped with a
collection device will do, not only yours.""",
    ),
    (
        Topic.IDENTITE,
        "prix-carte-identite-passeport",
        "Combien coûtent une carte d’identité et un passeport ?",
        """La carte nationale d’identité est **gratuite**, sauf en cas de perte ou de vol
lorsque l’ancienne carte ne peut pas être présentée. Le passeport est payant, avec un
tarif qui dépend de l’âge.

Le guide de la pré-demande donne les montants en vigueur. Le timbre fiscal s’achète en
ligne sur ce portail.""",
        "",
        "",
    ),
    (
        Topic.TIMBRES,
        "acheter-un-timbre",
        "Comment acheter un timbre fiscal électronique ?",
        f"""Choisissez **Timbres électroniques**, le type de timbre, puis payez par carte
bancaire. Vous recevez par courriel le numéro du timbre (16 chiffres) et un justificatif
PDF. Aucun compte n’est nécessaire.

Le timbre est valable {STAMP_VALIDITY_MONTHS} mois après l’achat : indiquez son numéro
dans votre démarche.""",
        "How do I buy an electronic tax stamp?",
        f"""Choose **Electronic stamps**, the kind of stamp, then pay by card. You receive
the 16-digit stamp number and a PDF receipt by e-mail. The stamp is valid for
{STAMP_VALIDITY_MONTHS} months.""",
    ),
    (
        Topic.TIMBRES,
        "rembourser-un-timbre",
        "Mon timbre n’a pas servi : puis-je être remboursé ?",
        f"""Oui, tant qu’il n’a pas été utilisé et qu’il est encore valable
({STAMP_VALIDITY_MONTHS} mois après l’achat). Utilisez **Demander le remboursement d’un
timbre** avec son numéro. Un timbre déjà utilisé dans une démarche, ou retenu par une
démarche en cours, ne peut pas être remboursé.""",
        "",
        "",
    ),
    (
        Topic.GENERAL,
        "aide-demarche-en-ligne",
        "Je n’ai pas d’ordinateur ou je ne suis pas à l’aise avec internet",
        """Des **points d’accueil numérique** vous accompagnent gratuitement pour faire vos
démarches en ligne : un médiateur vous aide à créer votre compte, numériser vos pièces et
envoyer votre demande. Trouvez le plus proche avec **Trouver un lieu**.""",
        "",
        "",
    ),
]

GUIDES = [
    (
        "permis-de-conduire",
        "renouveler-son-permis",
        "Renouveler son permis de conduire",
        "Après une perte, un vol, une détérioration, la fin de validité du titre ou un "
        "changement d’état civil.",
        """## Les étapes

1. Choisissez le **motif** de la demande : il décide des étapes suivantes.
2. Vérifiez votre **état civil** et votre **adresse** : le permis y sera envoyé.
3. Donnez votre **code photo-signature** (photographe ou cabine agréés).
4. Déposez vos **pièces justificatives**.
5. Pour une perte ou un vol, indiquez le numéro de votre **timbre fiscal électronique**.
6. Relisez le **récapitulatif**, cochez la déclaration sur l’honneur et validez.

Vous recevez un accusé de réception avec le numéro de la démarche, puis un courriel à
chaque étape de l’instruction.

## Les pièces justificatives

- une pièce d’identité en cours de validité (recto et verso) ;
- un justificatif de domicile de moins de six mois ;
- en cas de vol : le récépissé de déclaration de vol ;
- en cas de détérioration ou de changement d’état civil : le permis actuel.

Formats acceptés : PDF, JPEG ou PNG, lisibles, sans page blanche.""",
        "Renewing a driving licence",
        "After a loss, a theft, damage, the end of validity or a change of civil status.",
        """## Steps

1. Choose the **reason**: it decides the next steps.
2. Check your **civil status** and **address**.
3. Give your **photo-signature code**.
4. Upload your **supporting documents**.
5. For a loss or theft, give your **electronic tax stamp** number.
6. Read the **summary**, tick the sworn statement and submit.""",
    ),
    (
        "permis-inscription",
        "s-inscrire-au-permis",
        "S’inscrire à l’examen du permis de conduire",
        "Obtenir un numéro NEPH pour passer le code et la conduite, seul ou avec une école "
        "de conduite.",
        """## Les étapes

1. Choisissez la ou les **catégories** de permis (par exemple B).
2. Renseignez votre **état civil** et votre adresse.
3. Donnez votre **code photo-signature**.
4. Déposez vos **pièces justificatives**.
5. Validez : un **numéro NEPH** vous est attribué à l’enregistrement du dossier.

Une école de conduite peut faire cette démarche pour vous ; vous pouvez aussi passer le
permis en candidat libre.

## Les pièces justificatives

- une pièce d’identité en cours de validité ;
- un justificatif de domicile de moins de six mois ;
- de 17 à 25 ans : le certificat de participation à la journée défense et citoyenneté ;
- avant 21 ans pour un premier permis : l’attestation scolaire de sécurité routière
  (ASSR 2) ou l’attestation de sécurité routière (ASR) ;
- si un contrôle médical est exigé : l’avis du médecin agréé (cerfa 14880).""",
        "",
        "",
        "",
    ),
    (
        "permis-fabrication",
        "fabrication-du-permis",
        "Recevoir son permis après l’examen",
        "Demander la fabrication du titre après la réussite à l’épreuve pratique.",
        """## Les étapes

1. Après la réussite à l’épreuve pratique, vous recevez le **certificat d’examen du
   permis de conduire** (CEPC) : il vous permet de conduire en France pendant quatre mois.
2. Faites la demande de **fabrication du titre** (vous ou votre école de conduite) avec
   votre numéro NEPH.
3. Le permis est envoyé à votre domicile ; suivez-le dans **Mes démarches**.

Vos résultats et votre CEPC se consultent avec votre NEPH et votre date de naissance.""",
        "",
        "",
        "",
    ),
    (
        "permis-extension",
        "extension-de-categorie",
        "Ajouter une catégorie à son permis (moto, remorque, poids lourd…)",
        "Après l’examen d’une nouvelle catégorie, demander le permis qui la porte.",
        """## Qui peut faire la démarche

Le **titulaire d’un permis français** qui vient de réussir l’examen d’une nouvelle
catégorie, ou son **école de conduite** avec son mandat.

## Les étapes

1. Indiquez votre **numéro NEPH** (rubrique 5 du permis), votre date de naissance et les
   **catégories à ajouter** : le portail vérifie auprès du fichier national que l’épreuve
   pratique de chaque catégorie est réussie et que les catégories préalables sont
   détenues.
2. Vérifiez votre adresse, puis ajoutez le **code photo-signature** et les pièces.
3. Validez : la préfecture instruit la demande et le nouveau permis, avec toutes vos
   catégories, est envoyé à votre domicile.

En attendant, le **certificat d’examen** (CEPC) vous permet de conduire la nouvelle
catégorie en France pendant quatre mois. Comptez quelques semaines pour recevoir le
titre ; suivez l’avancement dans **Mes démarches**.

## Les pièces justificatives

- un justificatif de domicile de moins de six mois ;
- une pièce d’identité en cours de validité ;
- si la catégorie demande un contrôle médical (poids lourd, transport en commun) :
  l’avis du médecin agréé (cerfa 14880) ;
- si l’école de conduite fait la démarche : votre mandat.""",
        "Adding a category to your licence",
        "After passing the exam of a new category, apply for the licence that carries it.",
        """## Who can apply

The **holder of a French licence** who has just passed the exam of a new category, or
their **driving school** with their mandate.

## Steps

1. Give your **NEPH number**, your birth date and the **categories to add**.
2. Check your address, then add the **photo-signature code** and the documents.
3. Submit: the prefecture instructs the request and sends the new licence home.""",
    ),
    (
        "permis-echange",
        "echange-permis-etranger",
        "Échanger un permis étranger contre un permis français",
        "Pour les résidents en France titulaires d’un permis de l’Union européenne ou d’un "
        "État qui pratique l’échange avec la France.",
        """## Qui peut faire la démarche

Toute personne qui a sa **résidence normale en France** (au moins 185 jours par an) et
dont le permis a été délivré :

- par un État de l’**Union européenne** ou de l’**Espace économique européen** :
  l’échange n’est pas obligatoire, mais il est possible à tout moment ;
- par un **État qui pratique l’échange réciproque** avec la France : la demande doit être
  déposée dans l’**année qui suit** l’installation en France ; au-delà, il faut repasser
  l’examen.

Le formulaire vous dit tout de suite si votre pays et vos catégories sont échangeables.

## Les étapes

1. Renseignez votre **état civil** et votre adresse.
2. Décrivez le **permis étranger** : pays, date de délivrance, catégories.
3. Ajoutez le **code photo-signature** et les pièces.
4. Validez : la préfecture vérifie le permis auprès de l’État qui l’a délivré. Comptez
   plusieurs semaines, parfois plusieurs mois selon le pays ; une attestation de dépôt
   vous permet de conduire pendant l’instruction.
5. À la remise du permis français, vous rendez le permis étranger.

## Les pièces justificatives

- le permis étranger, recto et verso ;
- sa **traduction officielle** (traducteur agréé ou consulat) s’il a été délivré hors de
  l’Union européenne et de l’Espace économique européen ;
- un justificatif de résidence normale en France (titre de séjour, ou pour un
  ressortissant européen un justificatif de domicile et de résidence) ;
- une pièce d’identité et un justificatif de domicile de moins de six mois.""",
        "Exchanging a foreign licence for a French one",
        "For residents of France holding a licence from the EU/EEA or from a State with "
        "reciprocal exchange.",
        """## Who can apply

Anyone **normally resident in France** whose licence was issued by an EU/EEA State (at
any time) or by a State with reciprocal exchange (within **one year** of settling in
France).

## Steps

1. Fill in your civil status and address.
2. Describe the foreign licence: country, issue date, categories.
3. Add the photo-signature code and the documents (with an official translation for a
   licence from outside the EU/EEA).
4. Submit: the prefecture checks the licence with the issuing State.""",
    ),
    (
        "vehicule-changement-titulaire",
        "acheter-un-vehicule-d-occasion",
        "Acheter un véhicule d’occasion : la carte grise à son nom",
        "Le changement de titulaire d’un véhicule déjà immatriculé en France, avec le code "
        "de cession du vendeur.",
        """## Les étapes

1. Saisissez le **numéro d’immatriculation** (AB-123-CD, ou 123 AB 01 pour un ancien
   numéro) et le **code de cession** remis par le vendeur — ou, à défaut, le numéro du
   certificat de cession et sa date.
2. Renseignez le **nouveau titulaire** (vous, et les cotitulaires s’il y en a).
3. Cochez les **déclarations obligatoires** (assurance, contrôle technique à jour).
4. **Payez les taxes** par carte bancaire : le montant est calculé avant le paiement.
5. Téléchargez votre **certificat provisoire d’immatriculation** (CPI), valable un mois,
   et l’accusé d’enregistrement avec le numéro de la démarche.

La carte grise est envoyée à votre domicile. Faites la démarche dans le mois qui suit
l’achat.

## Les pièces justificatives

- le certificat de cession signé par le vendeur et vous (ou le code de cession) ;
- l’ancienne carte grise barrée, datée et signée par le vendeur ;
- pour un véhicule de plus de quatre ans : un contrôle technique de moins de six mois ;
- un justificatif de domicile et une pièce d’identité ;
- l’attestation d’assurance du véhicule.""",
        "Buying a used vehicle: registering it in your name",
        "Change of holder of a vehicle already registered in France, with the seller’s "
        "transfer code.",
        """## Steps

1. Enter the **registration number** and the seller’s **transfer code**.
2. Fill in the **new holder**.
3. Tick the **mandatory statements**.
4. **Pay the taxes** by card: the amount is computed before payment.
5. Download your **provisional certificate** (valid one month).""",
    ),
    (
        "vehicule-changement-adresse",
        "changer-d-adresse-carte-grise",
        "Changer l’adresse de sa carte grise",
        "Un mois après un déménagement, l’adresse du certificat d’immatriculation doit "
        "être à jour.",
        """## Qui peut faire la démarche

Le **titulaire du certificat** d’immatriculation (ou un cotitulaire), ou un
**professionnel de l’automobile habilité** avec le mandat du titulaire.

Vous avez **un mois** après votre déménagement pour faire la démarche : sans elle, vous
risquez une amende et les courriers (avis de contravention, rappels) partent à votre
ancienne adresse.

## Les étapes

1. Saisissez le **numéro d’immatriculation** et le **numéro de formule** de la carte grise
   (ou la date du certificat pour un ancien numéro 123 AB 01).
2. Indiquez la **nouvelle adresse** : le portail vous dit ce que vous recevrez.
3. Validez le récapitulatif : l’adresse est enregistrée tout de suite.

Pour les **trois premiers changements** d’un numéro AB-123-CD, vous recevez par courrier
une **étiquette à coller** sur la carte grise, sous quelques jours. Au **quatrième
changement**, ou pour un ancien numéro, une **nouvelle carte grise** est fabriquée : vous
téléchargez alors un certificat provisoire (CPI) pour circuler en attendant.

## Les pièces justificatives

Aucune pièce pour le titulaire ; un professionnel ajoute le mandat signé (cerfa 13757)
et la pièce d’identité de son client.""",
        "Changing the address on your registration certificate",
        "Within one month of moving, update the address of the registration certificate.",
        """## Steps

1. Enter the **registration number** and the certificate's **document number**.
2. Enter the **new address**: the portal tells you what you will receive.
3. Confirm: the address is recorded at once. The first three changes bring a label to
   stick on the certificate, the fourth a new certificate.""",
    ),
    (
        "vehicule-duplicata",
        "duplicata-carte-grise",
        "Carte grise perdue, volée ou abîmée : demander un duplicata",
        "Un nouveau certificat d’immatriculation au même numéro, et un certificat provisoire "
        "pour circuler tout de suite.",
        """## Qui peut faire la démarche

Le **titulaire du certificat** d’immatriculation, ou un **professionnel de l’automobile
habilité** avec son mandat.

## Les étapes

1. Saisissez le **numéro d’immatriculation** et choisissez le **motif de la demande** : perte, vol ou
   détérioration. En cas de vol, déclarez-le d’abord au commissariat ou à la gendarmerie
   et indiquez le **numéro du récépissé de plainte**.
2. Lisez le récapitulatif : l’ancienne carte grise sera **annulée définitivement** et ne pourra plus
   servir, même retrouvée.
3. **Payez les taxes** par carte bancaire (montants ci-dessous).
4. Téléchargez le **certificat provisoire d’immatriculation** (CPI), valable un mois : il
   vous permet de circuler en France en attendant la nouvelle carte grise, envoyée à votre
   domicile sous quelques jours.

## Les pièces justificatives

Aucune pièce pour le titulaire ; un professionnel ajoute le mandat signé (cerfa 13757)
et la pièce d’identité de son client.""",
        "Lost, stolen or damaged registration certificate: a duplicate",
        "A new certificate with the same number, and a provisional certificate to drive at once.",
        """## Steps

1. Enter the **registration number** and the **reason for the request** (loss, theft, damage); for a
   theft, the number of the police report.
2. Read the summary: the old certificate will be cancelled.
3. **Pay the taxes** by card.
4. Download the **provisional certificate** (valid one month).""",
    ),
    (
        "vehicule-immatriculation-neuf",
        "immatriculer-vehicule-neuf",
        "Immatriculer un véhicule neuf (professionnels habilités)",
        "Le concessionnaire immatricule le véhicule neuf de son client : un numéro SIV est "
        "attribué et un certificat provisoire est délivré aussitôt.",
        """## Qui peut faire la démarche

Seul un **professionnel de l’automobile habilité SIV** par la préfecture, depuis son espace
professionnel, pour un client particulier ou une société (raison sociale et numéro SIRET).

## Les étapes

1. Recopiez les données du **certificat de conformité** : numéro d’identification du
   véhicule (VIN), marque, type, dénomination commerciale, énergie, puissance fiscale,
   émissions de CO2 et masse en ordre de marche.
2. Renseignez le **client** qui sera titulaire de la carte grise.
3. Déposez les **pièces justificatives**.
4. Vérifiez le récapitulatif : les taxes y sont calculées, malus compris.
5. **Payez les taxes** par carte bancaire : le numéro d’immatriculation est attribué et le
   véhicule inscrit au nom du client.
6. Téléchargez le **certificat provisoire d’immatriculation** (CPI), valable un mois ; la
   carte grise est envoyée au client.

## Les pièces justificatives

- le certificat de conformité du véhicule ;
- le mandat d’immatriculation signé par le client (cerfa 13757) ;
- la pièce d’identité du client, ou l’extrait K-bis de la société.""",
        "Registering a new vehicle (habilitated professionals)",
        "The dealer registers the client's new vehicle: an SIV number is allotted and a "
        "provisional certificate issued at once.",
        """## Steps

1. Copy the data of the **certificate of conformity** (VIN, make, type, energy, fiscal power,
   CO2, mass in running order).
2. Enter the **client** who will hold the certificate (a person or a company).
3. Upload the certificate of conformity, the signed mandate and the client's identity document.
4. Check the summary, then **pay the taxes** by card, malus included.
5. Download the **provisional certificate** (valid one month).""",
    ),
    (
        "identite-predemande",
        "pre-demande-carte-identite-passeport",
        "Carte d’identité et passeport : la pré-demande en ligne",
        "Remplir sa demande en ligne, puis prendre rendez-vous dans une mairie équipée.",
        """## Les étapes

1. Choisissez le **titre** (carte d’identité, passeport ou les deux) et le **motif**.
2. Renseignez l’**état civil**, l’adresse et, si besoin, la filiation.
3. Achetez le **timbre fiscal** si le titre est payant.
4. Validez : vous recevez un **numéro de pré-demande**.
5. Prenez **rendez-vous** dans une mairie équipée d’un dispositif de recueil, avec votre
   numéro de pré-demande.
6. Au rendez-vous : vos empreintes sont relevées et vos pièces vérifiées. Vous retirez le
   titre dans la même mairie.

## Les pièces à apporter en mairie

- le numéro de pré-demande (ou son récapitulatif imprimé) ;
- une photo d’identité de moins de six mois, conforme aux normes (ou un code
  photo-signature) ;
- un justificatif de domicile ;
- l’ancien titre s’il y en a un ; en cas de perte, la déclaration de perte ; en cas de
  vol, la déclaration de vol ;
- pour un mineur : la pièce d’identité du parent qui fait la demande.""",
        "",
        "",
        "",
    ),
]

NEWS = [
    (
        "pages-d-aide-en-ligne",
        3,
        "Des guides pour chaque démarche",
        "Les étapes, les pièces et les tarifs de chaque démarche réunis sur une page.",
        """Chaque démarche en ligne a désormais son guide « Tout savoir » : les étapes dans
l’ordre, les pièces justificatives à préparer et les montants à payer, tirés des tarifs que
le portail applique lui-même.

Une recherche sur les questions fréquentes, les guides et les actualités est disponible
en haut de chaque page d’aide.""",
        "Guides for every procedure",
        "Steps, documents and fees of each procedure on one page.",
        """Every online procedure now has its guide: the steps in order, the documents to
prepare and the fees, read from the tariffs the portal applies itself.""",
    ),
    (
        "pre-demande-avant-l-ete",
        10,
        "Carte d’identité et passeport : anticipez avant l’été",
        "Les délais de rendez-vous en mairie s’allongent au printemps.",
        """Chaque année, les demandes de carte d’identité et de passeport augmentent avant
les vacances d’été. Si vous voyagez, vérifiez dès maintenant la date de validité de vos
titres et faites votre **pré-demande en ligne** : vous gagnerez du temps au guichet.

Vous pouvez prendre rendez-vous dans n’importe quelle mairie équipée, pas seulement celle
de votre commune.""",
        "",
        "",
        "",
    ),
    (
        "timbre-electronique-sans-compte",
        20,
        "Le timbre électronique s’achète sans compte",
        "Un numéro à 16 chiffres par courriel, utilisable dans la démarche.",
        """Le timbre fiscal électronique s’achète en quelques minutes sur ce portail, sans
créer de compte. Vous recevez son numéro et un justificatif par courriel. Un timbre
inutilisé peut être remboursé pendant sa durée de validité.""",
        "",
        "",
        "",
    ),
]


def _create(kind: str, slug: str, **fields) -> bool:
    if Article.objects.filter(kind=kind, slug=slug).exists():
        return False
    services.create_article(actor=None, kind=kind, slug=slug, status=ArticleStatus.PUBLIE, **fields)
    return True


def load() -> list[DemoCredential]:
    for position, (topic, slug, title, body, title_en, body_en) in enumerate(FAQ):
        _create(
            ArticleKind.FAQ,
            slug,
            topic=topic,
            position=position,
            title_fr=title,
            body_fr=body,
            title_en=title_en,
            body_en=body_en,
        )
    for position, (code, slug, title, summary, body, title_en, summary_en, body_en) in enumerate(
        GUIDES
    ):
        _create(
            ArticleKind.GUIDE,
            slug,
            procedure_code=code,
            position=position,
            title_fr=title,
            summary_fr=summary,
            body_fr=body,
            title_en=title_en,
            summary_en=summary_en,
            body_en=body_en,
        )
    now = timezone.now()
    for slug, days_ago, title, summary, body, title_en, summary_en, body_en in NEWS:
        _create(
            ArticleKind.ACTUALITE,
            slug,
            published_at=now - timedelta(days=days_ago),
            title_fr=title,
            summary_fr=summary,
            body_fr=body,
            title_en=title_en,
            summary_en=summary_en,
            body_en=body_en,
        )
    return [
        DemoCredential(
            "Pages d’information",
            "/questions-frequentes/, /tout-savoir/, /actualites/",
            "",
            f"{len(FAQ)} questions, {len(GUIDES)} guides, {len(NEWS)} actualités ; "
            "édition par les opérateurs dans /gestion/infos/article/",
        )
    ]
