"""What the billing commands share: who is acting, refusals, numbers grouped the Indonesian way."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from jamsos.access.scope import Scope, scope_for_user


def number(value: int) -> str:
    """``1234567`` as ``1.234.567``."""
    return f"{value:,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """``1234567`` as ``Rp 1.234.567``."""
    return f"Rp {number(amount)}"


def refuse(message: str) -> CommandError:
    """A refusal: the message in the chosen language, exit status 2."""
    return CommandError(message, returncode=2)


def common_options(parser: Any) -> None:
    """``--as USERNAME`` (act as that account) and ``--lang id|en``."""
    parser.add_argument("--as", dest="username", help="Act as this account (default: operator)")
    parser.add_argument("--lang", choices=["id", "en"], default="id")


def operator_scope() -> Scope:
    """The operator at the server's command line, audited by their login name."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "operator"
    return Scope.operator(name)


def scope_from_options(options: dict[str, Any]) -> Scope:
    """The scope of ``--as USERNAME``, or the operator's when it is not given."""
    username = options.get("username")
    if not username:
        return operator_scope()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise refuse(f"Akun {username} tidak ada / no account named {username}.")
    return scope_for_user(user)
