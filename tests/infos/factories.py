import factory
from django.utils import timezone

from titres.infos.enums import ArticleKind, ArticleStatus, Topic
from titres.infos.models import Article


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft question by default; `kind=ArticleKind.GUIDE` gets a real
    procedure, `published=True` a publication date in the past."""

    class Meta:
        model = Article

    class Params:
        published = factory.Trait(
            status=ArticleStatus.PUBLIE,
            published_at=factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1)),
        )

    kind = ArticleKind.FAQ
    status = ArticleStatus.BROUILLON
    slug = factory.Sequence(lambda n: f"contenu-{n}")
    topic = factory.LazyAttribute(lambda o: Topic.PERMIS if o.kind == ArticleKind.FAQ else "")
    procedure_code = factory.LazyAttribute(
        lambda o: "permis-de-conduire" if o.kind == ArticleKind.GUIDE else ""
    )
    title_fr = factory.Sequence(lambda n: f"Titre {n}")
    body_fr = "Un texte **en Markdown**."
