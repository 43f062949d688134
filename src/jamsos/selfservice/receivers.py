"""On a BPU registration: the worker's account (self-registration) and, for a participant
paying for themselves, the virtual account and the first month's invoice at once."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from jamsos.billing.errors import AdvancePastParameters, RunInProgress
from jamsos.billing.services.participants import participant_bill, self_paying
from jamsos.membership.models import Channel, Membership
from jamsos.membership.signals import bpu_registered
from jamsos.selfservice.services import worker_account_ensure

log = logging.getLogger(__name__)


def on_bpu_registered(sender: Any, *, membership: Membership, by: Any = None, **_: Any) -> None:
    """Runs inside the registration's transaction: a failure here undoes the registration,
    except the two cases where the month simply cannot be billed at once (a billing run of the
    month is running, or the month is past the known parameters): the run bills it then."""
    if membership.channel == Channel.SELF:
        worker_account_ensure(membership.person)
    if not getattr(settings, "BILL_BPU_AT_REGISTRATION", True) or not self_paying(membership):
        return
    try:
        participant_bill(membership, months=1, by=None)
    except (RunInProgress, AdvancePastParameters) as refusal:
        log.info("first invoice of %s left to the billing run: %s", membership.kpj, refusal.code)


bpu_registered.connect(on_bpu_registered, dispatch_uid="jamsos.selfservice.on_bpu_registered")
