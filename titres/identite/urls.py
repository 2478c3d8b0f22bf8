from django.urls import path

from . import views
from .api import views as api_views

app_name = "identite"

urlpatterns = [
    path("api/status", api_views.status, name="api_status"),
    path("api/appointments", api_views.appointments, name="api_appointments"),
    path(
        "rendez-vous/<str:reference>/<str:token>/",
        views.manage_appointment,
        name="manage_appointment",
    ),
]
