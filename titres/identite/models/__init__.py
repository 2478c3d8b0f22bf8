from .delivery import DeliveryStatus, TitleDelivery
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
    "DeliveryStatus",
    "CollectionDevice",
    "ExceptionalOpening",
    "MeetingPoint",
    "OpeningRule",
    "PreDemande",
    "TitleDelivery",
    "Vendor",
]
