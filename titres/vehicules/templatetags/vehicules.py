"""Template helpers of the buyer's wizard pages."""

import datetime

from django import forms, template
from django.utils.translation import gettext as _

from titres.core.pdf import amount
from titres.procedures.registry import FormStep, display_value, find_procedure

from ..changement import state
from ..changement.payment import breakdown_for
from ..selectors import mask

register = template.Library()


@register.filter
def euros(cents) -> str:
    """1234 → "12,34 €" (the portal's amounts are integer cents)."""
    try:
        return amount(int(cents))
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def former_holder(demarche):
    """The current titulaire, partially masked as a person expects
    (first letter of each name, then asterisks)."""
    vehicle = state.vehicle_of(demarche)
    holder = vehicle.titulaire if vehicle else None
    if holder is None:
        return None
    if holder.is_company:
        name = holder.company_name
    else:
        name = f"{mask(holder.usage_name or holder.last_name)} {mask(holder.first_names.split(',')[0])}"
    return {
        "plate": vehicle.plate_display,
        "vehicle": f"{vehicle.make} {vehicle.commercial_name}",
        "name": name,
        "commune": holder.commune,
    }


def _display(field_, value) -> str:
    """A stored answer as people read it (JJ/MM/AAAA, HH:MM, labels)."""
    if isinstance(value, str) and isinstance(field_, forms.TimeField):
        return value[:5]
    if isinstance(value, str) and isinstance(field_, forms.DateField):
        try:
            return datetime.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return display_value(field_, value)


@register.simple_tag
def recap_sections(demarche):
    """(step title, rows) of every filled step before the récapitulatif."""
    definition = find_procedure(demarche.procedure_code)
    sections = []
    for step in definition.applicable_steps(demarche):
        if step.slug in (state.SUMMARY, state.PAYMENT):
            break
        if not isinstance(step, FormStep):
            rows = step.summary(demarche)
        else:
            stored = (demarche.answers or {}).get(step.slug) or {}
            form = step.get_form(demarche)
            rows = [
                (str(field_.label), _display(field_, stored.get(name)))
                for name, field_ in form.fields.items()
                if stored.get(name) not in (None, "", False)
                or isinstance(field_, forms.BooleanField)
            ]
        if step.slug == state.START:
            vehicle = state.vehicle_of(demarche)
            if vehicle:
                rows.append(
                    (
                        _("Véhicule"),
                        f"{vehicle.make} {vehicle.commercial_name} ({vehicle.plate_display})",
                    )
                )
            rows = [
                (label, "•••••••••" if label == str(_("Code de cession")) else value)
                for label, value in rows
            ]
        sections.append((step.title, rows))
    return sections


@register.simple_tag
def tax_breakdown(demarche):
    return breakdown_for(demarche)


@register.simple_tag
def address_outcome(demarche):
    """What an address change will bring if filed now (label n° n or a
    new certificate), shown before the holder confirms."""
    from ..certificat.adresse import outcome

    return outcome(demarche)
