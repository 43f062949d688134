"""What the coverage-read commands share: who acts, refusals, Indonesian-style numbers."""

from __future__ import annotations

import getpass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.formatting import format_number, format_rate


def refuse(message: str) -> CommandError:
    """A refusal: the message, exit status 2."""
    return CommandError(message, returncode=2)


def add_actor(parser: Any) -> None:
    parser.add_argument("--as", dest="username", help="Act as this account (default: operator)")
    parser.add_argument("--lang", choices=["id", "en"], default="id")


def scope_of(options: dict[str, Any]) -> Scope:
    """The operator (an administrator named after the OS user), or ``--as`` an account."""
    username = options.get("username")
    if not username:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "operator"
        return Scope.operator(name)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise refuse(f"Akun {username} tidak ada / no account named {username}.")
    return scope_for_user(user)


def num(value: int | None, lang: str) -> str:
    return "–" if value is None else format_number(value, lang)


def pct(value: Decimal | None, lang: str) -> str:
    return "–" if value is None else format_rate(value, lang)
