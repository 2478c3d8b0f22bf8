"""The demo garage's stock: one used vehicle bought for resale (a real
déclaration d'achat through `declare_purchase`, so the registry shows the
purchase and the « cédé » entry), created once then found again."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from titres.core.demo import DemoCredential
from titres.procedures.validation import inspect_upload

from ..models import CessionDeclaration, ChangeOfHolder, Vehicle
from .models import PurchaseProof, StockVehicle
from .purchase_scan import CheckedScan
from .stock import Establishment, declare_purchase

ESTABLISHMENT = Establishment(
    address="12 avenue Jean Jaurès", postal_code="08000", commune="Charleville-Mézières"
)


def _candidate():
    """A vehicle nobody is dealing with: a titulaire, no inscription, no
    change of holder, no declaration of sale, never in a stock. From the
    generated crowd (the highest numbers; the hand-written vehicles of the
    citizens' demos come first and stay theirs)."""
    busy = ChangeOfHolder.objects.values_list("vehicle_id", flat=True)
    sold = CessionDeclaration.objects.values_list("vehicle_id", flat=True)
    stocked = StockVehicle.objects.values_list("vehicle_id", flat=True)
    vehicles = (
        Vehicle.objects.exclude(pk__in=busy)
        .exclude(pk__in=sold)
        .exclude(pk__in=stocked)
        .exclude(formule_number="")
        .filter(situations__isnull=True)
        .order_by("-pk")
    )
    for vehicle in vehicles[:20]:
        titulaire = vehicle.titulaire
        if titulaire is not None and not titulaire.is_company:
            return vehicle, titulaire
    return None, None


def _demo_scan(vehicle, day, company) -> CheckedScan:
    """A drawn « certificat barré » (the demo has no real scan): the plate,
    a diagonal bar and « vendu le … à … »; our own image, so only the
    format checks run (no antivirus is needed for it)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 1180, 780), outline="black", width=4)
    draw.text((60, 60), f"CERTIFICAT D'IMMATRICULATION  {vehicle.plate_display}", fill="black")
    draw.line((40, 760, 1160, 40), fill="black", width=8)
    draw.text((300, 420), f"VENDU LE {day:%d/%m/%Y} A 10H15 A {company}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    upload = SimpleUploadedFile("certificat-barre.png", buffer.getvalue(), "image/png")
    return CheckedScan(upload, inspect_upload(upload, size=upload.size))


def load(garage, habilitation) -> list[DemoCredential]:
    entry = StockVehicle.objects.filter(owner=garage).select_related("vehicle").first()
    if entry is None:
        vehicle, titulaire = _candidate()
        if vehicle is None:
            return []
        day = timezone.localdate() - timedelta(days=3)
        entry = declare_purchase(
            vehicle=vehicle,
            habilitation=habilitation,
            seller_names=(titulaire.usage_name or titulaire.last_name, titulaire.first_names),
            # Never in the future: a vehicle registered today, loaded before 10:15.
            purchased_at=min(
                timezone.make_aware(datetime.combine(max(day, vehicle.ci_date), time(10, 15))),
                timezone.now(),
            ),
            mileage=84_500,
            proof=PurchaseProof.CERTIFICAT,
            certificate=_demo_scan(
                vehicle, max(day, vehicle.ci_date), habilitation.organisation_name
            ),
            establishment=ESTABLISHMENT,
            actor=garage,
        )
    vehicle = entry.vehicle
    state = (
        "en stock"
        if entry.in_stock
        else f"revendu (déclaration de cession {entry.resale.registration_number})"
    )
    return [
        DemoCredential(
            "Professionnel habilité SIV : véhicule en stock (déclaration d’achat)",
            vehicle.plate_display,
            reverse("vehicules:pro_stock"),
            f"{vehicle.make} {vehicle.commercial_name} acheté le "
            f"{timezone.localtime(entry.purchased_at):%d/%m/%Y} à {entry.seller_name}, "
            f"déclaration d’achat n° {entry.registration_number}, {state}",
        )
    ]
