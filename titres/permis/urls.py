from django.urls import path

from . import request_views, views

app_name = "permis"
urlpatterns = [
    path("mon-permis/", views.my_licence, name="my_licence"),
    path("mon-permis/detacher/", views.unlink, name="unlink"),
    path("mon-permis/<str:neph>/", views.record_detail, name="record"),
    path("communes/", views.communes_json, name="communes"),
    path("photographes/", views.photographers, name="photographers"),
    # The téléprocédure "Permis de conduire" around the engine's wizard.
    path("demandes/candidats/", request_views.driving_school_requests, name="candidates"),
    path(
        "demandes/<str:number>/confirmation/",
        request_views.confirmation,
        name="request_confirmation",
    ),
    path("demandes/<str:number>/justificatif.pdf", request_views.receipt, name="request_receipt"),
    path(
        "demandes/<str:number>/talon-photo-signature.pdf",
        request_views.talon,
        name="request_talon",
    ),
    path(
        "demandes/<str:number>/attestation-inscription.pdf",
        request_views.inscription_attestation,
        name="inscription_attestation",
    ),
    path("demandes/<str:number>/timbre/", request_views.stamp_return, name="stamp_return"),
]
