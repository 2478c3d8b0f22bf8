from django.urls import path

from . import list_actions, views

app_name = "procedures"
urlpatterns = [
    path("", views.demarche_list, name="list"),
    path("nouvelle/", views.new, name="new"),
    path("nouvelle/<slug:category>/", views.category, name="category"),
    path("commencer/<slug:code>/", views.start, name="start"),
    path("pieces/<uuid:pk>/", views.document, name="document"),
    path("pieces/<uuid:pk>/retirer/", views.document_remove, name="document_remove"),
    path("messages/<uuid:pk>/", views.message, name="message"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/reprise/", views.resume, name="resume"),
    path("<str:number>/actions/", list_actions.act, name="act"),
    path("<str:number>/complement/", views.complement, name="complement"),
    path("<str:number>/confirmation/", views.confirmation, name="confirmation"),
    path("<str:number>/abandonner/", views.abandon, name="abandon"),
    path("<str:number>/etapes/<slug:slug>/", views.step, name="step"),
    path("<str:number>/pieces/<slug:code>/", views.upload, name="upload"),
    path("<str:number>/messages/", views.message_post, name="message_post"),
]
