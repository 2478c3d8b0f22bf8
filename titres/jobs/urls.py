from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("readyz/taches", views.task_probe, name="probe"),
    path("readyz/planificateur", views.scheduler_probe, name="scheduler_probe"),
]
