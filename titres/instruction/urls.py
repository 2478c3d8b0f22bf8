from django.urls import path

from .views import actions, file, lists, otp, photo, statistics, viewer

app_name = "instruction"
urlpatterns = [
    path("", lists.home, name="home"),
    path("connexion/", otp.login_view, name="login"),
    path("deconnexion/", otp.logout_view, name="logout"),
    path("securite/enrolement/", otp.otp_enrol, name="otp_enrol"),
    path("securite/enrolement/lien/<str:token>/", otp.otp_enrol_link, name="otp_enrol_link"),
    path("securite/verification/", otp.otp_verify, name="otp_verify"),
    path("autorite/<str:code>/", lists.worklist, name="worklist"),
    path("autorite/<str:code>/recherche/", lists.search, name="search"),
    path("autorite/<str:code>/actions-groupees/", lists.bulk, name="bulk"),
    path("autorite/<str:code>/statistiques/", statistics.statistics, name="statistics"),
    path("dossiers/<str:number>/", file.demarche_detail, name="detail"),
    path("dossiers/<str:number>/historique/", file.history, name="history"),
    path("dossiers/<str:number>/photo/<str:kind>/", photo.ephoto_image, name="ephoto"),
    path("dossiers/<str:number>/<str:name>/", actions.action, name="action"),
    path("pieces/<uuid:pk>/pages/<int:page>.png", viewer.document_page, name="document_page"),
]
