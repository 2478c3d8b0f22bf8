"""Signals other apps may listen to (this app never imports them).

payment_accepted(sender=Payment, payment=Payment): sent after commit when a
card payment (stamp or other fees) is accepted; `payment.metadata` carries
what the caller passed to start_card_payment."""

from django.dispatch import Signal

payment_accepted = Signal()
