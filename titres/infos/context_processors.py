from django.utils.functional import SimpleLazyObject

from . import latest


def home_news(request):
    """`home_news`: the latest news for the home page. Lazy: read (from the
    cache of latest.py) only by a template that shows it."""
    return {"home_news": SimpleLazyObject(latest.home_news)}
