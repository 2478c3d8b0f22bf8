"""{% fixedpart %}: rendered once per language and `vary` values, kept per
process; never with a CSRF token; nothing kept under DEBUG."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, engines
from django.test import RequestFactory
from django.utils import translation

from titres.core.templatetags import titres_fragments

ENGINE = engines["django"]


def _template(body):
    return ENGINE.from_string("{% load i18n titres_fragments %}" + body)


class Counter:
    """A value whose every read is counted: how often the part rendered."""

    def __init__(self):
        self.reads = 0

    def __str__(self):
        self.reads += 1
        return f"lu {self.reads} fois"


def test_a_part_renders_once_then_is_reused(settings):
    settings.DEBUG = False
    counter = Counter()
    template = _template("{% fixedpart %}[{{ counter }}]{% endfixedpart %}")
    assert template.render({"counter": counter}) == "[lu 1 fois]"
    assert template.render({"counter": counter}) == "[lu 1 fois]"
    assert counter.reads == 1


def test_each_vary_value_and_language_has_its_own_part(settings):
    settings.DEBUG = False
    template = _template(
        '{% fixedpart page %}{{ page }} {% translate "Accueil" %}{% endfixedpart %}'
    )
    assert template.render({"page": "a"}) == "a Accueil"
    assert template.render({"page": "b"}) == "b Accueil"
    with translation.override("en"):
        assert template.render({"page": "a"}) == "a Home"
    assert template.render({"page": "a"}) == "a Accueil"


def test_two_parts_of_one_template_are_kept_apart(settings):
    settings.DEBUG = False
    template = _template(
        "{% fixedpart %}un{% endfixedpart %}-{% fixedpart %}deux{% endfixedpart %}"
    )
    assert template.render({}) == "un-deux"
    assert template.render({}) == "un-deux"


def test_parts_are_kept_apart_without_the_engines_debug_mode(settings):
    """Production's engine (no debug) gives tokens no position: the parts
    of one template, and of two templates, still each keep their own HTML."""
    from django.template import Engine

    settings.DEBUG = False
    engine = Engine(
        debug=False, libraries={"titres_fragments": "titres.core.templatetags.titres_fragments"}
    )
    assert engine.from_string("{% load titres_fragments %}").nodelist[0].token.position is None
    first = engine.from_string(
        "{% load titres_fragments %}{% fixedpart %}un{% endfixedpart %}-"
        "{% fixedpart %}deux{% endfixedpart %}"
    )
    second = engine.from_string("{% load titres_fragments %}{% fixedpart %}trois{% endfixedpart %}")
    for _ in range(2):
        assert first.render(Context()) == "un-deux"
        assert second.render(Context()) == "trois"


def test_a_csrf_token_is_refused(settings, db):
    settings.DEBUG = False
    request = RequestFactory().get("/")
    template = _template("{% fixedpart %}<form>{% csrf_token %}</form>{% endfixedpart %}")
    with pytest.raises(ImproperlyConfigured, match="jeton CSRF"):
        template.render({}, request)


def test_nothing_is_kept_under_debug(settings):
    settings.DEBUG = True
    counter = Counter()
    template = _template("{% fixedpart %}[{{ counter }}]{% endfixedpart %}")
    template.render({"counter": counter})
    template.render({"counter": counter})
    assert counter.reads == 2
    assert titres_fragments._parts == {}


def test_the_menu_marks_the_current_page_on_each_page(client, db, settings):
    """The header's menu is a kept part varying with the page: each page
    still marks its own entry."""
    settings.DEBUG = False
    faq = client.get("/questions-frequentes/").content.decode()
    guides = client.get("/tout-savoir/").content.decode()
    assert 'href="/questions-frequentes/" aria-current="page"' in faq
    assert 'href="/questions-frequentes/" aria-current="page"' not in guides
    assert 'href="/tout-savoir/" aria-current="page"' in guides


def test_the_shared_key_is_read_in_each_render_and_each_language_block(settings):
    """The language, script prefix and URLconf are read once per render:
    a second render in another language, an include rendered in another
    language and a part inside `{% language %}` each get their language's
    part."""
    settings.DEBUG = False
    part = '{% fixedpart %}{% translate "Accueil" %}{% endfixedpart %}'
    template = _template(
        f"{part}|{{% language 'en' %}}{part}{{% endlanguage %}}|{part}"
        "|{% language 'en' %}{% include inner %}{% endlanguage %}"
    )
    inner = _template(part)
    for _ in range(2):
        assert template.render({"inner": inner}) == "Accueil|Home|Accueil|Home"
        with translation.override("en"):
            assert template.render({"inner": inner}) == "Home|Home|Home|Home"


@pytest.mark.parametrize(
    "names",
    [
        {"first_name": "Zoé", "last_name": "d’Artagnan"},
        {"first_name": '<b>Anne</b> & "Co"', "last_name": "O'Hara"},
        {"first_name": "", "last_name": ""},  # the username then
        {"first_name": "Seul", "last_name": ""},
    ],
)
def test_user_name_is_the_expression_it_replaces(db, names):
    from django.contrib.auth.models import AnonymousUser

    from tests.accounts.factories import UserFactory

    user = UserFactory(username="jean<&>", **names)
    tag = _template("{% user_name %}")
    expression = _template("{{ user.get_full_name|default:user.username }}")
    for value in (user, AnonymousUser()):
        assert tag.render({"user": value}) == expression.render({"user": value})
    assert tag.render({"user": user}) != ""
