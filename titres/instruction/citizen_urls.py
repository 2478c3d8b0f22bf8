"""Citizen-facing pages of the back office, mounted outside /agent/ by
titres/urls.py: `path("attestations/", include("titres.instruction.citizen_urls"))`."""

from django.urls import path

from . import citizen_views

app_name = "instruction_public"
urlpatterns = [
    path("<str:number>/", citizen_views.attestation_view, name="attestation"),
]
