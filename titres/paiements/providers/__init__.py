"""Card payment providers behind one adapter interface (see base.py)."""

from django.utils.module_loading import import_string

from .. import conf

PROVIDERS = {
    "local": "titres.paiements.providers.local.LocalProvider",
}


def get_provider(code: str | None = None):
    code = code or conf.provider_code()
    try:
        path = PROVIDERS[code]
    except KeyError:
        raise LookupError(f"Prestataire de paiement inconnu : {code}")
    return import_string(path)()
