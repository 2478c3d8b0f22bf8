from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("dev/mailbox/", views.mailbox, name="mailbox"),
    path("dev/mailbox/<int:pk>/", views.mailbox_message, name="mailbox_message"),
]
