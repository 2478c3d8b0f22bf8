"""Models of the job machinery that look personal to the consistency test."""

from titres.core.data_retention import NotPersonal

NOT_PERSONAL = [
    NotPersonal("jobs.WorkerHeartbeat", "nom de la machine d’un worker"),
    NotPersonal("jobs.SchedulerLease", "nom du bail et de l’instance du planificateur"),
    NotPersonal("jobs.ScheduledJob", "nom d’une tâche périodique"),
]
