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


# {% extends %} with the root parent's blocks kept (titres_extends, ninth pass (a)).

_EXTENDS_TEMPLATES = {
    "root.html": (
        "<html>{% block title %}Racine{% endblock %}|{% block body %}"
        "{% if flag %}{% block inner %}dedans{% endblock %}{% endif %}"
        "{% for i in items %}{% block loop %}[{{ i }}]{% endblock %}{% endfor %}"
        "{% endblock body %}|{% block empty %}{% endblock %}</html>"
    ),
    "middle.html": (
        "{% extends 'root.html' %}{% block title %}Milieu, {{ block.super }}{% endblock %}"
        "{% block inner %}milieu+{{ block.super }}{% endblock %}"
    ),
    "leaf.html": (
        "\n{# a comment first #}\n{% extends 'middle.html' %}"
        "{% block title %}Feuille / {{ block.super }}{% endblock %}"
        "{% block loop %}({{ i }}){% endblock %}{% block empty %}rempli{% endblock %}"
    ),
    "direct.html": "{% extends 'root.html' %}{% block body %}corps {{ block.super }}{% endblock %}",
    "dynamic.html": "{% extends parent %}{% block title %}dyn{% endblock %}",
    "no_blocks_root.html": "sans blocs {{ flag }}",
    "on_no_blocks.html": "{% extends 'no_blocks_root.html' %}{% block x %}jamais{% endblock %}",
}


def _engines(templates, cached=True):
    from django.template import Engine

    loader = ("django.template.loaders.locmem.Loader", templates)
    loaders = [("django.template.loaders.cached.Loader", [loader])] if cached else [loader]
    django_engine = Engine(loaders=loaders)
    kept_engine = Engine(loaders=loaders, builtins=["titres.core.templatetags.titres_extends"])
    return django_engine, kept_engine


@pytest.mark.parametrize(
    "name", ["root.html", "middle.html", "leaf.html", "direct.html", "on_no_blocks.html"]
)
@pytest.mark.parametrize("flag", [True, False])
def test_kept_blocks_extends_renders_as_djangos(name, flag):
    django_engine, kept_engine = _engines(_EXTENDS_TEMPLATES)
    context = {"flag": flag, "items": [1, 2]}
    expected = django_engine.get_template(name).render(Context(context))
    for _ in range(3):  # the kept blocks are read again on each render
        assert kept_engine.get_template(name).render(Context(context)) == expected
    assert "Racine" in expected or "sans blocs" in expected


def test_kept_blocks_extends_with_a_variable_parent():
    django_engine, kept_engine = _engines(_EXTENDS_TEMPLATES)
    for parent in ("middle.html", "root.html"):
        expected = django_engine.get_template("dynamic.html").render(
            Context({"parent": parent, "flag": True, "items": [3]})
        )
        for parent_value in (parent, kept_engine.get_template(parent)):
            got = kept_engine.get_template("dynamic.html").render(
                Context({"parent": parent_value, "flag": True, "items": [3]})
            )
            assert got == expected
    assert expected == "<html>dyn|dedans[3]|</html>"  # root.html, the last one


def test_kept_blocks_follow_a_recompiled_parent():
    """Without the cached loader each render compiles the parent again: the
    blocks are those of the new source, not a copy kept from the old one."""
    templates = dict(_EXTENDS_TEMPLATES)
    _django_engine, kept_engine = _engines(templates, cached=False)
    assert kept_engine.get_template("direct.html").render(Context({})) == (
        "<html>Racine|corps |</html>"
    )
    templates["root.html"] = (
        "<p>{% block title %}Nouvelle{% endblock %}{% block body %}{% endblock %}</p>"
    )
    assert kept_engine.get_template("direct.html").render(Context({})) == "<p>Nouvellecorps </p>"


def test_the_portal_engine_uses_the_kept_blocks_extends():
    from titres.core.templatetags.titres_extends import KeptBlocksExtendsNode

    template = ENGINE.get_template("instruction/worklist.html").template
    assert isinstance(template.nodelist[0], KeptBlocksExtendsNode)


def test_extends_keeps_djangos_errors():
    from django.template import TemplateDoesNotExist, TemplateSyntaxError

    _django_engine, kept_engine = _engines(_EXTENDS_TEMPLATES)
    with pytest.raises(TemplateSyntaxError, match="cannot appear more than once"):
        kept_engine.from_string("{% extends 'root.html' %}{% extends 'root.html' %}")
    with pytest.raises(TemplateSyntaxError, match="takes one argument"):
        kept_engine.from_string("{% extends %}")
    with pytest.raises(TemplateSyntaxError, match="must be the first tag"):
        kept_engine.from_string("{% if 1 %}{% endif %}{% extends 'root.html' %}")
    with pytest.raises(TemplateDoesNotExist):
        kept_engine.from_string("{% extends 'absent.html' %}").render(Context({}))
