"""Who may do what: one table per app, action → the roles allowed and the scope rule in words.

Each app states its table once, in ``jamsos.<app>.policy``, on the machinery here::

    MEMBERSHIP = Policy("membership", {
        "person.correct": Rule(
            roles={Role.ADMIN, Role.BRANCH_OFFICER, Role.WORKER},
            scope="within the caller's scope; a worker only their own phone",
            says={"id": "mengubah data peserta", "en": "change a participant's data"},
        ),
    })

The services and selectors call ``MEMBERSHIP.require(by, "person.correct")`` before they read
or write anything (as they already filter by the caller's :class:`~jamsos.access.scope.Scope`);
pages and the API call ``MEMBERSHIP.allows(scope, "person.correct")`` only to show or hide links
and buttons, and answer 403 from the :class:`~jamsos.core.errors.NotPermitted` a service
raises. The role decides whether an action is possible at all; which records it reaches is the
scope's business (a record outside the scope is "not found"), described by ``Rule.scope``.

The tables are listed in docs/policies.md; ``jamsos.access.tests.test_policies`` holds the
expected role × action table of every app and checks both against the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.core.errors import NotPermitted

ROLE_NAMES = {
    Role.ADMIN: {"id": "administrator", "en": "administrator"},
    Role.BRANCH_OFFICER: {"id": "petugas kantor cabang", "en": "branch officer"},
    Role.PARTNER_USER: {"id": "pengguna mitra", "en": "partner user"},
    Role.EMPLOYER_USER: {"id": "pengguna pemberi kerja", "en": "employer user"},
    Role.WORKER: {"id": "peserta", "en": "worker"},
    Role.ANALYST: {"id": "analis", "en": "analyst"},
    Role.AGENT: {"id": "agen Perisai", "en": "Perisai agent"},
    None: {"id": "tanpa peran", "en": "no role"},
}


def role_name(role: Role | None) -> dict[str, str]:
    return ROLE_NAMES[role]


def refuse(scope: Scope, says: dict[str, str]) -> NotPermitted:
    """The 403 refusal for ``scope``'s role and the action described by ``says`` (id/en)."""
    return NotPermitted(role=role_name(scope.role), action=says)


@dataclass(frozen=True, init=False)
class Rule:
    """The roles that may do an action, the scope rule in words, the action in id/en words
    (``says`` completes "Your role (…) may not …")."""

    roles: frozenset[Role]
    scope: str
    says: dict[str, str] = field(default_factory=dict)

    def __init__(
        self, *, roles: Iterable[Role], scope: str, says: Mapping[str, str] | None = None
    ) -> None:
        object.__setattr__(self, "roles", frozenset(Role(role) for role in roles))
        object.__setattr__(self, "scope", scope)
        object.__setattr__(self, "says", dict(says or {}))


class UnknownAction(KeyError):
    """Code asked about an action its app's policy does not define (a bug, never a refusal)."""


class Policy:
    """One app's table of actions. ``allows`` answers; ``require`` raises 403 when not."""

    def __init__(self, app: str, rules: Mapping[str, Rule]) -> None:
        self.app = app
        self.rules: dict[str, Rule] = dict(rules)
        for action, rule in self.rules.items():
            if not rule.says.get("id") or not rule.says.get("en"):
                raise ValueError(f"{app} policy: {action!r} needs its words in id and en")

    def __repr__(self) -> str:
        return f"Policy({self.app!r}, {len(self.rules)} actions)"

    def __iter__(self) -> Iterator[str]:
        return iter(self.rules)

    def rule(self, action: str) -> Rule:
        try:
            return self.rules[action]
        except KeyError:
            raise UnknownAction(f"{self.app} policy has no action {action!r}") from None

    def roles(self, action: str) -> frozenset[Role]:
        return self.rule(action).roles

    def allows(self, scope: Scope, action: str) -> bool:
        """Whether ``scope``'s role may do ``action`` at all (records still filtered by scope)."""
        return scope.role is not None and scope.role in self.rule(action).roles

    def require(self, scope: Scope | None, action: str) -> None:
        """Raise :class:`NotPermitted` (403, ``access.not_permitted``) unless ``allows``.

        ``None`` is the system itself (the demo build, a data migration, a test's fixture),
        which the services have always accepted as ``by=None``: not a caller, so not checked.
        """
        if scope is None:
            self.rule(action)
            return
        if not self.allows(scope, action):
            raise refuse(scope, self.rule(action).says)

    def table(self) -> list[tuple[str, list[str], str]]:
        """``(action, sorted role values, scope rule)`` rows, for docs and tests."""
        return [
            (action, sorted(role.value for role in rule.roles), rule.scope)
            for action, rule in self.rules.items()
        ]


#: The columns of the tables in docs/policies.md, in this order.
TABLE_ROLES = (
    Role.ADMIN,
    Role.BRANCH_OFFICER,
    Role.EMPLOYER_USER,
    Role.WORKER,
    Role.PARTNER_USER,
    Role.ANALYST,
)
#: Roles shown in a column of their own only in the tables of policies that grant them.
EXTRA_TABLE_ROLES = (Role.AGENT,)


def policies_markdown(policies: Iterable[Policy]) -> str:
    """One Markdown section per policy: action, a column per role (✓ may, – may not), scope."""
    parts = []
    for policy in policies:
        # The Perisai agent's column only where a rule of the policy grants the agent anything.
        columns = TABLE_ROLES + tuple(
            role
            for role in EXTRA_TABLE_ROLES
            if any(role in rule.roles for rule in policy.rules.values())
        )
        head = " | ".join(ROLE_NAMES[role]["en"] for role in columns)
        lines = [
            f"### {policy.app} (`jamsos.{policy.app}.policy`)",
            "",
            f"| Action | {head} | Scope |",
            "|---|" + "---|" * len(columns) + "---|",
        ]
        for action, rule in policy.rules.items():
            marks = " | ".join("✓" if role in rule.roles else "–" for role in columns)
            lines.append(f"| `{action}` | {marks} | {rule.scope} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


ACCESS = Policy(
    "access",
    {
        "audit.view": Rule(
            roles={Role.ADMIN},
            scope="every event of the audit trail",
            says={"id": "melihat jejak audit", "en": "see the audit trail"},
        ),
        "refusals.view": Rule(
            roles={Role.ADMIN},
            scope="counts of refused anonymous requests per day, route and reason",
            says={
                "id": "melihat jumlah permintaan yang ditolak",
                "en": "see the counts of refused requests",
            },
        ),
    },
)
