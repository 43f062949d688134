"""Who acts at the command line: the operator, or ``--as`` an account, with its scope."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model

from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.cli import refuse


def common_options(parser: Any) -> None:
    """``--as USERNAME`` (act as that account) and ``--lang id|en``."""
    parser.add_argument("--as", dest="username", help="Act as this account (default: operator)")
    parser.add_argument("--lang", choices=["id", "en"], default="id")


def operator_scope() -> Scope:
    """The operator at the server's command line, audited as ``cli:<login name>``."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        name = "operator"
    return Scope.operator(f"cli:{name}")


def scope_from_options(options: dict[str, Any]) -> Scope:
    """The scope of ``--as USERNAME``, or the operator's when it is not given."""
    username = options.get("username")
    if not username:
        return operator_scope()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise refuse(f"Akun {username} tidak ada / no account named {username}.")
    return scope_for_user(user)
