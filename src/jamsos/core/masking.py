"""Masks for personal numbers shown where the full value is not needed (UU PDP)."""

from __future__ import annotations

import lokal


def mask_nik(nik: str) -> str:
    """``3204015708450001`` → ``3204********0001`` (enough to recognise, not to reuse)."""
    if len(nik) != 16:
        return "*" * len(nik)
    return str(lokal.partial_mask("NIK", nik))


def mask_phone(phone: str | None) -> str:
    """``+6281234567890`` → ``0812****7890``; empty for no phone."""
    if not phone:
        return ""
    return str(lokal.partial_mask("PHONE", phone))


def mask_email(email: str | None) -> str:
    """``siti.aminah@example.co.id`` → ``s*********h@example.co.id``; empty for no address."""
    if not email:
        return ""
    local, at, domain = email.partition("@")
    if not at:
        return "*" * len(email)
    if len(local) <= 2:
        return "*" * len(local) + "@" + domain
    return local[0] + "*" * (len(local) - 2) + local[-1] + "@" + domain
