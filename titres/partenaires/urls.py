from django.urls import path

from . import views

app_name = "partenaires"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
]
