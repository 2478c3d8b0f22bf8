from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("inscription/", views.signup_view, name="signup"),
    path("inscription/envoyee/", views.signup_done_view, name="signup_done"),
    path("activation/renvoyer/", views.resend_activation_view, name="resend_activation"),
    path("activation/<str:token>/", views.activate_view, name="activate"),
    path("identifiant-oublie/", views.forgot_identifier_view, name="forgot_identifier"),
    path("mot-de-passe-oublie/", views.password_reset_view, name="password_reset"),
    path(
        "mot-de-passe-oublie/<str:uidb64>/<str:token>/",
        views.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path(
        "premiere-connexion/<str:uidb64>/<str:token>/",
        views.account_setup_view,
        name="account_setup",
    ),
    path("", views.account_view, name="account"),
    path("modifier/", views.account_edit_view, name="account_edit"),
    path("adresse-e-mail/<str:token>/", views.email_confirm_view, name="email_confirm"),
    path("mot-de-passe/", views.password_change_view, name="password_change"),
    path("mes-donnees/", views.export_view, name="export"),
    path("supprimer/", views.delete_view, name="delete"),
    path("conditions-generales/", views.terms_view, name="terms"),
    path("demande-mairie/", views.mairie_request_view, name="mairie_request"),
]
