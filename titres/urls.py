from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from titres.partenaires.api import api as partner_api

urlpatterns = [
    # First: the partner API is the busiest path, and every pattern above it
    # is tried before it is found (issue 20).
    path("api/v1/", partner_api.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("captcha/", include("titres.accounts.captcha_urls")),
    path("gestion/", admin.site.urls),
    path("compte/", include("titres.accounts.urls")),
    path("franceconnect/", include("titres.franceconnect.urls")),
    path("demarches/", include("titres.procedures.urls")),
    path("timbres/", include("titres.paiements.urls")),
    path("permis/", include("titres.permis.urls")),
    path("vehicules/", include("titres.vehicules.urls")),
    path("identite/", include("titres.identite.urls")),
    path("agent/", include("titres.instruction.urls")),
    path("attestations/", include("titres.instruction.citizen_urls")),
    path("annuaire/", include("titres.annuaire.urls")),
    path("nous-contacter/", include("titres.contact.urls")),
    path("", include("titres.infos.urls")),
    path("", include("titres.jobs.urls")),
    path("partenaires/", include("titres.partenaires.urls")),
    path("", include("titres.core.urls")),
]
if settings.DEVIDP_ENABLED:
    urlpatterns.insert(0, path("devidp/", include("titres.devidp.urls")))

handler500 = "titres.core.errors.server_error"

admin.site.site_header = "Titres — gestion"
admin.site.site_title = "Titres — gestion"
