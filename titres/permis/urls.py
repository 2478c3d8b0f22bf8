from django.urls import path

from . import views

app_name = "permis"
urlpatterns = [
    path("mon-permis/", views.my_licence, name="my_licence"),
    path("mon-permis/detacher/", views.unlink, name="unlink"),
    path("mon-permis/<str:neph>/", views.record_detail, name="record"),
    path("communes/", views.communes_json, name="communes"),
    path("photographes/", views.photographers, name="photographers"),
]
