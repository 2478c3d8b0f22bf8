from django.urls import path

from . import views

app_name = "annuaire"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("communes/", views.communes, name="communes"),
    path("code-photo/", views.ephoto_check, name="ephoto_check"),
]
