from django.urls import path

from . import views

app_name = "infos"
urlpatterns = [
    path("questions-frequentes/", views.faq, name="faq"),
    path("tout-savoir/", views.guides, name="guides"),
    path("tout-savoir/<slug:slug>/", views.guide, name="guide"),
    path("actualites/", views.news, name="news"),
    path("actualites/<slug:slug>/", views.news_item, name="news_item"),
    path("aide/recherche/", views.search, name="search"),
    path("formulaires-cerfa/", views.cerfa_forms, name="cerfa"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("plan-du-site/", views.plan, name="sitemap"),
]
