"""Tasks the job tests run through the database backend."""

from django_tasks import task

CALLS: list[str] = []


@task()
def always_fails(label: str) -> None:
    CALLS.append(label)
    raise RuntimeError(f"échec {label}")


@task()
def interrupted(label: str) -> None:
    CALLS.append(label)
    raise SystemExit(1)  # what the library's worker raises on a second SIGTERM


@task()
def succeeds(label: str) -> str:
    CALLS.append(label)
    return label
