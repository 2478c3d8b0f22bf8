"""The worked examples of the ANTS specification (v3.3.7.2): the portal
reads them field by field and writes exactly the same message from the same
values. Their signatures are made with the ANTS test key (FR00/0001), whose
certificate is not part of the portal's trust list."""

import datetime as dt

from titres.core import twoddoc
from titres.core.twoddoc import codec, header, message, signature

A8_SIGNED = (
    "DC04FR000001125E125BA801FRA183CSG75<GS>A412345678901234567AA02011970AN00001337"
    "C1DU PONT<GS>C2JEAN FRANCOIS<GS>C3020320201400C402032020C6DURAND<GS>C7FREDERIC<GS>"
    "C842 RUE DES TESTS<GS>C910430CASAINTE COMMUNE DES TESTS<GS>CB0000123456"
    "CC020320201400C0MC5M"
)
A8_SIGNATURE = (
    "U2FG2XUO6DROJLT2QB32SIIF7DVT53NRKP3AXFH26OTR5UT55LLMD2YIBZ6AQOCWQ2MQPPPYDFXG5YWPZG7CR67K"
    "ZHFSUXVJMDFSQPI"
)
A8_SIGNATURE_HEX = (
    "A68A6D5E8EF0E2E4AE7A8077A92105F8EB3EEDB153F60B94FAF3A71ED27DEAD6"
    "C1EB080E7C0838568699 07BDF8196E6EE2CFC9BE28FBEAC9CB2A5EA960CB283D"
).replace(" ", "")
AD_SIGNED = (
    "DC04FR000001125E125BAD01FR60PAUL/JEAN<GS>62DUPONT<GS>6907051980D306122006"
    "E9AZER-YUIO 123456789EAPEC01122006EDB<GS>D406122036EB12345EE78/01.04/01.07/102<GS>EF0"
)


def _split(spec_text):
    text = codec.normalize_input(spec_text)
    head = header.parse(text)
    return text, head, text[head.length :]


def test_header_of_the_a8_example():
    _, head, _ = _split(A8_SIGNED)
    assert head == header.Header(
        version=4,
        ca_id="FR00",
        cert_id="0001",
        emission_date=dt.date(2012, 11, 15),  # 125E
        signature_date=dt.date(2012, 11, 12),  # 125B
        doc_type="A8",
        perimeter="01",
        country="FR",
    )
    assert head.to_text() == "DC04FR000001125E125BA801FR"


def test_a8_example_fields_are_read_with_their_names():
    _, head, body = _split(A8_SIGNED)
    fields = {f.ident: f for f in message.parse(twoddoc.CESSION, body)}
    assert fields["A1"].value == "83CSG75"
    assert fields["A4"].value == "12345678901234567"
    assert fields["AA"].value == dt.date(1970, 1, 2)
    assert fields["AN"].display == "1337"
    assert fields["C1"].name == "Nom patronymique du vendeur"
    assert fields["C2"].value == "JEAN FRANCOIS"
    assert fields["C3"].value == dt.datetime(2020, 3, 2, 14, 0)
    assert fields["C4"].value == dt.date(2020, 3, 2)
    assert fields["CA"].value == "SAINTE COMMUNE DES TESTS"
    assert fields["CB"].display == "123456"
    assert fields["CC"].value == dt.datetime(2020, 3, 2, 14, 0)
    assert (fields["C0"].value, fields["C5"].value) == ("M", "M")


def test_a8_example_is_written_identically_from_its_values():
    text, head, _ = _split(A8_SIGNED)
    values = {
        "A1": "83CSG75",
        "A4": "12345678901234567",
        "AA": dt.date(1970, 1, 2),
        "AN": 1337,
        "C1": "DU PONT",
        "C2": "JEAN FRANCOIS",
        "C3": dt.datetime(2020, 3, 2, 14, 0),
        "C4": dt.date(2020, 3, 2),
        "C6": "DURAND",
        "C7": "FREDERIC",
        "C8": "42 RUE DES TESTS",
        "C9": "10430",
        "CA": "SAINTE COMMUNE DES TESTS",
        "CB": 123456,
        "CC": dt.datetime(2020, 3, 2, 14, 0),
        "C0": "M",
        "C5": "M",
    }
    # Given in another order: the type's order is the specification's.
    shuffled = dict(reversed(list(values.items())))
    assert head.to_text() + message.encode(twoddoc.CESSION, shuffled) == text


def test_a8_example_signature_is_base32_of_r_and_s():
    assert len(A8_SIGNATURE) == 103  # 64 bytes, no padding
    assert signature.b32decode(A8_SIGNATURE).hex().upper() == A8_SIGNATURE_HEX
    assert signature.b32encode(bytes.fromhex(A8_SIGNATURE_HEX)) == A8_SIGNATURE


def test_a8_example_is_signed_by_a_certificate_the_portal_does_not_trust():
    result = twoddoc.verify(A8_SIGNED + "<US>" + A8_SIGNATURE)
    assert result.status is twoddoc.Status.UNKNOWN_CERTIFICATE
    assert result.detail == "autorité FR00, certificat 0001"
    assert not result.authentic
    assert result.fields == []


def test_ad_example_round_trip():
    text, head, body = _split(AD_SIGNED)
    fields = message.parse(twoddoc.CEPC, body)
    assert [(f.ident, f.raw) for f in fields] == [
        ("60", "PAUL/JEAN"),
        ("62", "DUPONT"),
        ("69", "07051980"),
        ("D3", "06122006"),
        ("E9", "AZER-YUIO 123456789"),
        ("EA", "P"),
        ("EC", "01122006"),
        ("ED", "B"),
        ("D4", "06122036"),
        ("EB", "12345"),
        ("EE", "78/01.04/01.07/102"),
        ("EF", "0"),
    ]
    values = {f.ident: f.value for f in fields}
    values["60"] = ["Paul", "Jean"]
    assert head.to_text() + message.encode(twoddoc.CEPC, values) == text
