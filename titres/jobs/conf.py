"""Settings of the job machinery, read once per call so tests can override
them. Documented in docs/operations.md ("Background tasks")."""

import random

from django.conf import settings


def lease_seconds() -> int:
    """How long a claimed task stays owned without a heartbeat; after
    that the reaper considers its worker dead."""
    return int(getattr(settings, "TASKS_LEASE_SECONDS", 60))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "TASKS_HEARTBEAT_SECONDS", max(1, lease_seconds() // 4)))


def max_attempts() -> int:
    return int(getattr(settings, "TASKS_MAX_ATTEMPTS", 5))


def retry_delay(attempt: int) -> float:
    """Exponential backoff after the `attempt`-th failed try, capped, with
    ±10 % jitter so the retries of one outage do not arrive together."""
    base = float(getattr(settings, "TASKS_RETRY_BASE_SECONDS", 30))
    cap = float(getattr(settings, "TASKS_RETRY_MAX_SECONDS", 3600))
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.9, 1.1)


def orphan_seconds() -> int:
    """A RUNNING task without any lease (claimed by a worker that does not
    take leases) is considered abandoned after this long."""
    return int(getattr(settings, "TASKS_ORPHAN_SECONDS", 3600))


def worker_seen_seconds() -> float:
    """A worker whose last heartbeat is older than this is reported dead."""
    return float(getattr(settings, "TASKS_WORKER_SEEN_SECONDS", 3 * heartbeat_seconds()))


def max_wait_seconds() -> int:
    """Oldest acceptable age of a waiting task before the probe fails."""
    return int(getattr(settings, "TASKS_MAX_WAIT_SECONDS", 300))


def queues() -> list[str]:
    return list(settings.TASKS["default"].get("QUEUES") or ["default"])


def scheduler_lease_seconds() -> int:
    """How long the active scheduler stays in charge without renewing;
    after that another instance takes over."""
    return int(getattr(settings, "SCHEDULER_LEASE_SECONDS", 30))


def scheduler_renew_seconds() -> float:
    return max(0.2, scheduler_lease_seconds() / 3)


def scheduler_periods() -> dict[str, int]:
    """Per-job period overrides in seconds (0 disables the job)."""
    return {k: int(v) for k, v in (getattr(settings, "SCHEDULER_PERIODS", None) or {}).items()}


def scheduler_grace_seconds() -> int:
    """How late a job may be before the probe reports it overdue."""
    return int(getattr(settings, "SCHEDULER_GRACE_SECONDS", 300))


def scheduler_threads() -> int:
    return int(getattr(settings, "SCHEDULER_THREADS", 2))


def scheduler_runs_kept_days() -> int:
    return int(getattr(settings, "SCHEDULER_RUNS_KEPT_DAYS", 90))
