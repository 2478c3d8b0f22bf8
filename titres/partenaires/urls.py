from django.urls import path

from . import views

app_name = "partenaires"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/contacts/", views.contacts, name="contacts"),
    path("tableau-de-bord/jetons/<int:pk>/renouveler/", views.renew, name="token_renew"),
    path("tableau-de-bord/jetons/<int:pk>/revoquer/", views.revoke, name="token_revoke"),
    path("disponibilite/", views.status_page, name="status"),
]
