from django.urls import path

from . import examiner, request_views, results_views, school, views
from .stages import views as stage_views

app_name = "permis"
urlpatterns = [
    path("mon-permis/", views.my_licence, name="my_licence"),
    path("mon-permis/detacher/", views.unlink, name="unlink"),
    path("mon-permis/<str:neph>/", views.record_detail, name="record"),
    path("communes/", views.communes_json, name="communes"),
    path("photographes/", views.photographers, name="photographers"),
    # Résultats du permis de conduire: public, NEPH + birth date (issue 12).
    path("resultats/", results_views.consulter, name="results"),
    path("agent/resultats-examen/", examiner.exam_results, name="exam_results"),
    path("resultats/<str:token>/cepc.pdf", results_views.cepc, name="results_cepc"),
    # The téléprocédure "Permis de conduire" around the engine's wizard.
    path("demandes/candidats/", school.candidates, name="candidates"),
    path("demandes/candidats/export.csv", school.export_csv, name="candidates_export"),
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
    # Road-safety centres' stages (issue 19).
    path("stages/", stage_views.sessions, name="stages"),
    path("stages/nouveau/", stage_views.new_session, name="stage_new"),
    path("stages/export.csv", stage_views.export_csv, name="stages_export"),
    path("stages/<int:pk>/", stage_views.session_detail, name="stage"),
    path("stages/<int:pk>/cloturer/", stage_views.close, name="stage_close"),
    path(
        "stages/<int:pk>/stagiaires/<int:attendee_pk>/<str:action>/",
        stage_views.attendee_action,
        name="stage_attendee",
    ),
    path("demandes/<str:number>/timbre/", request_views.stamp_return, name="stamp_return"),
]
