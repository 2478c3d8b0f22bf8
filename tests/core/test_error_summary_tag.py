"""`{% error_summary %}` as a simple tag (docs/capacity.md, eighth pass (b))
renders what the inclusion tag rendered: core/_error_summary.html with the
items, in French and in English, and its two newlines without a refused
form; `{% page_has_errors %}` still finds the refused forms."""

import pytest
from django import forms
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db

PAGE = engines["django"].from_string(
    "{% load titres_forms %}{% page_has_errors as has_errors %}[{{ has_errors }}]{% error_summary %}"
)


class Identity(forms.Form):
    nom = forms.CharField(label="Nom")
    age = forms.IntegerField(label="Âge")

    def clean(self):
        raise forms.ValidationError("Formulaire <refusé>")


def _reference(context):
    """What the inclusion tag gave: the template rendered with the items."""
    from titres.core.templatetags.titres_forms import _summary_items

    return get_template("core/_error_summary.html").render({"items": _summary_items(context)})


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "values",
    [
        {},  # nothing refused
        {"form": Identity()},  # unbound
        {"form": Identity({"nom": "", "age": "x"})},
        {"forms": [Identity({"nom": "A", "age": "3"}), Identity({"age": "1"})]},
    ],
)
def test_the_summary_is_the_inclusion_tags(language, values):
    from django.template import RequestContext

    request = RequestFactory().get("/")
    with translation.override(language):
        html = PAGE.render(values, request)
        context = RequestContext(request, values)
        expected = _reference(context)
    refused = bool(values.get("form") and values["form"].is_bound) or "forms" in values
    assert html == f"[{refused}]{expected}"
    if not refused:
        assert expected == "\n\n"
    else:
        assert "Formulaire &lt;refusé&gt;" in html
        assert ("Le formulaire comporte" in html) == (language == "fr")
