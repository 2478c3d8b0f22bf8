from .delivery import DeliveryStatus, TitleDelivery
from .meeting_points import (
    ClosurePeriod,
    CollectionDevice,
    ExceptionalOpening,
    MeetingPoint,
    OpeningRule,
)
from .register import Appointment, AppointmentApplication, PreDemande, Vendor
from .titles import IssuedTitle, TitleState

__all__ = [
    "Appointment",
    "AppointmentApplication",
    "ClosurePeriod",
    "DeliveryStatus",
    "CollectionDevice",
    "ExceptionalOpening",
    "IssuedTitle",
    "MeetingPoint",
    "OpeningRule",
    "PreDemande",
    "TitleDelivery",
    "TitleState",
    "Vendor",
]
