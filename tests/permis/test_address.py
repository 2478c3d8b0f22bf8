"""The postal code ↔ commune block shared by the request forms of the
licence, the ID title and the vehicle (titres/permis/address.py)."""

import pytest
from django import forms

from titres.identite.procedure.forms import AdresseForm as IdentiteAdresseForm
from titres.permis.address import PostalAddressMixin, commune_field, postal_code_field
from titres.permis.request_forms import AdresseForm as PermisAdresseForm
from titres.vehicules.changement.forms import NouveauTitulaireForm

pytestmark = pytest.mark.django_db


class AddressForm(PostalAddressMixin, forms.Form):
    code_postal = postal_code_field()
    commune = commune_field()


def test_the_three_procedures_use_the_shared_block():
    for form in (PermisAdresseForm, IdentiteAdresseForm, NouveauTitulaireForm):
        assert issubclass(form, PostalAddressMixin), form


def test_a_matching_commune_takes_the_tables_spelling():
    form = AddressForm({"code_postal": "54000", "commune": "nancy"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == "Nancy"
    assert form.commune_row.insee_code == "54395"


@pytest.mark.parametrize(
    ("code_postal", "commune", "field", "message"),
    [
        ("5400", "Nancy", "code_postal", "Le code postal doit comporter 5 chiffres."),
        ("00000", "Nancy", "code_postal", "Le code postal 00000 n’existe pas."),
        (
            "54000",
            "Metz",
            "commune",
            "La commune « Metz » ne correspond pas au code postal 54000. "
            "Communes de ce code postal : Nancy.",
        ),
    ],
)
def test_the_error_goes_next_to_the_wrong_field(code_postal, commune, field, message):
    form = AddressForm({"code_postal": code_postal, "commune": commune})
    assert not form.is_valid()
    assert form.errors == {field: [message]}
    assert form.commune_row is None


def test_an_empty_field_gets_only_its_own_error():
    form = AddressForm({"code_postal": "", "commune": "Nancy"})
    assert not form.is_valid()
    assert form.errors == {"code_postal": ["Ce champ est obligatoire."]}
