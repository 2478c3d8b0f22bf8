from django.urls import path

from . import views

app_name = "franceconnect"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("connexion/", views.login, name="login"),
    path("callback/", views.callback, name="callback"),
    path("lier/", views.link_existing, name="link_existing"),
    path("lier/confirmer/<str:token>/", views.link_confirm, name="link_confirm"),
    path("lier-mon-compte/", views.start_link, name="start_link"),
    path("delier/", views.unlink, name="unlink"),
    path("deconnexion/", views.logout, name="logout"),
    path("deconnexion/fin/", views.logged_out, name="logged_out"),
]
