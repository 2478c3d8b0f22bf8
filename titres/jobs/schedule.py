"""The periodic jobs: what runs, how often, in one list.

Each job is an existing management command (the same one an operator runs
by hand), so the scheduler adds no second way of doing the work. Periods
can be changed or a job disabled (0) with `SCHEDULER_PERIODS`
(docs/operations.md, "Periodic jobs"). `manage.py schedule` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import conf

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    command: str
    period: int  # seconds
    description: str | Promise
    args: tuple[str, ...] = ()


# Periods: as often as the work becomes due and no more than its cost allows
# (the journal verification and the orphan sweep read everything).
DEFAULT_JOBS = (
    PeriodicJob(
        "reap_tasks",
        "reap_tasks",
        MINUTE,
        _("remet en file les tâches des workers morts (bail expiré)"),
    ),
    # The dashboards flush before they read; this bounds what waits in Redis
    # (a minute of calls) without a run, a JobRun and an audit event every
    # few seconds. SCHEDULER_PERIODS="flush_call_logs=10" if it must be less.
    PeriodicJob(
        "flush_call_logs",
        "flush_call_logs",
        MINUTE,
        _("écrit en base le journal des appels de l’API partenaires mis en attente dans Redis"),
    ),
    PeriodicJob(
        "probe_availability",
        "probe_availability",
        MINUTE,
        _("sonde la disponibilité du portail (page de disponibilité de l’API partenaires)"),
    ),
    PeriodicJob(
        "restore_suspended_accounts",
        "restore_suspended_accounts",
        5 * MINUTE,
        _("lève les suspensions temporaires arrivées à leur terme"),
    ),
    PeriodicJob(
        "expire_stamps",
        "expire_stamps",
        HOUR,
        _("expire les timbres de plus de 12 mois et les paiements abandonnés"),
    ),
    PeriodicJob(
        "release_stale_appointments",
        "release_stale_appointments",
        HOUR,
        _("libère les rendez-vous passés ni honorés ni marqués absents"),
    ),
    PeriodicJob(
        "expire_drafts",
        "expire_drafts",
        DAY,
        _("abandonne les brouillons restés sans modification (PROCEDURES_DRAFT_TTL_DAYS)"),
    ),
    PeriodicJob(
        "expire_predemandes",
        "expire_predemandes",
        DAY,
        _("expire les pré-demandes dépassant leur durée de validité"),
    ),
    PeriodicJob(
        "send_appointment_reminders",
        "send_appointment_reminders",
        DAY,
        _("envoie le rappel des rendez-vous ayant lieu dans deux jours"),
    ),
    PeriodicJob(
        "flag_uncollected_titles",
        "flag_uncollected_titles",
        DAY,
        _("signale les titres non retirés en mairie depuis trois mois"),
    ),
    PeriodicJob(
        "credit_probation_points",
        "credit_probation_points",
        DAY,
        _("crédite les points annuels des permis probatoires à chaque anniversaire"),
    ),
    PeriodicJob(
        "reconcile_payments",
        "reconcile_payments",
        DAY,
        _("rapproche paiements, timbres et grand livre"),
    ),
    PeriodicJob(
        "verify_journal",
        "verify_journal",
        DAY,
        _("vérifie la chaîne d’empreintes du journal d’audit"),
    ),
    PeriodicJob(
        "purge_personal_data",
        "purge_personal_data",
        DAY,
        _("applique les règles de conservation des données personnelles (docs/retention.md)"),
    ),
    PeriodicJob(
        "notify_token_expiry",
        "notify_token_expiry",
        DAY,
        _("prévient les partenaires 90, 30 et 7 jours avant l’expiration de leurs jetons"),
    ),
    PeriodicJob(
        "remind_retirements",
        "remind_retirements",
        DAY,
        _("rappelle aux partenaires les retraits de versions de l’API à un mois"),
    ),
    PeriodicJob(
        "sweep_orphan_files",
        "sweep_orphan_files",
        DAY,
        _("supprime les fichiers de pièces sans document et signale les fichiers manquants"),
    ),
)


def periodic_jobs() -> list[PeriodicJob]:
    """The jobs to run, with their configured periods; disabled ones left out."""
    overrides = conf.scheduler_periods()
    unknown = set(overrides) - {job.name for job in DEFAULT_JOBS}
    if unknown:
        raise ValueError(f"SCHEDULER_PERIODS : tâche(s) inconnue(s) {', '.join(sorted(unknown))}")
    jobs = []
    for job in DEFAULT_JOBS:
        period = overrides.get(job.name, job.period)
        if period > 0:
            jobs.append(PeriodicJob(job.name, job.command, period, job.description, job.args))
    return jobs


def job_named(name: str) -> PeriodicJob:
    for job in periodic_jobs():
        if job.name == name:
            return job
    raise KeyError(name)


def human_period(seconds: int) -> str:
    for unit, label in ((DAY, "j"), (HOUR, "h"), (MINUTE, "min")):
        if seconds >= unit and seconds % unit == 0:
            return f"{seconds // unit} {label}"
    return f"{seconds} s"
