"""« Je change d’adresse » and « Je demande un duplicata »: the holder's
procedures, their refusals, the label / new certificate rule, the
duplicate's taxes and payment, the registry and its journal."""

from datetime import date

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from titres.core.models import AuditEvent
from titres.paiements.enums import PaymentState
from titres.procedures.enums import Status
from titres.vehicules.enums import DuplicateReason, PlateSystem
from titres.vehicules.models import (
    AddressChange,
    CancelledCertificate,
    CertificateOperation,
    Holder,
    RegistryEntry,
)

from .certificat import (
    ADDRESS,
    change_address,
    duplicate_until_payment,
    holder_citizen,
    start,
    submit,
)
from .factories import VehicleFactory
from .journey import pay_taxes, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeanne(client):
    return holder_citizen(client)


def _previous_labels(vehicle, count):
    for n in range(1, count + 1):
        AddressChange.objects.create(
            vehicle=vehicle,
            changed_on=date(2020 + n, 1, 1),
            formule_number=vehicle.formule_number,
            label_number=n,
            address=f"{n} rue Haute",
            postal_code="54000",
            commune="Nancy",
        )


# --- address change ---------------------------------------------------------


def test_first_address_change_is_a_label(client, jeanne):
    vehicle = VehicleFactory()
    demarche = change_address(client, vehicle)
    page = client.get(step_url(demarche, "recapitulatif")).content.decode()
    assert "Une étiquette portant la nouvelle adresse (n° 1 sur 3)" in page
    response = submit(client, demarche)
    assert response.url == reverse("vehicules:operation_finalisation", args=[demarche.number])
    assert demarche.status == Status.EN_COURS
    holder = Holder.objects.get(vehicle=vehicle)
    assert (holder.address, holder.postal_code, holder.commune) == (
        "8 rue des Carmes",
        "54000",
        "Nancy",
    )
    change = AddressChange.objects.get(vehicle=vehicle)
    assert change.label_number == 1 and not change.new_certificate
    assert change.old_address == "12 rue Saint-Dizier"
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert operation.label_number == 1 and not operation.cpi_number
    vehicle.refresh_from_db()
    assert vehicle.formule_number.startswith("2019AB")  # same certificate
    entry = RegistryEntry.objects.get(vehicle=vehicle, kind="changement_adresse")
    assert entry.demarche_number == demarche.number
    assert AuditEvent.objects.filter(event="vehicules.address_changed").count() == 1
    final = client.get(response.url).content.decode()
    assert "L’étiquette n° 1 portant votre nouvelle adresse" in final
    assert "Certificat Provisoire" not in final
    pdf = client.get(reverse("vehicules:operation_accuse", args=[demarche.number]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("vehicules:operation_cpi", args=[demarche.number])).status_code == 404


def test_third_change_is_the_last_label(client, jeanne):
    vehicle = VehicleFactory()
    _previous_labels(vehicle, 2)
    demarche = change_address(client, vehicle)
    page = client.get(step_url(demarche, "nouvelle-adresse")).content.decode()
    assert "(n° 3 sur 3)" in page
    submit(client, demarche)
    assert CertificateOperation.objects.get(demarche=demarche).label_number == 3


def test_fourth_change_brings_a_new_certificate_and_a_cpi(client, jeanne):
    vehicle = VehicleFactory()
    old_formule = vehicle.formule_number
    _previous_labels(vehicle, 3)
    demarche = change_address(client, vehicle)
    # Said before the holder confirms, on the address step and the summary.
    for slug in ("nouvelle-adresse", "recapitulatif"):
        page = client.get(step_url(demarche, slug)).content.decode()
        assert "Une nouvelle carte grise sera établie à votre nouvelle adresse" in page
        assert "Les trois étiquettes de changement d’adresse" in page
    submit(client, demarche)
    vehicle.refresh_from_db()
    assert vehicle.formule_number != old_formule
    change = AddressChange.objects.filter(vehicle=vehicle).latest("id")
    assert change.new_certificate and change.label_number is None
    assert change.formule_number == old_formule
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert operation.new_certificate and operation.cpi_number and operation.cpi_valid_until
    assert operation.new_formule == vehicle.formule_number
    cpi = client.get(reverse("vehicules:operation_cpi", args=[demarche.number]))
    assert cpi.status_code == 200 and cpi.content.startswith(b"%PDF")
    # The new certificate starts its own three labels.
    from titres.vehicules.services.registry import next_address_label

    assert next_address_label(vehicle) == 1


def test_fni_vehicle_gets_a_siv_number_and_a_new_certificate(client, jeanne):
    vehicle = VehicleFactory(fni=True)
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    vehicle.refresh_from_db()
    assert vehicle.plate_system == PlateSystem.SIV and vehicle.formule_number
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert operation.old_plate != operation.new_plate == vehicle.plate
    final = client.get(
        reverse("vehicules:operation_finalisation", args=[demarche.number])
    ).content.decode()
    assert f"immatriculé {vehicle.plate_display}" in final


def _start_errors(client, code, data):
    demarche = start(client, code)
    response = client.post(step_url(demarche, "pour-commencer"), {**data, "action": "next"})
    assert response.status_code == 200
    return {k: [str(e) for e in v] for k, v in response.context["form"].errors.items()}


def test_address_change_refusals(client, jeanne):
    vehicle = VehicleFactory()
    base = {"pour_qui": "moi", "immatriculation": vehicle.plate_display}
    errors = _start_errors(client, "vehicule-changement-adresse", base)
    assert errors["numero_formule"] == [
        "Indiquez le numéro de formule de la carte grise (immatriculation SIV)."
    ]
    errors = _start_errors(
        client, "vehicule-changement-adresse", {**base, "numero_formule": "2019ZZ99999"}
    )
    assert errors["numero_formule"][0].startswith("Le numéro de formule ne correspond pas")
    stranger = VehicleFactory()
    Holder.objects.filter(vehicle=stranger).update(last_name="DURAND", first_names="Paul")
    errors = _start_errors(
        client,
        "vehicule-changement-adresse",
        {
            "pour_qui": "moi",
            "immatriculation": stranger.plate_display,
            "numero_formule": stranger.formule_number,
        },
    )
    assert errors["immatriculation"] == [
        "Vous n’apparaissez pas comme titulaire ou cotitulaire de ce véhicule : seule une "
        "personne inscrite sur la carte grise peut faire cette démarche."
    ]
    # Same names, another birth date: another person.
    Holder.objects.filter(vehicle=stranger).update(
        last_name="MOREAU", first_names="Jeanne", birth_date=date(1985, 5, 5)
    )
    errors = _start_errors(
        client,
        "vehicule-changement-adresse",
        {
            "pour_qui": "moi",
            "immatriculation": stranger.plate_display,
            "numero_formule": stranger.formule_number,
        },
    )
    assert "Vous n’apparaissez pas" in errors["immatriculation"][0]


def test_new_address_refusals(client, jeanne):
    vehicle = VehicleFactory()
    demarche = start(client, "vehicule-changement-adresse")
    client.post(
        step_url(demarche, "pour-commencer"),
        {
            "pour_qui": "moi",
            "immatriculation": vehicle.plate,
            "numero_formule": vehicle.formule_number,
            "action": "next",
        },
    )
    url = step_url(demarche, "nouvelle-adresse")
    same = client.post(url, {**ADDRESS, "adresse": "12 rue Saint-Dizier"})
    assert same.context["form"].errors["adresse"] == [
        "Cette adresse est déjà celle inscrite sur la carte grise du véhicule."
    ]
    wrong = client.post(url, {**ADDRESS, "commune": "Lyon"})
    assert wrong.context["form"].errors["commune"]
    future = client.post(url, {**ADDRESS, "date_demenagement": "01/01/2099"})
    assert future.context["form"].errors["date_demenagement"] == [
        "La date du déménagement ne peut pas être dans le futur."
    ]
    assert not AddressChange.objects.exists()


def test_a_local_account_is_sent_to_franceconnect(client):
    client.force_login(UserFactory())
    for code in ("vehicule-changement-adresse", "vehicule-duplicata"):
        response = client.post(reverse("vehicules:nouvelle_demande"), {"type_demande": code})
        assert response.status_code == 403


def test_another_citizens_operation_is_404(client, jeanne):
    vehicle = VehicleFactory()
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    client.force_login(UserFactory())
    for name in ("operation_finalisation", "operation_accuse", "operation_cpi"):
        assert client.get(reverse(f"vehicules:{name}", args=[demarche.number])).status_code == 404


# --- duplicate --------------------------------------------------------------


def test_duplicate_after_theft(client, jeanne, django_capture_on_commit_callbacks):
    vehicle = VehicleFactory(gage=True)  # a gage does not stop a duplicate
    old_formule = vehicle.formule_number
    demarche = duplicate_until_payment(
        client, vehicle, motif="vol", numero_plainte="PV 2026/004512"
    )
    page = client.get(step_url(demarche, "paiement")).content.decode()
    assert "non due pour un duplicata" in page
    # The payment step's own sentence (one template for the three procedures).
    assert "La taxe régionale n’est pas due pour un duplicata." in page
    assert "13,76 €" in page  # Y4 11 € + Y5 2,76 €
    payment = pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    assert payment.state == PaymentState.ACCEPTE and payment.amount_cents == 1376
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    operation = CertificateOperation.objects.get(demarche=demarche)
    assert operation.paid_at and operation.cpi_number
    assert [line["code"] for line in operation.taxes["lines"]] == ["Y1", "Y4", "Y5"]
    assert operation.taxes["lines"][0]["amount_cents"] == 0
    cancelled = CancelledCertificate.objects.get(vehicle=vehicle)
    assert cancelled.formule_number == old_formule
    assert cancelled.reason == DuplicateReason.VOL
    assert cancelled.police_report_number == "PV 2026/004512"
    vehicle.refresh_from_db()
    assert vehicle.formule_number not in ("", old_formule)
    assert operation.new_formule == vehicle.formule_number
    assert AuditEvent.objects.filter(event="vehicules.duplicate_issued").count() == 1
    response = client.post(reverse("vehicules:enregistrer_paiement", args=[demarche.number]))
    assert response.url == reverse("vehicules:operation_finalisation", args=[demarche.number])
    final = client.get(response.url).content.decode()
    assert "Votre demande de duplicata est enregistrée" in final
    for name in ("operation_cpi", "operation_accuse", "recu"):
        pdf = client.get(reverse(f"vehicules:{name}", args=[demarche.number]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), name


def test_the_cancelled_certificate_no_longer_opens_anything(
    client, jeanne, django_capture_on_commit_callbacks
):
    vehicle = VehicleFactory()
    old_formule = vehicle.formule_number
    demarche = duplicate_until_payment(client, vehicle, motif="perte")
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    client.logout()
    response = client.post(
        reverse("vehicules:situation"),
        {"immatriculation": vehicle.plate, "numero_formule": old_formule},
    )
    assert response.context["form"].errors["numero_formule"] == [
        "Ce certificat d’immatriculation a été annulé : il ne vaut plus titre de circulation. "
        "Demandez au titulaire la carte grise en cours de validité."
    ]


def test_duplicate_refusals(client, jeanne):
    vehicle = VehicleFactory()
    base = {"pour_qui": "moi", "immatriculation": vehicle.plate_display}
    errors = _start_errors(client, "vehicule-duplicata", {**base, "motif": "vol"})
    assert errors["numero_plainte"] == [
        "Indiquez le numéro du récépissé de dépôt de plainte : il est obligatoire pour un "
        "duplicata après un vol."
    ]
    errors = _start_errors(
        client, "vehicule-duplicata", {**base, "motif": "vol", "numero_plainte": "<script>"}
    )
    assert errors["numero_plainte"][0].startswith("Le numéro du récépissé de plainte comporte")
    errors = _start_errors(client, "vehicule-duplicata", base)
    assert errors["motif"]
    stolen = VehicleFactory(vol=True)
    errors = _start_errors(
        client,
        "vehicule-duplicata",
        {"pour_qui": "moi", "immatriculation": stolen.plate, "motif": "perte"},
    )
    assert errors["__all__"][0].startswith("Ce véhicule est déclaré volé : aucun duplicata")


def test_duplicate_is_not_filed_before_payment(client, jeanne):
    vehicle = VehicleFactory()
    demarche = duplicate_until_payment(client, vehicle, motif="deterioration")
    response = client.post(reverse("vehicules:payer", args=[demarche.number]))
    assert response.status_code == 302
    demarche.refresh_from_db()
    assert demarche.is_draft
    assert not CancelledCertificate.objects.exists()


# --- professionals, for a client under mandate -------------------------------

CLIENT = {
    "pour_qui": "mandat",
    "titulaire_nom": "Moreau",
    "titulaire_prenoms": "Jeanne",
    "titulaire_date_naissance": "01/02/1970",
    "action": "next",
}


def _pro_start(client, code):
    from titres.procedures.models import Demarche

    response = client.post(reverse("vehicules:pro_nouvelle_demande"), {"type_demande": code})
    assert response.status_code == 302, response
    return Demarche.objects.filter(procedure_code=code).latest("created_at")


def test_a_garage_changes_a_clients_address_under_mandate(client):
    from tests.permis.wizard_helpers import upload

    from .pro import garage

    habilitation = garage(client)
    vehicle = VehicleFactory()
    demarche = _pro_start(client, "vehicule-changement-adresse")
    url = step_url(demarche, "pour-commencer")
    # Only the mandate is offered; the client's identity must match the card.
    own = client.post(url, {**CLIENT, "pour_qui": "moi", "immatriculation": vehicle.plate})
    assert own.context["form"].errors["pour_qui"]
    wrong = client.post(
        url,
        {
            **CLIENT,
            "titulaire_nom": "Durand",
            "immatriculation": vehicle.plate,
            "numero_formule": vehicle.formule_number,
        },
    )
    assert (
        wrong.context["form"]
        .errors["immatriculation"][0]
        .startswith("Votre client n’apparaît pas comme titulaire ou cotitulaire de ce véhicule")
    )
    response = client.post(
        url, {**CLIENT, "immatriculation": vehicle.plate, "numero_formule": vehicle.formule_number}
    )
    assert response.status_code == 302
    client.post(step_url(demarche, "nouvelle-adresse"), ADDRESS)
    # Without the mandate and the client's ID the file cannot be filed.
    refused = client.post(
        step_url(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"}
    )
    assert refused.status_code == 400  # the récapitulatif again, the steps flagged
    assert "Mandat d’immatriculation (cerfa n° 13757)" in refused.content.decode()
    demarche.refresh_from_db()
    assert demarche.is_draft and not AddressChange.objects.exists()
    upload(client, demarche, "mandat_cerfa_13757")
    upload(client, demarche, "piece_identite_client")
    submit(client, demarche)
    assert demarche.status == Status.EN_COURS
    assert demarche.owner == habilitation.user
    assert demarche.acting_for["qualite"] == "professionnel_mandataire"
    assert Holder.objects.get(vehicle=vehicle).address == "8 rue des Carmes"
    listing = client.get(reverse("vehicules:pro_demarches")).content.decode()
    assert vehicle.plate_display in listing and "MOREAU Jeanne" in listing
    final = client.get(
        reverse("vehicules:operation_finalisation", args=[demarche.number])
    ).content.decode()
    assert "Garage du Centre (mandataire, habilitation SIV n°" in final


def test_a_suspended_garage_and_other_profiles_cannot_file(client):
    from tests.accounts.factories import HabilitationFactory
    from titres.accounts.enums import HabilitationStatus, Profile

    from .pro import garage

    habilitation = garage(client)
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save(update_fields=["status"])
    for code in ("vehicule-changement-adresse", "vehicule-duplicata"):
        response = client.post(reverse("vehicules:pro_nouvelle_demande"), {"type_demande": code})
        assert response.status_code == 404
    client.force_login(UserFactory(profile=Profile.AUTO_ECOLE))
    for code in ("vehicule-changement-adresse", "vehicule-duplicata"):
        assert (
            client.post(
                reverse("vehicules:pro_nouvelle_demande"), {"type_demande": code}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("vehicules:nouvelle_demande"), {"type_demande": code}).status_code
            == 403
        )
    # Another garage's file is a 404.
    owner_garage = HabilitationFactory()
    client.force_login(owner_garage.user)
    vehicle = VehicleFactory()
    demarche = _pro_start(client, "vehicule-duplicata")
    client.post(
        step_url(demarche, "pour-commencer"),
        {**CLIENT, "immatriculation": vehicle.plate, "motif": "perte"},
    )
    client.force_login(HabilitationFactory().user)
    assert client.get(step_url(demarche, "pour-commencer")).status_code == 404
    assert client.post(reverse("vehicules:payer", args=[demarche.number])).status_code == 404


# --- back office -------------------------------------------------------------------


def test_the_cert_sees_the_address_change_beside_the_siv(client, jeanne):
    """The procedure's back-office hooks (certificat/backoffice.py): the
    holder and the plate for the search, the SIV panel."""
    from titres.instruction.models import DemarcheSearchEntry
    from titres.procedures.hooks import agent_panel_of, person_of

    vehicle = VehicleFactory()
    demarche = change_address(client, vehicle)
    submit(client, demarche)
    entry = DemarcheSearchEntry.objects.get(demarche=demarche)
    assert (entry.last_name, entry.reference) == ("MOREAU", vehicle.plate)
    assert person_of(demarche).display_name.startswith("MOREAU")
    panel = agent_panel_of(demarche)
    rows = {row.label: row for row in panel.rows}
    assert panel.title == "Consultation SIV" and panel.consultation.target == vehicle
    assert rows["Immatriculation"].recorded == vehicle.plate_display
    assert not rows["Immatriculation"].differs and not rows["Titulaire"].differs
    assert rows["Adresse"].declared.startswith("8 rue des Carmes")
    assert rows["Situation administrative"].recorded == "Aucune inscription"


def test_the_cert_sees_the_duplicates_motif_beside_the_cancelled_certificate(
    client, jeanne, django_capture_on_commit_callbacks
):
    """The duplicate's SIV panel: the motif and, after a theft, the police
    report number as declared, beside the certificate cancelled at
    submission; on the agent's file page too."""
    from django.test import Client

    from tests.instruction.factories import AgentMembershipFactory
    from titres.procedures.hooks import agent_panel_of

    vehicle = VehicleFactory()
    old_formule = vehicle.formule_number
    demarche = duplicate_until_payment(
        client, vehicle, motif="vol", numero_plainte="PV 2026/004512"
    )
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    rows = {row.label: row for row in agent_panel_of(demarche).rows}
    motif = rows["Motif du duplicata"]
    assert (motif.declared, motif.recorded, motif.differs) == ("Vol", "Vol", False)
    report = rows["Numéro du récépissé de dépôt de plainte"]
    assert (report.declared, report.recorded, report.differs) == (
        "PV 2026/004512",
        "PV 2026/004512",
        False,
    )
    cancelled = CancelledCertificate.objects.get(vehicle=vehicle)
    assert rows["Certificat annulé"].recorded == (
        f"{old_formule}, annulé le {cancelled.cancelled_on:%d/%m/%Y}"
    )
    # What the registry cancelled differs from what was declared: flagged.
    cancelled.reason = DuplicateReason.PERTE
    cancelled.police_report_number = ""
    cancelled.save()
    rows = {row.label: row for row in agent_panel_of(demarche).rows}
    assert rows["Motif du duplicata"].recorded == "Perte" and rows["Motif du duplicata"].differs
    assert rows["Numéro du récépissé de dépôt de plainte"].differs

    agent = AgentMembershipFactory(authority=demarche.authority).user
    agent.is_verified = lambda: True
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=agent, name="Application", confirmed=True)
    back_office = Client()
    back_office.force_login(agent)
    session = back_office.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    page = back_office.get(reverse("instruction:detail", args=[demarche.number])).content.decode()
    assert "Motif du duplicata" in page and "PV 2026/004512" in page
    assert "Certificat annulé" in page


def test_a_lost_certificates_panel_has_no_police_report_row(client, jeanne):
    from titres.procedures.hooks import agent_panel_of

    vehicle = VehicleFactory()
    demarche = duplicate_until_payment(client, vehicle, motif="perte")
    demarche.refresh_from_db()
    labels = [row.label for row in agent_panel_of(demarche).rows]
    assert "Motif du duplicata" in labels
    assert "Numéro du récépissé de dépôt de plainte" not in labels
    # Not filed yet: nothing cancelled to show.
    assert "Certificat annulé" not in labels
    rows = {row.label: row for row in agent_panel_of(demarche).rows}
    assert rows["Motif du duplicata"].declared == "Perte" and not rows["Motif du duplicata"].differs


def test_an_fni_duplicates_cancelled_certificate_is_named_by_its_plate(
    client, jeanne, django_capture_on_commit_callbacks
):
    from titres.procedures.hooks import agent_panel_of

    vehicle = VehicleFactory(plate="3457TV59", plate_system=PlateSystem.FNI, formule_number="")
    demarche = duplicate_until_payment(
        client, vehicle, motif="deterioration", date_ci=vehicle.ci_date.strftime("%d/%m/%Y")
    )
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    rows = {row.label: row for row in agent_panel_of(demarche).rows}
    assert rows["Motif du duplicata"].declared == "Détérioration"
    assert rows["Certificat annulé"].recorded.startswith("3457 TV 59, annulé le ")
