"""Audit event codes of `jobs`: background tasks recovered or retried.

The only values `record_event` accepts for this app (see titres/core/audit.py).
"""

from titres.core.audit import AuditCode


class JobsEvent(AuditCode):
    TASK_REQUEUED = "jobs.task_requeued"
    TASK_ABANDONED = "jobs.task_abandoned"
    TASK_RETRIED = "jobs.task_retried"
    SCHEDULED_RUN_SUCCEEDED = "jobs.scheduled_run_succeeded"
    SCHEDULED_RUN_FAILED = "jobs.scheduled_run_failed"
    SCHEDULER_LEADING = "jobs.scheduler_leading"
