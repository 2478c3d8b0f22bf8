from django.urls import path, re_path

from . import captcha_views

urlpatterns = [
    re_path(
        r"image/(?P<key>\w+)/$",
        captcha_views.captcha_image,
        name="captcha-image",
        kwargs={"scale": 1},
    ),
    re_path(
        r"image/(?P<key>\w+)@2/$",
        captcha_views.captcha_image,
        name="captcha-image-2x",
        kwargs={"scale": 2},
    ),
    path("audio/<str:key>.wav", captcha_views.captcha_audio, name="captcha-audio"),
]
