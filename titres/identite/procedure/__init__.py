"""The téléprocédure "Pré-demande carte d’identité / passeport" in the
engine. Registered by IdentiteConfig.ready()."""

from .definition import CODE, register

__all__ = ["CODE", "register"]
