"""The local identity provider, mounted at /devidp/ only when
settings.DEVIDP_ENABLED. Everything lives under /devidp/o/, a public prefix
(settings.PUBLIC_PATH_PREFIXES): these pages belong to the provider, not to
the portal."""

from django.urls import path
from oauth2_provider import views as oauth2_views

from . import views

app_name = "devidp"
urlpatterns = [
    path("o/.well-known/openid-configuration", views.discovery, name="discovery"),
    path("o/.well-known/jwks.json", oauth2_views.JwksInfoView.as_view(), name="jwks"),
    path("o/authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("o/token/", oauth2_views.TokenView.as_view(), name="token"),
    path("o/userinfo/", oauth2_views.UserInfoView.as_view(), name="userinfo"),
    path("o/session/end/", views.EndSessionView.as_view(), name="end_session"),
]
