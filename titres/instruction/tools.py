"""Screens of other apps offered in the agents' menu (e.g. the licence app's
"Résultats d'examen"): the back office lists them for the agents holding
their permission without importing those apps (tests/test_backoffice_boundary.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse

# Which tools an agent may see is read once a minute per process, not on
# every page (it was two permission queries on each agent page). Only the
# menu entry waits: each tool's view checks the permission itself.
VISIBILITY_TTL = 60.0
_MAX_CACHED_AGENTS = 10_000


@dataclass(frozen=True)
class AgentTool:
    label: str
    url_name: str
    # "app_label.codename": only agents holding it see the entry.
    permission: str


_TOOLS: list[AgentTool] = []
_visible: dict[int, tuple[float, frozenset[str]]] = {}


def register_agent_tool(tool: AgentTool) -> AgentTool:
    """Called from an app's ready(); registering twice is a no-op."""
    if tool not in _TOOLS:
        _TOOLS.append(tool)
    return tool


def registered_tools() -> list[AgentTool]:
    return list(_TOOLS)


def _held_permissions(user) -> frozenset[str]:
    """The tools' permissions `user` holds, directly or through a group, in
    one query (a superuser holds them all)."""
    wanted = {tool.permission for tool in _TOOLS}
    if not wanted or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(wanted)
    codenames = {permission.split(".", 1)[1] for permission in wanted}
    rows = (
        Permission.objects.filter(Q(user=user) | Q(group__user=user), codename__in=codenames)
        .values_list("content_type__app_label", "codename")
        .distinct()
    )
    return frozenset(f"{app}.{codename}" for app, codename in rows) & wanted


def visible_permissions(user) -> frozenset[str]:
    now = time.monotonic()
    cached = _visible.get(user.pk)
    if cached is not None and now - cached[0] < VISIBILITY_TTL:
        return cached[1]
    if len(_visible) >= _MAX_CACHED_AGENTS:
        _visible.clear()
    held = _held_permissions(user)
    _visible[user.pk] = (now, held)
    return held


def forget_visibility() -> None:
    """Drop what was read (tests that change an agent's permissions)."""
    _visible.clear()


def tools_for(user) -> list[tuple[str, str, str]]:
    """(label, url, url_name) of the tools `user` may open."""
    if not _TOOLS:
        return []
    held = visible_permissions(user)
    return [
        (str(tool.label), reverse(tool.url_name), tool.url_name.rsplit(":", 1)[-1])
        for tool in _TOOLS
        if tool.permission in held
    ]
