"""The professional's stock (issue 18): déclaration d'achat of a used
vehicle bought for resale, the stock list, and the resale's déclaration de
cession with the code handed to the final buyer."""

from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import HabilitationFactory, UserFactory
from tests.procedures import samples
from titres.accounts.enums import HabilitationStatus, Profile
from titres.core.models import AuditEvent
from titres.vehicules.enums import CessionState, PersonKind, RegistryEventKind, SituationKind
from titres.vehicules.models import CessionDeclaration, RegistryEntry, Situation
from titres.vehicules.professionnels.models import PurchaseProof, StockVehicle
from titres.vehicules.professionnels.purchase_scan import check_certificate_scan
from titres.vehicules.professionnels.stock import Establishment, declare_purchase
from titres.vehicules.selectors import RegistryRefusal
from titres.vehicules.services.cession import Buyer, cancel_cession, check_code

from .factories import BUYER, VehicleFactory, declared, seller_user
from .pro import garage

pytestmark = pytest.mark.django_db

GARAGE_SIRET = "35600000000048"
YESTERDAY = timezone.localdate() - timedelta(days=1)
ESTABLISHMENT = Establishment(
    address="12 avenue Jean Jaurès", postal_code="08000", commune="Charleville-Mézières"
)


def pro(client, **kwargs):
    return garage(client, organisation_name="Garage du Centre", siret=GARAGE_SIRET, **kwargs)


def scan(pages=2, name="certificat-barre.pdf"):
    return SimpleUploadedFile(name, samples.pdf(pages), "application/pdf")


def purchase_form(vehicle, **changes):
    return {
        "certificat_barre": scan(),
        "immatriculation": vehicle.plate_display,
        "numero_formule": vehicle.formule_number,
        "date_ci": "",
        "vendeur_nom": "Moreau",
        "vendeur_prenoms": "Jeanne",
        "date_achat": YESTERDAY.strftime("%d/%m/%Y"),
        "heure_achat": "09:30",
        "kilometrage": "61000",
        "justificatif": PurchaseProof.CERTIFICAT,
        "code_cession": "",
        "adresse": "12 avenue Jean Jaurès",
        "code_postal": "08000",
        "commune": "Charleville-Mézières",
        **changes,
    }


def resale_form(**changes):
    return {
        "date_cession": timezone.localdate().strftime("%d/%m/%Y"),
        "heure_cession": "00:01",
        "kilometrage": "61250",
        "acquereur": PersonKind.PHYSIQUE,
        "nom": "Mercier",
        "prenoms": "Pierre",
        "date_naissance": "15/01/1990",
        "raison_sociale": "",
        "siret": "",
        "adresse": "3 place Bellecour",
        "code_postal": "69002",
        "commune": "Lyon",
        "email_acquereur": "",
        **changes,
    }


def bought(habilitation, vehicle=None, **kwargs):
    vehicle = vehicle or VehicleFactory()
    kwargs.setdefault("certificate", check_certificate_scan(scan(pages=1)))
    return declare_purchase(
        vehicle=vehicle,
        habilitation=habilitation,
        seller_names=("MOREAU", "Jeanne"),
        purchased_at=timezone.make_aware(datetime.combine(YESTERDAY, time(9, 30))),
        mileage=61000,
        proof=PurchaseProof.CERTIFICAT,
        establishment=ESTABLISHMENT,
        actor=habilitation.user,
        **kwargs,
    )


def errors(response) -> list[str]:
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


# --- déclaration d'achat ------------------------------------------------------


def test_purchase_with_the_barred_certificate_puts_the_vehicle_in_stock(client):
    habilitation = pro(client)
    vehicle = VehicleFactory()
    formule, holders = vehicle.formule_number, list(vehicle.holders.values_list("pk", "until"))
    response = client.post(reverse("vehicules:pro_stock_achat"), purchase_form(vehicle))
    assert response.status_code == 302 and response.url == reverse("vehicules:pro_stock")
    entry = StockVehicle.objects.get()
    assert entry.owner == habilitation.user and entry.in_stock
    assert entry.habilitation_number == habilitation.number
    assert entry.seller_name == "MOREAU Jeanne" and entry.mileage == 61000
    assert len(entry.registration_number) == 10
    # The certificate is not reissued and the holder stays until the final
    # buyer's change of holder; the vehicle is marked « cédé ».
    vehicle.refresh_from_db()
    assert vehicle.formule_number == formule
    assert list(vehicle.holders.values_list("pk", "until")) == holders
    cede = Situation.objects.get(vehicle=vehicle, kind=SituationKind.CEDE, lifted_on=None)
    assert cede.detail == f"Garage du Centre (SIRET {GARAGE_SIRET})"
    history = RegistryEntry.objects.get(vehicle=vehicle, kind=RegistryEventKind.ACHAT_PROFESSIONNEL)
    assert history.actor == habilitation.user
    assert history.data["numero_enregistrement"] == entry.registration_number
    event = AuditEvent.objects.get(event="vehicules.purchase_declared")
    assert event.data["habilitation"] == habilitation.number
    page = client.get(response.url).content.decode()
    assert f"Achat du véhicule {vehicle.plate_display} enregistré" in page
    assert vehicle.plate_display in page


def test_purchase_of_an_fni_vehicle_with_the_ci_date(client):
    pro(client)
    vehicle = VehicleFactory(fni=True)
    response = client.post(
        reverse("vehicules:pro_stock_achat"),
        purchase_form(vehicle, numero_formule="", date_ci="18/03/2005"),
    )
    assert response.status_code == 302
    assert StockVehicle.objects.get().vehicle == vehicle


def test_purchase_with_the_sellers_code_spends_it(client):
    habilitation = pro(client)
    vehicle = VehicleFactory()
    to_garage = Buyer(
        kind=PersonKind.MORALE,
        company_name="Garage du Centre",
        siret=GARAGE_SIRET,
        address="12 avenue Jean Jaurès",
        postal_code="08000",
        commune="Charleville-Mézières",
    )
    sale = declared(vehicle, buyer=to_garage)
    response = client.post(
        reverse("vehicules:pro_stock_achat"),
        purchase_form(vehicle, justificatif=PurchaseProof.CODE, code_cession=sale.code_display),
    )
    assert response.status_code == 302
    entry = StockVehicle.objects.get()
    assert entry.proof == PurchaseProof.CODE and entry.seller_cession == sale.declaration
    sale.declaration.refresh_from_db()
    assert sale.declaration.state == CessionState.UTILISEE
    assert sale.declaration.used_by_demarche == f"A{entry.registration_number}"
    assert entry.owner == habilitation.user


@pytest.mark.parametrize(
    "trait, start",
    [
        ("vol", "Ce véhicule est déclaré volé : la démarche ne peut pas continuer."),
        ("gage", "Ce véhicule est gagé : le changement de titulaire n’est pas possible"),
        ("opposition", "Une opposition au transfert du certificat d’immatriculation (OTCI)"),
        ("vge", "Ce véhicule est inscrit comme gravement endommagé (VGE)"),
    ],
)
def test_purchase_refused_as_the_change_of_holder_refuses(client, trait, start):
    pro(client)
    vehicle = VehicleFactory(**{trait: True})
    response = client.post(reverse("vehicules:pro_stock_achat"), purchase_form(vehicle))
    assert response.status_code == 400
    assert errors(response)[0].startswith(start)
    assert not StockVehicle.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"vendeur_nom": "Durand", "vendeur_prenoms": "Paul"},
            "Le vendeur indiqué n’apparaît pas comme titulaire ou cotitulaire de ce véhicule : "
            "indiquez le nom et les prénoms inscrits sur la carte grise.",
        ),
        (
            {"numero_formule": "2019ZZ99999"},
            "Le numéro de formule ne correspond pas au certificat d’immatriculation de ce "
            "véhicule : recopiez-le tel qu’il est imprimé sur votre carte grise.",
        ),
        (
            {"numero_formule": ""},
            "Indiquez le numéro de formule de la carte grise (immatriculation SIV).",
        ),
        (
            {"justificatif": PurchaseProof.CODE},
            "Indiquez le code de cession remis par le vendeur.",
        ),
        (
            {"justificatif": PurchaseProof.CODE, "code_cession": "ABCD-EFGH-J"},
            "Ce code de cession n’est pas valide : il comporte 9 caractères (par exemple "
            "ABCD-EFGH-J). Vérifiez-le auprès du vendeur.",
        ),
        (
            {"date_achat": (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")},
            "La date et l’heure de l’achat ne peuvent pas être dans le futur.",
        ),
        (
            {"date_achat": "01/01/2018"},
            "L’achat ne peut pas être antérieur à la date du certificat d’immatriculation.",
        ),
        (
            {"immatriculation": "ZZ-999-ZZ"},
            "Aucun véhicule n’est immatriculé sous le numéro ZZ-999-ZZ : vérifiez le numéro "
            "inscrit sur votre carte grise (champ A).",
        ),
    ],
)
def test_purchase_refusals(client, changes, message):
    pro(client)
    vehicle = VehicleFactory()
    response = client.post(reverse("vehicules:pro_stock_achat"), purchase_form(vehicle, **changes))
    assert response.status_code == 400
    assert message in errors(response)
    assert not StockVehicle.objects.exists()


def test_purchase_refused_when_already_in_stock(client):
    habilitation = pro(client)
    entry = bought(habilitation)
    response = client.post(reverse("vehicules:pro_stock_achat"), purchase_form(entry.vehicle))
    assert errors(response) == [
        f"Ce véhicule est déjà dans votre stock (achat déclaré le {YESTERDAY:%d/%m/%Y})."
    ]
    other = HabilitationFactory(organisation_name="Autre Garage")
    with pytest.raises(RegistryRefusal) as refusal:
        bought(other, entry.vehicle)
    assert refusal.value.messages == [
        "Ce véhicule figure déjà dans le stock d’un autre professionnel de l’automobile : son "
        "achat ne peut pas être déclaré une seconde fois."
    ]
    assert StockVehicle.objects.count() == 1


def test_purchase_refused_when_sold_to_someone_else_or_to_the_garage_online(client):
    habilitation = pro(client)
    vehicle = VehicleFactory()
    sale = declared(vehicle)
    response = client.post(reverse("vehicules:pro_stock_achat"), purchase_form(vehicle))
    assert errors(response) == [
        "Une déclaration de cession à un autre acquéreur est enregistrée pour ce véhicule : le "
        "vendeur doit l’annuler avant de vous le vendre."
    ]
    response = client.post(
        reverse("vehicules:pro_stock_achat"),
        purchase_form(vehicle, justificatif=PurchaseProof.CODE, code_cession=sale.code_display),
    )
    assert errors(response) == [
        "Ce code de cession a été délivré pour un autre acquéreur : le nouveau titulaire doit "
        "être la personne que le vendeur a déclarée."
    ]
    cancel_cession(declaration=sale.declaration, actor=sale.declaration.seller)
    to_garage = Buyer(
        kind=PersonKind.MORALE,
        company_name="Garage du Centre",
        siret=habilitation.siret,
        address="1 rue",
        postal_code="08000",
        commune="Charleville-Mézières",
    )
    declared(vehicle, buyer=to_garage, seller=sale.declaration.seller)
    response = client.post(reverse("vehicules:pro_stock_achat"), purchase_form(vehicle))
    assert errors(response) == [
        "Le vendeur a déjà déclaré la cession de ce véhicule à votre entreprise : choisissez "
        "« Code de cession remis par le vendeur » et saisissez son code."
    ]


def test_purchase_checks_the_establishments_commune(client):
    pro(client)
    vehicle = VehicleFactory()
    response = client.post(
        reverse("vehicules:pro_stock_achat"), purchase_form(vehicle, commune="Lyon")
    )
    assert response.status_code == 400 and "commune" in response.context["form"].errors


def test_the_holder_can_no_longer_declare_the_cession_of_a_vehicle_in_stock(client):
    entry = bought(HabilitationFactory(siret=GARAGE_SIRET))
    with pytest.raises(RegistryRefusal) as refusal:
        declared(entry.vehicle, seller=seller_user())
    assert refusal.value.messages == [
        "Ce véhicule a été acheté par un professionnel de l’automobile (déclaration d’achat "
        "enregistrée) : sa cession ne peut plus être déclarée au nom du titulaire."
    ]


# --- the stock list -----------------------------------------------------------


def test_stock_lists_only_the_professionals_vehicles_with_filters_and_pages(client):
    habilitation = pro(client)
    mine = [bought(habilitation) for _i in range(26)]
    bought(HabilitationFactory(organisation_name="Autre Garage"))
    response = client.get(reverse("vehicules:pro_stock"))
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store")
    assert response.context["page"].paginator.count == 26
    assert len(response.context["entries"]) == 25
    page2 = client.get(reverse("vehicules:pro_stock"), {"page": 2})
    assert len(page2.context["entries"]) == 1
    plate = mine[3].vehicle.plate_display
    filtered = client.get(reverse("vehicules:pro_stock"), {"plaque": plate})
    assert [e.pk for e in filtered.context["entries"]] == [mine[3].pk]
    StockVehicle.objects.filter(pk=mine[0].pk).update(
        purchased_at=timezone.now() - timedelta(days=40)
    )
    old = (timezone.localdate() - timedelta(days=41)).strftime("%d/%m/%Y")
    until = (timezone.localdate() - timedelta(days=39)).strftime("%d/%m/%Y")
    dated = client.get(reverse("vehicules:pro_stock"), {"du": old, "au": until})
    assert [e.pk for e in dated.context["entries"]] == [mine[0].pk]
    wrong = client.get(reverse("vehicules:pro_stock"), {"du": until, "au": old})
    assert "La date de fin doit être postérieure à la date de début." in wrong.content.decode()


def test_stock_queries_do_not_grow_with_the_page(client, django_assert_max_num_queries):
    habilitation = pro(client)
    for _i in range(25):
        bought(habilitation)
    with django_assert_max_num_queries(12):
        client.get(reverse("vehicules:pro_stock"))


# --- the resale ---------------------------------------------------------------


def test_resale_gives_the_code_to_the_final_buyer(client):
    habilitation = pro(client)
    entry = bought(habilitation)
    url = reverse("vehicules:pro_stock_revente", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, resale_form())
    declaration = CessionDeclaration.objects.get(vehicle=entry.vehicle)
    assert response.status_code == 302
    assert response.url == reverse("vehicules:cession_resultat", args=[declaration.pk])
    page = client.get(response.url).content.decode()
    assert "Code de cession à transmettre à l’acquéreur" in page
    assert "Revenir à mon stock" in page
    entry.refresh_from_db()
    assert not entry.in_stock and entry.resale == declaration
    assert declaration.seller == habilitation.user
    assert declaration.seller_name == "Garage du Centre"
    assert declaration.seller_address == "12 avenue Jean Jaurès 08000 Charleville-Mézières"
    assert declaration.buyer_display == "MERCIER Pierre"
    pdf = client.get(reverse("vehicules:cession_certificat", args=[declaration.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert not client.get(reverse("vehicules:pro_stock")).context["entries"]
    # Out of the stock: its resale page is gone.
    assert client.get(url).status_code == 404


def test_resale_code_opens_the_final_buyers_change_of_holder():
    habilitation = HabilitationFactory(siret=GARAGE_SIRET)
    entry = bought(habilitation)
    from titres.vehicules.professionnels.stock import declare_resale

    result = declare_resale(
        entry=entry,
        habilitation=habilitation,
        sold_at=timezone.now() - timedelta(minutes=5),
        mileage=61100,
        buyer=BUYER,
        actor=habilitation.user,
    )
    found = check_code(
        vehicle=entry.vehicle, code=result.code, last_name="Mercier", first_names="Pierre"
    )
    assert found == result.declaration


def test_resale_to_a_company_with_siret(client):
    entry = bought(pro(client))
    response = client.post(
        reverse("vehicules:pro_stock_revente", args=[entry.pk]),
        resale_form(
            acquereur=PersonKind.MORALE,
            nom="",
            prenoms="",
            raison_sociale="Transports Martin",
            siret="732 829 320 00074",
        ),
    )
    assert response.status_code == 302
    declaration = CessionDeclaration.objects.get(vehicle=entry.vehicle)
    assert declaration.buyer_display == "Transports Martin (SIRET 73282932000074)"


def test_cancelled_resale_puts_the_vehicle_back_in_stock(client):
    habilitation = pro(client)
    entry = bought(habilitation)
    client.post(reverse("vehicules:pro_stock_revente", args=[entry.pk]), resale_form())
    declaration = CessionDeclaration.objects.get(vehicle=entry.vehicle)
    response = client.post(reverse("vehicules:cession_annuler", args=[declaration.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.in_stock and entry.resale is None
    # Still sold by its holder to the garage.
    assert Situation.objects.filter(
        vehicle=entry.vehicle, kind=SituationKind.CEDE, lifted_on=None
    ).exists()
    again = client.post(reverse("vehicules:pro_stock_revente", args=[entry.pk]), resale_form())
    assert again.status_code == 302


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"date_cession": (YESTERDAY - timedelta(days=1)).strftime("%d/%m/%Y")},
            f"La revente ne peut pas être antérieure à l’achat ({YESTERDAY:%d/%m/%Y} 09:30).",
        ),
        (
            {"kilometrage": "60000"},
            "Le kilométrage ne peut pas être inférieur à celui de l’achat (61\u202f000 km).",
        ),
        (
            {
                "acquereur": PersonKind.MORALE,
                "raison_sociale": "Garage du Centre",
                "siret": GARAGE_SIRET,
            },
            "L’acquéreur ne peut pas être votre propre entreprise.",
        ),
        (
            {"acquereur": PersonKind.MORALE, "raison_sociale": "SA", "siret": "12345678901234"},
            "Le numéro SIRET n’est pas valide (14 chiffres, clé de contrôle).",
        ),
        (
            {"nom": ""},
            "Indiquez le nom de l’acquéreur.",
        ),
    ],
)
def test_resale_refusals(client, changes, message):
    habilitation = pro(client)
    entry = bought(habilitation)
    response = client.post(
        reverse("vehicules:pro_stock_revente", args=[entry.pk]), resale_form(**changes)
    )
    assert response.status_code == 400
    assert message in errors(response)
    entry.refresh_from_db()
    assert entry.in_stock and not CessionDeclaration.objects.exists()


def test_resale_blocked_by_a_theft_declared_after_the_purchase(client):
    habilitation = pro(client)
    entry = bought(habilitation)
    Situation.objects.create(vehicle=entry.vehicle, kind=SituationKind.VOL, registered_on=YESTERDAY)
    response = client.post(reverse("vehicules:pro_stock_revente", args=[entry.pk]), resale_form())
    assert errors(response)[0].startswith("Ce véhicule est déclaré volé")


# --- who may ------------------------------------------------------------------

STOCK_PAGES = ("vehicules:pro_stock", "vehicules:pro_stock_achat")


def test_another_professionals_stock_is_404(client):
    entry = bought(HabilitationFactory(organisation_name="Autre Garage"))
    pro(client)
    url = reverse("vehicules:pro_stock_revente", args=[entry.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, resale_form()).status_code == 404
    entry.refresh_from_db()
    assert entry.in_stock


@pytest.mark.parametrize(
    "profile",
    [
        Profile.PARTICULIER,
        Profile.AUTO_ECOLE,
        Profile.CENTRE_SENSIBILISATION,
        Profile.MAIRIE,
        Profile.PERSONNE_MORALE,
        Profile.PRO_SIV,  # without a habilitation
    ],
)
def test_stock_pages_are_404_to_other_profiles(client, profile):
    entry = bought(HabilitationFactory())
    client.force_login(UserFactory(profile=profile, organisation_name="Organisme"))
    for name in STOCK_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.post(reverse("vehicules:pro_stock_achat"), {}).status_code == 404
    revente = reverse("vehicules:pro_stock_revente", args=[entry.pk])
    assert client.get(revente).status_code == 404


def test_a_suspended_professional_has_no_access_and_keeps_the_stock(client):
    habilitation = pro(client)
    entry = bought(habilitation)
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save()
    for name in STOCK_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    vehicle = VehicleFactory()
    response = client.post(reverse("vehicules:pro_stock_achat"), purchase_form(vehicle))
    assert response.status_code == 404
    revente = reverse("vehicules:pro_stock_revente", args=[entry.pk])
    assert client.post(revente, resale_form()).status_code == 404
    habilitation.status = HabilitationStatus.ACTIVE
    habilitation.save()
    assert list(client.get(reverse("vehicules:pro_stock")).context["entries"]) == [entry]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("vehicules:pro_stock"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_professionals_purchases_are_in_its_data_export(client):
    """Right of access: "Télécharger mes données" lists the stock."""
    from titres.accounts.services.account import export_personal_data
    from titres.core.json_values import iso

    habilitation = pro(client)
    entry = bought(habilitation, VehicleFactory(plate="GH456JK"))
    entry.refresh_from_db()  # the date as the export reads it (UTC from the database)
    exported = export_personal_data(user=habilitation.user)["vehicules"]["declarations_d_achat"]
    assert exported == [
        {
            "immatriculation": "GH456JK",
            "numero_enregistrement": entry.registration_number,
            "achete_le": iso(entry.purchased_at),
            "vendeur": entry.seller_name,
            "kilometrage": 61000,
            "revendu": False,
        }
    ]


# --- the barred certificate's scan and the accusé ---------------------------


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )


def test_purchase_keeps_the_barred_certificates_scan(client):
    habilitation = pro(client)
    vehicle = VehicleFactory()
    content = samples.pdf(2)
    form = purchase_form(
        vehicle,
        certificat_barre=SimpleUploadedFile("CG barrée.pdf", content, "application/pdf"),
    )
    response = client.post(reverse("vehicules:pro_stock_achat"), form)
    assert response.status_code == 302
    entry = StockVehicle.objects.get()
    assert entry.certificate_scan_name == "CG barrée.pdf" and not entry.by_batch
    assert (entry.certificate_scan_pages, entry.certificate_scan_type) == (2, "application/pdf")
    # Stored under a random name, the bytes as uploaded.
    assert entry.certificate_scan.name.startswith("vehicules/achats/")
    assert "barr" not in entry.certificate_scan.name
    with entry.certificate_scan.open("rb") as stored:
        assert stored.read() == content
    history = RegistryEntry.objects.get(vehicle=vehicle, kind=RegistryEventKind.ACHAT_PROFESSIONNEL)
    assert history.data["certificat_barre"] == {
        "pages": 2,
        "sha256": entry.certificate_scan_sha256,
    }
    assert history.data["par_lot"] is False
    stock = client.get(reverse("vehicules:pro_stock")).content.decode()
    assert "Certificat barré déposé (2 pages)" in stock
    assert reverse("vehicules:pro_stock_accuse", args=[entry.pk]) in stock
    assert habilitation.user == entry.owner


def test_purchase_with_the_barred_certificate_needs_its_scan(client):
    pro(client)
    vehicle = VehicleFactory()
    form = purchase_form(vehicle)
    del form["certificat_barre"]
    response = client.post(reverse("vehicules:pro_stock_achat"), form)
    assert response.status_code == 400
    assert errors(response) == [
        "Déposez le scan du certificat d’immatriculation barré et signé par le vendeur "
        "(mention « vendu le … à … »)."
    ]
    assert not StockVehicle.objects.exists()


def test_the_service_refuses_a_barred_certificate_without_scan():
    habilitation = HabilitationFactory()
    with pytest.raises(RegistryRefusal) as refusal:
        bought(habilitation, certificate=None)
    assert refusal.value.code == "certificate_missing"
    assert refusal.value.field == "certificat_barre"
    assert not StockVehicle.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("cg.txt", b"vendu le 01/12 a Garage", "text/plain"),
            "Format non accepté : le fichier doit être une image JPG, PNG, BMP, TIFF ou un PDF.",
        ),
        (
            SimpleUploadedFile("cg.pdf", samples.pdf(3), "application/pdf"),
            "« Certificat d’immatriculation barré » : 2 pages maximum (ce fichier en compte 3, "
            "0 déjà déposée(s)).",
        ),
        (
            SimpleUploadedFile("cg.tif", samples.tiff(pages=3), "image/tiff"),
            "« Certificat d’immatriculation barré » : 2 pages maximum (ce fichier en compte 3, "
            "0 déjà déposée(s)).",
        ),
    ],
    ids=["not-a-scan", "three-pages-pdf", "three-pages-tiff"],
)
def test_scan_refusals(client, upload, message):
    pro(client)
    vehicle = VehicleFactory()
    response = client.post(
        reverse("vehicules:pro_stock_achat"), purchase_form(vehicle, certificat_barre=upload)
    )
    assert response.status_code == 400
    assert errors(response) == [message]
    assert not StockVehicle.objects.exists()


def test_scan_over_the_size_limit_is_refused(client, settings):
    settings.PROCEDURES_MAX_UPLOAD_BYTES = 1024 * 1024
    pro(client)
    big = SimpleUploadedFile("cg.pdf", samples.pdf(1) + b"%" * (1024 * 1024), "application/pdf")
    response = client.post(
        reverse("vehicules:pro_stock_achat"), purchase_form(VehicleFactory(), certificat_barre=big)
    )
    assert errors(response) == ["Le fichier dépasse la taille maximale autorisée (1 Mo)."]
    assert not StockVehicle.objects.exists()


def test_accuse_of_the_purchase(client):
    habilitation = pro(client)
    entry = bought(habilitation)
    response = client.get(reverse("vehicules:pro_stock_accuse", args=[entry.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="accuse-achat-{entry.registration_number}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Déclaration d’achat d’un véhicule d’occasion (cerfa n° 13751)" in text
    assert f"Numéro d’enregistrement {entry.registration_number}" in text
    assert entry.vehicle.plate_display in text and "Vendeur (titulaire) MOREAU Jeanne" in text
    assert "État En stock" in text and "Déposée en ligne" in text
    assert "Certificat barré (scan) certificat-barre.pdf — 1 page" in text
    assert f"Habilitation SIV {habilitation.number}" in text
    assert f"SIRET {GARAGE_SIRET}" in text


def test_accuse_of_a_resold_purchase_says_so(client):
    habilitation = pro(client)
    entry = bought(habilitation)
    client.post(reverse("vehicules:pro_stock_revente", args=[entry.pk]), resale_form())
    entry.refresh_from_db()
    assert not entry.in_stock
    text = pdf_text(client.get(reverse("vehicules:pro_stock_accuse", args=[entry.pk])).content)
    assert (
        f"Revendu le {timezone.localdate():%d/%m/%Y} (déclaration de cession n° "
        f"{entry.resale.registration_number})"
    ) in text


def test_with_the_sellers_code_the_scan_is_optional(client):
    pro(client)
    vehicle = VehicleFactory()
    to_garage = Buyer(
        kind=PersonKind.MORALE,
        company_name="Garage du Centre",
        siret=GARAGE_SIRET,
        address="12 avenue Jean Jaurès",
        postal_code="08000",
        commune="Charleville-Mézières",
    )
    sale = declared(vehicle, buyer=to_garage)
    form = purchase_form(vehicle, justificatif=PurchaseProof.CODE, code_cession=sale.code_display)
    del form["certificat_barre"]
    assert client.post(reverse("vehicules:pro_stock_achat"), form).status_code == 302
    entry = StockVehicle.objects.get()
    assert not entry.certificate_scan
    text = pdf_text(client.get(reverse("vehicules:pro_stock_accuse", args=[entry.pk])).content)
    assert "Justificatif Code de cession remis par le vendeur" in text
    assert f"Déclaration de cession du vendeur {sale.declaration.registration_number}" in text
    assert "Certificat barré (scan) Aucun (code de cession remis par le vendeur)" in text
    assert (
        "Code de cession du vendeur (pas de scan)"
        in client.get(reverse("vehicules:pro_stock")).content.decode()
    )


def test_another_professionals_accuse_is_404(client):
    entry = bought(HabilitationFactory())
    pro(client)
    assert client.get(reverse("vehicules:pro_stock_accuse", args=[entry.pk])).status_code == 404


def test_terminated_habilitation_keeps_the_purchase_and_deletes_its_scan_from_storage(
    client, django_capture_on_commit_callbacks
):
    from titres.accounts.services.habilitations import terminate_habilitation

    habilitation = pro(client)
    vehicle = VehicleFactory()
    form = purchase_form(
        vehicle, certificat_barre=SimpleUploadedFile("cg.pdf", samples.pdf(1), "application/pdf")
    )
    assert client.post(reverse("vehicules:pro_stock_achat"), form).status_code == 302
    scan_file = StockVehicle.objects.get().certificate_scan
    storage, name = scan_file.storage, scan_file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        terminate_habilitation(habilitation=habilitation, actor=UserFactory(is_staff=True))
    entry = StockVehicle.objects.get()  # the registry's record of the purchase stays
    assert entry.owner is None and not entry.certificate_scan
    assert entry.certificate_scan_pages == 1 and len(entry.certificate_scan_sha256) == 64
    assert not storage.exists(name)
