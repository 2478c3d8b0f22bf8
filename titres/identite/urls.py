from django.urls import path

from . import citizen_views, mairie_views, views
from .api import views as api_views

app_name = "identite"

urlpatterns = [
    path("api/status", api_views.status, name="api_status"),
    path("api/appointments", api_views.appointments, name="api_appointments"),
    path("predemande/<str:number>/", citizen_views.confirmation, name="confirmation"),
    path(
        "predemande/<str:number>/recapitulatif.pdf",
        citizen_views.recapitulatif_pdf,
        name="recapitulatif_pdf",
    ),
    path("rendez-vous/", citizen_views.rdv_search, name="rdv_search"),
    path(
        "rendez-vous/reserver/<int:device_id>/<str:start>/",
        citizen_views.rdv_book,
        name="rdv_book",
    ),
    path(
        "rendez-vous/<str:reference>/<str:token>/",
        views.manage_appointment,
        name="manage_appointment",
    ),
    path("mairie/agenda/", mairie_views.agenda, name="agenda"),
    path("mairie/rendez-vous/<int:pk>/presence/", mairie_views.attendance, name="attendance"),
    path("mairie/guichet/", mairie_views.counter_lookup, name="counter"),
    path("mairie/guichet/<str:number>/", mairie_views.counter_file, name="counter_file"),
    path("mairie/titres/", mairie_views.deliveries, name="deliveries"),
    path("mairie/titres/<int:pk>/", mairie_views.delivery_action, name="delivery_action"),
]
