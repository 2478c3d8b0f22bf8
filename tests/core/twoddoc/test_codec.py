import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization

from titres.core import twoddoc
from titres.core.twoddoc import keys, signature
from titres.core.twoddoc.header import Header
from titres.core.twoddoc.message import GS, US

from .factories import cepc_fields, cession_fields, cpi_fields

# The day the tests sign and verify on: today, since the development keys
# they generate are valid from yesterday (a fixed date went stale).
TODAY = dt.date.today()


def _sign_with(private_key, ca, cert, doc_type, values, *, signed_on=TODAY):
    """A 2D-Doc signed by another key than the portal's."""
    head = Header(4, ca, cert, signed_on, signed_on, doc_type.code)
    body = head.to_text() + twoddoc.message.encode(doc_type, values)
    return body + US + signature.sign(private_key, body)


@pytest.mark.parametrize(
    ("doc_type", "values"),
    [
        (twoddoc.CESSION, cession_fields()),
        (twoddoc.CEPC, cepc_fields()),
        (twoddoc.CPI, cpi_fields()),
    ],
    ids=["A8", "AD", "CPI"],
)
def test_round_trip_of_each_type(doc_type, values):
    text = twoddoc.encode(doc_type, values, emission_date=TODAY)
    result = twoddoc.verify(text, today=TODAY)
    assert result.status is twoddoc.Status.AUTHENTIC
    assert result.authentic and result.signature_valid
    assert result.message == "Authentique : la signature est valide et émise par le portail."
    assert result.doc_type == doc_type
    assert result.header.ca_id == "FR00" and result.header.cert_id == "TD01"
    assert [f.ident for f in result.fields] == [i for i in doc_type.allowed if i in values]
    for decoded in result.fields:
        assert decoded.name == twoddoc.FIELDS[decoded.ident].name


def test_values_are_normalised_to_the_c40_character_set():
    text = twoddoc.encode("A8", cession_fields(), emission_date=TODAY)
    result = twoddoc.verify(text, today=TODAY)
    values = result.values()
    assert values["C1"] == "LEVEQUE"
    assert values["C2"] == "JEAN FRANCOIS"  # hyphen of a first name becomes a space
    assert values["C7"] == "HELENE"
    assert values["C8"] == "12 RUE DE L EGLISE"
    assert values["AN"] == "00048213"
    assert result.field("AN").display == "48213"
    assert result.field("C3").value == dt.datetime(2026, 11, 30, 9, 45)
    assert result.field("C3").display == "30/11/2026 09:45"
    assert result.field("AA").display == "17/05/2019"


def test_header_dates_are_days_since_2000_in_hex():
    text = twoddoc.encode("A8", cession_fields(), emission_date=dt.date(2012, 11, 15))
    assert text.startswith("DC04FR00TD01125E")
    assert twoddoc.verify(text).header.emission_date == dt.date(2012, 11, 15)


def test_gs_follows_variable_fields_that_do_not_reach_their_maximum():
    text = twoddoc.encode("A8", cession_fields(), emission_date=TODAY)
    body = text.split(US)[0]
    assert "A1AB-123-CD" + GS + "A4VF1RFB00X12345678AA17052019AN00048213C1LEVEQUE" + GS in body
    # The last field is followed by US, not GS; fixed fields never by GS.
    assert body.endswith("C5F")
    # A variable field at its maximum length needs no GS.
    full = twoddoc.encode("A8", cession_fields(C2="ABCDEFGHIJ KLMNOPQRS"), emission_date=TODAY)
    assert "C2ABCDEFGHIJ KLMNOPQRSC3" in full


def test_the_signature_is_103_base32_characters_after_us():
    text = twoddoc.encode("AD", cepc_fields())
    signed, sig = text.split(US)
    assert len(sig) == 103 and sig.isupper() and "=" not in sig
    assert len(signature.b32decode(sig)) == 64


@pytest.mark.parametrize("version", [2, 3, 4])
def test_every_c40_header_version(version):
    text = twoddoc.encode("A8", cession_fields(), version=version)
    assert text[2:4] == f"{version:02d}"
    result = twoddoc.verify(text)
    assert result.authentic
    assert result.header.length == {2: 22, 3: 24, 4: 26}[version]


def test_tampering_one_character_of_a_field_is_detected():
    text = twoddoc.encode("A8", cession_fields(), emission_date=TODAY)
    forged = text.replace("C6DUBOIS", "C6DUBOIT")
    assert forged != text
    result = twoddoc.verify(forged, today=TODAY)
    assert result.status is twoddoc.Status.BAD_SIGNATURE
    assert not result.authentic
    assert result.fields == []  # nothing of a forged document is shown as true
    assert result.message.startswith("Signature invalide")


def test_tampering_a_date_in_the_header_is_detected():
    text = twoddoc.encode("A8", cession_fields(), emission_date=dt.date(2026, 11, 1))
    assert text.startswith("DC04FR00TD012649")
    forged = text.replace("DC04FR00TD012649", "DC04FR00TD01264A", 1)
    assert forged != text
    assert twoddoc.verify(forged).status is twoddoc.Status.BAD_SIGNATURE


@pytest.mark.parametrize("position", [0, 50, 101, 102])
def test_tampering_one_character_of_the_signature_is_detected(position):
    text = twoddoc.encode("A8", cession_fields())
    signed, sig = text.split(US)
    for replacement in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567":
        if replacement == sig[position]:
            continue
        forged = signed + US + sig[:position] + replacement + sig[position + 1 :]
        assert twoddoc.verify(forged).status is twoddoc.Status.BAD_SIGNATURE, replacement


def test_signature_that_is_not_base32_is_a_bad_signature():
    text = twoddoc.encode("A8", cession_fields())
    signed, sig = text.split(US)
    result = twoddoc.verify(signed + US + sig[:-1] + "0")
    assert result.status is twoddoc.Status.BAD_SIGNATURE
    assert result.detail == "la signature n’est pas en base32"
    result = twoddoc.verify(signed + US + sig[:50])
    assert result.status is twoddoc.Status.BAD_SIGNATURE


def test_unknown_certificate():
    other, _ = keys.generate_development_key("FR00", "XX99")
    text = _sign_with(other, "FR00", "XX99", twoddoc.CESSION, cession_fields())
    result = twoddoc.verify(text)
    assert result.status is twoddoc.Status.UNKNOWN_CERTIFICATE
    assert result.message.startswith("Certificat inconnu")
    assert result.detail == "autorité FR00, certificat XX99"


def test_the_portal_certificate_id_signed_by_another_key_is_a_bad_signature():
    impostor, _ = keys.generate_development_key("FR00", "TD01")
    text = _sign_with(impostor, "FR00", "TD01", twoddoc.CESSION, cession_fields())
    assert twoddoc.verify(text).status is twoddoc.Status.BAD_SIGNATURE


def test_certificates_of_the_trust_list_file_are_accepted(settings, tmp_path):
    previous_key, previous_cert = keys.generate_development_key("FR00", "TD00")
    bundle = tmp_path / "trust.pem"
    bundle.write_bytes(previous_cert.public_bytes(serialization.Encoding.PEM))
    settings.TWODDOC_TRUST_LIST_FILE = str(bundle)
    text = _sign_with(previous_key, "FR00", "TD00", twoddoc.CPI, cpi_fields())
    result = twoddoc.verify(text, today=TODAY)
    assert result.status is twoddoc.Status.AUTHENTIC
    assert result.certificate.cert_id == "TD00"
    assert set(keys.trust_list()) == {("FR00", "TD01"), ("FR00", "TD00")}


def test_signature_date_outside_the_certificate_validity():
    own = keys.signing_key()
    text = _sign_with(
        own.private_key,
        "FR00",
        "TD01",
        twoddoc.CESSION,
        cession_fields(),
        signed_on=dt.date(2020, 1, 1),
    )
    result = twoddoc.verify(text)
    assert result.status is twoddoc.Status.CERTIFICATE_NOT_VALID
    assert result.detail.startswith("signé le 01/01/2020, certificat valide du ")


def test_expired_cpi():
    ends = TODAY + dt.timedelta(days=27)
    text = twoddoc.encode("Z1", cpi_fields(**{"08": ends}))
    assert twoddoc.verify(text, today=ends).status is twoddoc.Status.AUTHENTIC
    result = twoddoc.verify(text, today=ends + dt.timedelta(days=1))
    assert result.status is twoddoc.Status.EXPIRED
    assert result.signature_valid and not result.authentic
    assert result.expires_on == ends
    assert result.detail == f"fin de validité le {ends:%d/%m/%Y}"
    assert result.field("01").value == "VEH-2026-000123"  # an expired document still shows


def test_cepc_expires_at_its_end_of_validity():
    text = twoddoc.encode("AD", cepc_fields(D4=dt.date(2027, 3, 20)))
    assert twoddoc.verify(text, today=dt.date(2027, 3, 21)).status is twoddoc.Status.EXPIRED


def test_visible_tokens_and_line_breaks_are_accepted():
    text = twoddoc.encode("A8", cession_fields())
    pasted = twoddoc.visible(text)
    assert "<GS>" in pasted and "<US>" in pasted
    wrapped = "\n".join(pasted[i : i + 60] for i in range(0, len(pasted), 60))
    assert twoddoc.verify("  " + wrapped + "\r\n").authentic
    assert twoddoc.verify(pasted.replace("<GS>", "\u241d").replace("<US>", "\u241f")).authentic


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "le texte est vide"),
        ("BONJOUR", "le texte ne commence pas par « DC » (marqueur 2D-Doc)"),
        ("DC01FR00TD0126672667A8", "version de 2D-Doc non prise en charge : 01"),
        ("DC04FR00", "en-tête incomplet"),
        ("DC04FR00TD01ZZZZ2667A801FR", "date hexadécimale illisible : « ZZZZ »"),
        ("DC04FR00TD0126672667A801FRA1AB", "séparateur de signature (US) absent"),
        (
            "DC04FR00TD0126672667A801FRA1ÉTÉ\x1fAAAA",
            "caractères hors du jeu d’un 2D-Doc (accents, minuscules…)",
        ),
        ("DC04" + "A" * 3000, "texte trop long (3004 caractères, 2000 au plus)"),
    ],
)
def test_unreadable_texts(text, detail):
    result = twoddoc.verify(text)
    assert result.status is twoddoc.Status.MALFORMED
    assert result.detail == detail
    assert result.message == "Texte illisible : ce n’est pas un 2D-Doc conforme."


def test_well_signed_but_malformed_fields_are_refused():
    own = keys.signing_key()
    head = Header(4, "FR00", "TD01", TODAY, TODAY, "A8").to_text()
    for body, detail in [
        ("A1AB-123-CD" + GS + "ZZ12", "identifiant « ZZ » inconnu ou non admis pour le type A8"),
        (
            "A4VF1RFB00X1234",
            "champ A4 (Numéro de série du véhicule (VIN)) : 17 caractères attendus, 13 reçus (« VF1RFB00X1234 »)",
        ),
        (
            "AA31022019",
            "champ AA (Date de première immatriculation du véhicule) : date impossible : « 31022019 »",
        ),
        ("A1AB" + GS + "A1CD", "champ A1 présent deux fois"),
        (
            "A1AB-123-CD",
            "champs obligatoires absents pour le type A8 : A4, AA, C1, C3, C4, C6, C8, C9, CA, CB, CC",
        ),
    ]:
        text = head + body + US + signature.sign(own.private_key, head + body)
        result = twoddoc.verify(text)
        assert result.status is twoddoc.Status.MALFORMED, body
        assert result.detail == detail


def test_unknown_document_type_signed_by_the_portal():
    own = keys.signing_key()
    head = Header(4, "FR00", "TD01", TODAY, TODAY, "Q9").to_text()
    text = head + "01X" + US + signature.sign(own.private_key, head + "01X")
    result = twoddoc.verify(text)
    assert result.status is twoddoc.Status.MALFORMED
    assert result.detail == "type de document « Q9 » inconnu du portail"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        (
            {"A4": "VF1RFB00X1234"},
            "champ A4 (Numéro de série du véhicule (VIN)) : 17 caractères attendus, 13 reçus (« VF1RFB00X1234 »)",
        ),
        (
            {"C1": "X" * 39},
            "champ C1 (Nom patronymique du vendeur) : longueur 39 hors de 0 à 38 (variable) (« "
            + "X" * 39
            + " »)",
        ),
        (
            {"C1": "Dupont 3"},
            "champ C1 (Nom patronymique du vendeur) : caractères non admis (lettres et espaces) : « DUPONT 3 »",
        ),
        (
            {"C3": dt.date(2026, 1, 1)},
            "champ C3 (Date et heure de la cession) : une date et une heure sont attendues, pas « 2026-01-01 »",
        ),
        ({"C6": None}, "champs obligatoires absents pour le type A8 : C6"),
        ({"ZZ": "1"}, "identifiants non admis pour le type A8 : ZZ"),
        ({"60": "PAUL"}, "identifiants non admis pour le type A8 : 60"),
    ],
)
def test_encoding_refusals(overrides, error):
    with pytest.raises(twoddoc.EncodingError) as exc:
        twoddoc.encode("A8", cession_fields(**overrides))
    assert str(exc.value) == error


def test_cpi_needs_a_holder_person_or_company():
    with pytest.raises(twoddoc.EncodingError) as exc:
        twoddoc.encode("Z1", cpi_fields(**{"62": None, "60": None}))
    assert str(exc.value) == "un de ces champs est obligatoire : 62, 5M"
    company = twoddoc.encode(
        "Z1", cpi_fields(**{"62": None, "60": None, "5M": "Transports Martin SA"})
    )
    assert twoddoc.verify(company, today=TODAY).field("5M").value == "TRANSPORTS MARTIN SA"


def test_unknown_type_refused_at_encoding():
    with pytest.raises(twoddoc.EncodingError) as exc:
        twoddoc.encode("Q9", {})
    assert str(exc.value) == "type de 2D-Doc inconnu : Q9"


def test_registry():
    assert twoddoc.get_type("A8") is twoddoc.CESSION
    assert twoddoc.get_type("AD") is twoddoc.CEPC
    assert twoddoc.get_type("Z1").portal_defined
    assert [t.code for t in twoddoc.all_types()] == ["A8", "AD", "Z1", "Z2"]
    assert twoddoc.register(twoddoc.CPI) is twoddoc.CPI  # idempotent
    with pytest.raises(ValueError):
        twoddoc.register(twoddoc.DocumentType(code="A8", name="Autre", fields=("A1",)))
    with pytest.raises(ValueError):
        twoddoc.DocumentType(code="Q8", name="X", fields=("ZZ",))
