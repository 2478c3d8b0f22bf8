"""Audit event codes of `infos`: the operators' edits of the information
pages (questions fréquentes, guides « Tout savoir », actualités)."""

from titres.core.audit import AuditCode


class InfosEvent(AuditCode):
    ARTICLE_CREATED = "infos.article_created"
    ARTICLE_CHANGED = "infos.article_changed"
    ARTICLE_PUBLISHED = "infos.article_published"
    ARTICLE_UNPUBLISHED = "infos.article_unpublished"
