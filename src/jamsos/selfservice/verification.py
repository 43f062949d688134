"""The verification QR of a digital membership card: a signed token naming the membership
without showing its number, and what the public page shows of it (a masked name, a masked KPJ,
active or not).

The membership's id is first passed through a keyed permutation (a four-round Feistel network
with HMAC-SHA256 rounds, keyed by the secret key), then signed with
:mod:`django.core.signing`: the token cannot be forged, and reading its payload gives neither
the id nor the order of registrations.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from jamsos.membership.models import Membership, Status

SALT = "jamsos.selfservice.card"
_HALF = 32
_MASK = (1 << _HALF) - 1
_ROUNDS = 4


def _round(value: int, number: int) -> int:
    key = f"{SALT}:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, f"{number}:{value}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def _permute(value: int, *, backwards: bool = False) -> int:
    left, right = value >> _HALF & _MASK, value & _MASK
    rounds = range(_ROUNDS - 1, -1, -1) if backwards else range(_ROUNDS)
    for number in rounds:
        if backwards:
            left, right = right ^ _round(left, number), left
        else:
            left, right = right, left ^ _round(right, number)
    return left << _HALF | right


def card_token(membership: Membership) -> str:
    """The token of the card's QR code (no expiry: the card is printed)."""
    return signing.dumps(format(_permute(int(membership.pk)), "x"), salt=SALT, compress=False)


def membership_of_token(token: str) -> Membership | None:
    """The membership a token names; ``None`` for a token not made here."""
    try:
        value = int(str(signing.loads(token, salt=SALT)), 16)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not 0 <= value < 1 << 2 * _HALF:
        return None
    found = Membership.objects.select_related("person")
    return found.filter(pk=_permute(value, backwards=True)).first()


def mask_name(name: str) -> str:
    """``Neneng Hasanah`` → ``N***** H******``: each word's first letter."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split() if word)


def mask_kpj(kpj: str) -> str:
    """``26010000123`` → ``260*****123``."""
    if len(kpj) < 7:
        return "*" * len(kpj)
    return kpj[:3] + "*" * (len(kpj) - 6) + kpj[-3:]


@dataclass(frozen=True)
class Verified:
    name: str
    kpj: str
    active: bool


def verify(token: str) -> Verified | None:
    membership = membership_of_token(token)
    if membership is None:
        return None
    return Verified(
        name=mask_name(membership.person.name),
        kpj=mask_kpj(membership.kpj),
        active=membership.status == Status.ACTIVE,
    )
