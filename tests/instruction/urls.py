"""The project's URLs plus the citizen URLs of the back office, as the lead
will mount them in titres/urls.py."""

from django.urls import include, path

from titres.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("attestations/", include("titres.instruction.citizen_urls")),
    *project_urlpatterns,
]
