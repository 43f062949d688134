"""`jamsos users ...`: give accounts a role, list them, issue and revoke API tokens.

::

    jamsos users grant USERNAME --role ROLE [--branch CODE | --employer NPP | --person NIK |
                                             --partner REF [--region CODE ...]] [--password-prompt]
    jamsos users list [--role ROLE] [--tokens]
    jamsos users token USERNAME --name NAME [--days N]      # prints the token once
    jamsos users revoke-token PREFIX                        # jms_abcd, or the whole token

The operator at the command line acts as an administrator; grants and tokens are written to the
audit trail under the operating-system user's name, with channel ``cli``.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.cli import operator_scope
from jamsos.access.models import ApiToken, AuditAction, Role, UserAccess
from jamsos.access.services import TOKEN_PREFIX, api_token_issue, api_token_revoke, token_digest
from jamsos.core.cli import text_table
from jamsos.core.errors import ApplicationError
from jamsos.core.masking import mask_nik
from jamsos.membership.models import BranchOffice
from jamsos.membership.selectors import employer_get_by_npp, person_get_by_nik
from jamsos.membership.services.accounts import user_access_grant
from jamsos.registry.selectors import region_get

#: The option that binds each role, as the operator types it.
BINDING_OPTION = {
    Role.BRANCH_OFFICER: "branch",
    Role.EMPLOYER_USER: "employer",
    Role.WORKER: "person",
    Role.AGENT: "person",
    Role.PARTNER_USER: "partner",
}


class Command(BaseCommand):
    help = (
        "Accounts and roles: `grant` a role bound to an office, employer, person or partner; "
        "`list` the accounts; issue a `token` for the API; `revoke-token`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        grant = sub.add_parser("grant", help="Give an account (created if needed) a role")
        grant.add_argument("username")
        grant.add_argument("--role", required=True, choices=[r.value for r in Role])
        binding = grant.add_mutually_exclusive_group()
        binding.add_argument("--branch", metavar="CODE", help="Branch officer: the office code")
        binding.add_argument("--employer", metavar="NPP", help="Employer user: the employer")
        binding.add_argument("--person", metavar="NIK", help="Worker: the person's NIK")
        binding.add_argument("--partner", metavar="REF", help="Partner user: the partner ref")
        grant.add_argument(
            "--region",
            action="append",
            default=[],
            metavar="CODE",
            help="Partner user: a region of the agreement (repeat for several)",
        )
        grant.add_argument(
            "--password-prompt", action="store_true", help="Ask for a password to sign in"
        )
        grant.add_argument("--email", default="")

        listing = sub.add_parser("list", help="Accounts, their roles and active tokens")
        listing.add_argument("--role", choices=[r.value for r in Role])
        listing.add_argument("--tokens", action="store_true", help="Also list each token")

        token = sub.add_parser("token", help="Issue an API token; it is printed once")
        token.add_argument("username")
        token.add_argument("--name", required=True, help="What the token is for")
        token.add_argument(
            "--days", type=int, default=90, help="Days until it expires (0: never; default 90)"
        )

        revoke = sub.add_parser("revoke-token", help="Revoke a token by its prefix")
        revoke.add_argument("prefix", help="The prefix shown by `list --tokens`, or the token")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    # --- grant -------------------------------------------------------------------------------

    def do_grant(self, options: dict[str, Any]) -> None:
        role = Role(options["role"])
        by = operator_scope()
        needed = BINDING_OPTION.get(role)
        for option in BINDING_OPTION.values():
            if options[option] and option != needed:
                raise CommandError(f"--{option} does not apply to role {role.value}.")
        if needed and not options[needed]:
            raise CommandError(f"Role {role.value} needs --{needed}.")
        if options["region"] and role != Role.PARTNER_USER:
            raise CommandError("--region applies to partner users only.")
        bindings: dict[str, Any] = {}
        if options["branch"]:
            office = BranchOffice.objects.filter(code=options["branch"].strip().upper()).first()
            if office is None:
                raise CommandError(f"No branch office has the code {options['branch']!r}.")
            bindings["branch_office"] = office
        if options["employer"]:
            bindings["employer"] = employer_get_by_npp(by, npp=options["employer"])
        if options["person"]:
            bindings["person"] = person_get_by_nik(by, nik=options["person"])
        if options["partner"]:
            bindings["partner_ref"] = options["partner"]
            bindings["partner_regions"] = [region_get(code) for code in options["region"]]
        password = self._password(options["username"]) if options["password_prompt"] else None
        access = user_access_grant(
            username=options["username"],
            role=role.value,
            password=password,
            email=options["email"],
            by=by,
            **bindings,
        )
        bound = _bound_to(access)
        suffix = f" of {bound}." if bound else "."
        self.stdout.write(f"{access.user.get_username()} is now {role.value}{suffix}")
        if not access.user.has_usable_password():
            self.stdout.write(
                "The account has no password: it signs in with an API token "
                f"(`jamsos users token {access.user.get_username()} --name NAME`), or run grant "
                "again with --password-prompt."
            )

    def _password(self, username: str) -> str:
        first = getpass.getpass(f"Password for {username}: ")
        second = getpass.getpass("Again: ")
        if first != second:
            raise CommandError("The two passwords differ; nothing was changed.")
        users = get_user_model()
        user = users.objects.filter(username=username).first() or users(username=username)
        try:
            password_validation.validate_password(first, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        return first

    # --- list --------------------------------------------------------------------------------

    def do_list(self, options: dict[str, Any]) -> None:
        now = timezone.now()
        live = Q(jamsos_api_tokens__revoked_at__isnull=True) & (
            Q(jamsos_api_tokens__expires_at__isnull=True) | Q(jamsos_api_tokens__expires_at__gt=now)
        )
        users = (
            get_user_model()
            .objects.select_related(
                "jamsos_access__branch_office",
                "jamsos_access__employer",
                "jamsos_access__person",
            )
            .annotate(live_tokens=Count("jamsos_api_tokens", filter=live))
            .order_by("username")
        )
        if options["role"] == Role.ADMIN:
            users = users.filter(Q(is_superuser=True) | Q(jamsos_access__role=Role.ADMIN))
        elif options["role"]:
            users = users.filter(jamsos_access__role=options["role"], is_superuser=False)
        rows = []
        for user in users:
            access = getattr(user, "jamsos_access", None)
            role = "admin" if user.is_superuser else (access.role if access else "-")
            rows.append(
                [
                    user.get_username(),
                    role,
                    (_bound_to(access) if access else "") or "-",
                    "yes" if user.is_active else "no",
                    user.last_login.strftime("%Y-%m-%d %H:%M") if user.last_login else "-",
                    str(user.live_tokens),
                ]
            )
        if not rows:
            self.stdout.write("No accounts.")
            return
        header = ["USERNAME", "ROLE", "BOUND TO", "ACTIVE", "LAST LOGIN", "TOKENS"]
        self.stdout.write(text_table(rows, header))
        if options["tokens"]:
            self._tokens([row[0] for row in rows])

    def _tokens(self, usernames: list[str]) -> None:
        tokens = ApiToken.objects.filter(user__username__in=usernames).select_related("user")
        rows = [
            [
                t.prefix,
                t.user.get_username(),
                t.name,
                t.created_at.strftime("%Y-%m-%d"),
                t.expires_at.strftime("%Y-%m-%d") if t.expires_at else "never",
                t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "-",
                "revoked" if t.revoked_at else "active",
            ]
            for t in tokens.order_by("user__username", "-created_at")
        ]
        self.stdout.write("")
        if not rows:
            self.stdout.write("No tokens.")
            return
        header = ["PREFIX", "USERNAME", "NAME", "CREATED", "EXPIRES", "LAST USED", "STATE"]
        self.stdout.write(text_table(rows, header))

    # --- tokens ------------------------------------------------------------------------------

    def do_token(self, options: dict[str, Any]) -> None:
        days = options["days"]
        if days < 0:
            raise CommandError("--days must be 0 (never expires) or more.")
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"No account named {options['username']!r}; create it with `jamsos users grant`."
            )
        if not user.is_active:
            raise CommandError(f"The account {options['username']!r} is disabled.")
        issued = api_token_issue(user=user, name=options["name"], days=days or None)
        audit_record(
            operator_scope(),
            AuditAction.CREATE,
            issued.token,
            label=f"{user.get_username()}: {issued.token}",
            detail={"user": user.get_username(), "days": days or None},
        )
        expires = issued.token.expires_at
        until = f"expires {timezone.localtime(expires):%Y-%m-%d}" if expires else "never expires"
        self.stdout.write(f"API token {issued.token.prefix}… for {user.get_username()} ({until}):")
        self.stdout.write(issued.raw)
        self.stdout.write(
            "It is shown this once: store it now. Send it as `Authorization: Bearer <token>`; "
            f"revoke it with `jamsos users revoke-token {issued.token.prefix}`."
        )

    def do_revoke_token(self, options: dict[str, Any]) -> None:
        given = options["prefix"].strip()
        if not given.startswith(TOKEN_PREFIX) or len(given) < len(TOKEN_PREFIX) + 4:
            raise CommandError(f"A token prefix looks like {TOKEN_PREFIX}abcd.")
        prefix = given[: len(TOKEN_PREFIX) + 4]
        active = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if len(given) > len(prefix):  # the whole token: that one exactly
            candidates = list(active.filter(digest=token_digest(given)))
        else:
            candidates = list(active.filter(prefix=prefix))
        if not candidates:
            raise CommandError(f"No active token starts with {prefix}.")
        if len(candidates) > 1:
            names = ", ".join(f"{t.user.get_username()}/{t.name}" for t in candidates)
            raise CommandError(
                f"{len(candidates)} active tokens start with {prefix} ({names}); "
                "pass the whole token to choose one."
            )
        (token,) = candidates
        api_token_revoke(token=token)
        audit_record(
            operator_scope(),
            AuditAction.UPDATE,
            token,
            label=f"{token.user.get_username()}: {token}",
            changes={"revoked": [False, True]},
        )
        self.stdout.write(f"Revoked {token.prefix}… ({token.name}) of {token.user.get_username()}.")


def _bound_to(access: UserAccess | None) -> str:
    if access is None:
        return ""
    if access.branch_office is not None:
        return str(access.branch_office)
    if access.employer is not None:
        return str(access.employer)
    if access.person is not None:
        return f"{access.person.name} ({mask_nik(access.person.nik)})"
    return access.partner_ref
