"""Signals of the membership services, for the apps above that act on a registration."""

from django.dispatch import Signal

#: Sent inside the transaction of :func:`jamsos.membership.services.bpu_self_register`, with
#: ``membership`` (the new BPU membership) and ``by`` (the caller's scope or None).
bpu_registered = Signal()
