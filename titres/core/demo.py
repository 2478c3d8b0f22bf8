"""Demonstration data framework.

Each app may provide `titres/<app>/demo.py` with `load() -> list[DemoCredential]`.
`manage.py load_demo` calls them in INSTALLED_APPS order (so accounts exist
before procedures that use them) and prints every credential returned.
Loaders must be idempotent: `make run` calls them at every start."""

from dataclasses import dataclass


@dataclass
class DemoCredential:
    role: str
    identifier: str
    secret: str
    note: str = ""
