"""The workers' self-service writers: accounts, one-time codes, signing in (accounts.py)."""

from jamsos.selfservice.services.accounts import (
    CODE_DIGITS,
    CODE_KIND,
    CODE_MINUTES,
    MAX_TRIES,
    CodeSent,
    code_request,
    identity_check,
    otp_send,
    password_set_with_code,
    worker_account,
    worker_account_ensure,
    worker_scope,
    worker_sign_in,
)

__all__ = [
    "CODE_DIGITS",
    "CODE_KIND",
    "CODE_MINUTES",
    "MAX_TRIES",
    "CodeSent",
    "code_request",
    "identity_check",
    "otp_send",
    "password_set_with_code",
    "worker_account",
    "worker_account_ensure",
    "worker_scope",
    "worker_sign_in",
]
