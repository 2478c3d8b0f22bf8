from django.urls import path

from . import conf, views
from .localbank import views as bank_views

app_name = "paiements"
urlpatterns = [
    path("", views.boutique, name="boutique"),
    path("paiement/<str:token>/", views.resultat, name="resultat"),
    path("paiement/<str:token>/timbre.pdf", views.timbre_pdf, name="timbre_pdf"),
    path("verifier/", views.verifier, name="verifier"),
    path("rembourser/", views.rembourser, name="rembourser"),
    path("notification/<slug:provider>/", views.notification, name="notification"),
]
if conf.local_bank_mounted():
    # The local provider's hosted payment page (stands for the bank's site):
    # fictitious cards, so only in development or an isolated acceptance run.
    urlpatterns += [
        path("banque/<str:token>/", bank_views.payment_page, name="banque"),
        path("banque/<str:token>/3ds/", bank_views.challenge_page, name="banque_3ds"),
        path("banque/<str:token>/annulation/", bank_views.cancel, name="banque_annulation"),
    ]
