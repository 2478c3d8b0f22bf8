"""Screens of other apps offered in the agents' menu (e.g. the licence app's
"Résultats d'examen"): the back office lists them for the agents holding
their permission without importing those apps (tests/test_backoffice_boundary.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class AgentTool:
    label: str
    url_name: str
    # "app_label.codename": only agents holding it see the entry.
    permission: str


_TOOLS: list[AgentTool] = []


def register_agent_tool(tool: AgentTool) -> AgentTool:
    """Called from an app's ready(); registering twice is a no-op."""
    if tool not in _TOOLS:
        _TOOLS.append(tool)
    return tool


def registered_tools() -> list[AgentTool]:
    return list(_TOOLS)


def tools_for(user) -> list[tuple[str, str, str]]:
    """(label, url, url_name) of the tools `user` may open."""
    return [
        (str(tool.label), reverse(tool.url_name), tool.url_name.rsplit(":", 1)[-1])
        for tool in _TOOLS
        if user.has_perm(tool.permission)
    ]
