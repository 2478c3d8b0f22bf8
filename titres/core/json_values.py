"""Values as they are written into JSON documents a person or an operator
reads (the right-of-access export, health probes)."""


def iso(value) -> str | None:
    """A date or datetime in ISO 8601, None when there is none."""
    return value.isoformat() if value else None
