from django.urls import path

from . import views

app_name = "instruction"
urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("securite/enrolement/", views.otp_enrol, name="otp_enrol"),
    path("securite/verification/", views.otp_verify, name="otp_verify"),
    path("autorite/<str:code>/", views.worklist, name="worklist"),
    path("autorite/<str:code>/recherche/", views.search, name="search"),
    path("autorite/<str:code>/actions-groupees/", views.bulk, name="bulk"),
    path("autorite/<str:code>/statistiques/", views.statistics, name="statistics"),
    path("dossiers/<str:number>/", views.demarche_detail, name="detail"),
    path("dossiers/<str:number>/historique/", views.history, name="history"),
    path("dossiers/<str:number>/photo/<str:kind>/", views.ephoto_image, name="ephoto"),
    path("dossiers/<str:number>/<str:name>/", views.action, name="action"),
    path("pieces/<uuid:pk>/pages/<int:page>.png", views.document_page, name="document_page"),
]
