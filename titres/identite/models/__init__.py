from .meeting_points import (
    ClosurePeriod,
    CollectionDevice,
    ExceptionalOpening,
    MeetingPoint,
    OpeningRule,
)
from .register import Appointment, AppointmentApplication, PreDemande, Vendor

__all__ = [
    "Appointment",
    "AppointmentApplication",
    "ClosurePeriod",
    "CollectionDevice",
    "ExceptionalOpening",
    "MeetingPoint",
    "OpeningRule",
    "PreDemande",
    "Vendor",
]
