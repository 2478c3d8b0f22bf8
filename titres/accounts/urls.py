from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path

app_name = "accounts"


@login_not_required
def _todo(request):
    return render(request, "core/home.html")


urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("inscription/", _todo, name="signup"),
    path("", _todo, name="account"),
    path("conditions-generales/", _todo, name="terms"),
]
