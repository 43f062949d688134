"""What every command shares: refusals with exit status 2, numbers grouped the Indonesian way."""

from __future__ import annotations

from django.core.management.base import CommandError


def number(value: int) -> str:
    """``1234567`` as ``1.234.567``."""
    return f"{value:,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """``1234567`` as ``Rp 1.234.567``."""
    return f"Rp {number(amount)}"


def refuse(message: str) -> CommandError:
    """A refusal: the message in the chosen language, exit status 2."""
    return CommandError(message, returncode=2)
