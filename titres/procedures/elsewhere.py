"""Requests a person may look for on "Nouvelle demande" that this portal
does not handle, each with who handles it and where — so the page is never
a dead end. Apps declare theirs in `AppConfig.ready()` with
`register_elsewhere(ElsewhereRequest(...))`; the pages list them per
category (procedures/_elsewhere.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ElsewhereRequest:
    category: str  # procedures.enums.Category value
    code: str  # unique, stable (tests, anchors)
    title: str | Promise
    where: str | Promise  # who handles it, in a sentence
    url: str = ""  # the page where it is done (external or on this site)
    url_label: str | Promise = ""


_ELSEWHERE: dict[str, ElsewhereRequest] = {}


def register_elsewhere(*items: ElsewhereRequest) -> None:
    for item in items:
        _ELSEWHERE.setdefault(item.code, item)


def elsewhere_in(category: str) -> list[ElsewhereRequest]:
    return [item for item in _ELSEWHERE.values() if item.category == str(category)]
