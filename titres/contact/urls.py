from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.home, name="home"),
    path("ecrire/<slug:category>/", views.write, name="write"),
    path("reclamation/", views.complaint, name="complaint"),
    path("envoyee/<str:number>/", views.sent, name="sent"),
    path("mes-demandes/", views.my_tickets, name="my_tickets"),
    path("mes-demandes/<str:number>/", views.my_ticket, name="my_ticket"),
    path("suivi/<str:number>/<str:token>/", views.ticket_by_link, name="ticket_by_link"),
]
