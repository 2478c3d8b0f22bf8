from django.urls import path

from . import views
from .twoddoc import views as twoddoc_views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("session/prolonger/", views.session_keepalive, name="session_keepalive"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("2d-doc/verifier/", twoddoc_views.verify_page, name="twoddoc_verify"),
    path("2d-doc/certificats/", twoddoc_views.certificates_page, name="twoddoc_certificates"),
    path("2d-doc/certificats.pem", twoddoc_views.trust_list_pem, name="twoddoc_trust_list"),
    path(
        "2d-doc/certificats/<str:ident>.<str:ext>",
        twoddoc_views.certificate_file,
        name="twoddoc_certificate",
    ),
    path("dev/mailbox/", views.mailbox, name="mailbox"),
    path("dev/mailbox/<int:pk>/", views.mailbox_message, name="mailbox_message"),
]
