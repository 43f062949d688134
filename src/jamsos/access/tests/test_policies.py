"""Who may do what: every app's policy against a table written out here, not read from the code.

A policy that gains an action without a row below fails; so does code that asks a policy about
an action it does not define (the source is scanned), and docs/policies.md when it no longer
shows the code's tables. The service tests call the services directly with a refused role: the
check is inside them, and nothing is written.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from jamsos.access.models import AuditEvent, Role
from jamsos.access.policy import ACCESS, Policy, Rule, UnknownAction, policies_markdown
from jamsos.access.scope import Scope
from jamsos.agents.policy import AGENTS
from jamsos.billing.policy import BILLING
from jamsos.claims.policy import CLAIMS
from jamsos.core.errors import NotPermitted
from jamsos.coverage.policy import COVERAGE
from jamsos.employer_signup.policy import EMPLOYER_SIGNUP
from jamsos.membership.policy import MEMBERSHIP
from jamsos.notifications.policy import NOTIFICATIONS
from jamsos.partners.policy import PARTNERS
from jamsos.uploads.policy import UPLOADS

POLICIES: dict[str, Policy] = {
    "ACCESS": ACCESS,
    "MEMBERSHIP": MEMBERSHIP,
    "BILLING": BILLING,
    "CLAIMS": CLAIMS,
    "COVERAGE": COVERAGE,
    "PARTNERS": PARTNERS,
    "UPLOADS": UPLOADS,
    "NOTIFICATIONS": NOTIFICATIONS,
    "AGENTS": AGENTS,
    "EMPLOYER_SIGNUP": EMPLOYER_SIGNUP,
}

SRC = Path(__file__).resolve().parents[3]
DOCS = SRC.parent / "docs" / "policies.md"

# The columns, in this order: administrator, branch officer, employer user, worker, partner user,
# analyst. "x" may, "." may not. A user without a role may do nothing anywhere.
COLUMNS = (
    Role.ADMIN,
    Role.BRANCH_OFFICER,
    Role.EMPLOYER_USER,
    Role.WORKER,
    Role.PARTNER_USER,
    Role.ANALYST,
)
EXPECTED: dict[str, dict[str, str]] = {
    "access": {
        "audit.view": "x.....",
        "refusals.view": "x.....",
    },
    "membership": {
        "person.search": "xxx.x.",
        "person.view": "xxxxx.",
        # The API's rule, decided for pages and API alike: the person's data is the person's.
        "person.correct": "xx.x..",
        "person.correct_name_or_domicile": "xx....",
        "pu.register": "xxx...",
        "bpu.register": "xx..x.",
        "bpu.register_self": "...x..",
        "jakon.register": "xx....",
        "pmi.register": "xx....",
        "membership.end": "xxx...",
        "wage.report": "xxx...",
        "compliance.view": "xx....",
        "employer.view": "xxx...",
        "employer.register": "xx....",
    },
    "billing": {
        "runs.view": "x....x",
        "runs.start": "x.....",
        "invoices.view": "xxxxx.",
        "arrears.follow_up": "xx....",
        "jht.view": "xxxxx.",
        "jht.view_own": "...x..",
        "jht.credit_return": "x.....",
        "participant.bill": "xx.xx.",
        "payment.post": "xx....",
        "sponsorship.record": "xx....",
        "case.work": "xx....",
        "case.assign": "xx....",
        "case.reveal_phone": "xx....",
    },
    "claims": {
        "claim.submit": "xxxx..",
        "claim.view": "xxxx..",
        "claim.document": "xxxx..",
        "claim.report": "xxx...",
        "claim.decide": "xx....",
        "claim.pay": "xx....",
        "payroll.run": "x.....",
        "report.view": "xx...x",
    },
    "coverage": {
        "coverage.view": "xx..xx",
        "coverage.nationwide": "x....x",
        "coverage.build": "x.....",
        "targets.set": "xx....",
    },
    "partners": {
        "partners.view": "xx..xx",
        "partners.contacts": "xx..x.",
        "partners.record": "xx....",
        "events.attribute": "x.....",
        "enrolment.view": "xx..x.",
        "enrolment.counts": "xx..xx",
        "enrolment.check": "xx....",
        "campaigns.view": "xx..xx",
        "campaigns.funnel": "xx..xx",
        "campaigns.manage": "xx....",
        "cadres.assign": "xx..x.",
        "prospects.view": "xx..x.",
        "prospects.record": "xx..x.",
        "prospects.follow_up": "xx..x.",
        "regional.view": "xx..xx",
        "regional.record": "xx....",
    },
    "uploads": {
        "upload.check": "xxx...",
        "upload.view": "xxx...",
        "upload.commit": "xxx...",
    },
    "notifications": {
        "outbox.view": "xx....",
        "outbox.send": "x.....",
        "preferences.own": "xxxxx.",
    },
    "agents": {
        "agents.view": "xx....",
        "agents.record": "xx....",
        "agents.own": "......",
        "agents.enrol": "xx....",
        "agents.collect": "xx....",
        "agents.commissions": "x.....",
    },
    "employer_signup": {
        "applications.view": "xx....",
        "applications.decide": "xx....",
    },
}
# The Perisai agent (a column of its own): the only actions it may do, anywhere.
EXPECTED_AGENT: dict[str, set[str]] = {
    "agents": {"agents.own", "agents.enrol", "agents.collect"},
}


def _cases() -> list[tuple[str, str, Role, bool]]:
    return [
        (app, action, role, mark == "x")
        for app, rows in EXPECTED.items()
        for action, marks in rows.items()
        for role, mark in zip(COLUMNS, marks, strict=True)
    ]


def _policy(app: str) -> Policy:
    return next(p for p in POLICIES.values() if p.app == app)


@pytest.mark.parametrize(("app", "action", "role", "allowed"), _cases())
def test_each_role_may_do_what_the_table_says(app, action, role, allowed):
    assert _policy(app).allows(Scope(role=role), action) is allowed


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_the_agent_may_do_only_its_own_actions(app):
    policy = _policy(app)
    allowed = {action for action in policy if policy.allows(Scope(role=Role.AGENT), action)}
    assert allowed == EXPECTED_AGENT.get(app, set())


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_a_user_without_a_role_may_do_nothing(app):
    policy = _policy(app)
    assert not any(policy.allows(Scope.nobody(), action) for action in policy)


def test_every_policy_action_has_a_row_and_every_row_an_action():
    assert {p.app for p in POLICIES.values()} == set(EXPECTED)
    for policy in POLICIES.values():
        assert set(policy) == set(EXPECTED[policy.app]), policy.app


def test_every_rule_states_its_scope_and_its_words_in_both_languages():
    for policy in POLICIES.values():
        for action in policy:
            rule = policy.rule(action)
            assert rule.scope.strip(), (policy.app, action)
            assert rule.says["id"].strip(), (policy.app, action)
            assert rule.says["en"].strip(), (policy.app, action)


def test_require_raises_the_403_refusal_in_both_languages():
    MEMBERSHIP.require(Scope(role=Role.WORKER), "person.correct")
    with pytest.raises(NotPermitted) as refused:
        MEMBERSHIP.require(Scope(role=Role.EMPLOYER_USER), "person.correct")
    assert refused.value.http_status == 403
    assert refused.value.code == "access.not_permitted"
    assert refused.value.message_in("id") == (
        "Peran Anda (pengguna pemberi kerja) tidak boleh mengubah data peserta."
    )
    assert refused.value.message_in("en") == (
        "Your role (employer user) may not change a participant's data."
    )


def test_the_membership_errors_module_raises_the_same_class():
    from jamsos.coverage import errors as coverage_errors
    from jamsos.membership import errors as membership_errors

    assert membership_errors.NotPermitted is NotPermitted
    assert coverage_errors.NotPermitted is NotPermitted


@pytest.mark.parametrize("role", [*Role, None])
def test_the_scope_shorthands_agree_with_the_membership_policy(role):
    """``Scope.sees_personal_data``, ``may_register`` and ``sees_aggregates`` (access cannot
    import the apps' policies) say what MEMBERSHIP and COVERAGE say."""
    scope = Scope(role=role)
    assert scope.sees_personal_data is MEMBERSHIP.allows(scope, "person.view")
    registers = MEMBERSHIP.allows(scope, "pu.register") or MEMBERSHIP.allows(scope, "bpu.register")
    assert scope.may_register is registers
    assert scope.sees_aggregates is COVERAGE.allows(scope, "coverage.view")


def test_an_unknown_action_is_a_bug_not_a_refusal():
    with pytest.raises(UnknownAction):
        MEMBERSHIP.allows(Scope(role=Role.ADMIN), "person.delete")
    with pytest.raises(UnknownAction):
        MEMBERSHIP.require(None, "person.delete")


def test_a_rule_needs_its_words_in_both_languages():
    with pytest.raises(ValueError, match="id and en"):
        Policy("x", {"a.b": Rule(roles={Role.ADMIN}, scope="all", says={"id": "x"})})


# --- the source asks only about actions that exist ---------------------------------------------


def _asked(tree: ast.AST) -> list[tuple[str, str, int]]:
    """``(policy name, action, line)`` of every ``NAME.require/allows/rule/roles(...)`` and
    billing's ``_roles("...")`` page decorator; an action that is not a string is ``"?"``,
    unless it is a parameter of the function around the call (a helper that forwards the
    action its callers name, and those calls are scanned)."""
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, params: frozenset[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            names = {a.arg for a in (*node.args.posonlyargs, *node.args.args)}
            names |= {a.arg for a in node.args.kwonlyargs}
            params = params | frozenset(names)
        if isinstance(node, ast.Call):
            _call(node, params)
        for child in ast.iter_child_nodes(node):
            visit(child, params)

    def _call(node: ast.Call, params: frozenset[str]) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            name = func.value.id
            if name not in POLICIES or func.attr not in {"require", "allows", "rule", "roles"}:
                return
            position = 1 if func.attr in {"require", "allows"} else 0
        elif isinstance(func, ast.Name) and func.id == "_roles":
            name, position = "BILLING", 0
        else:
            return
        arg = node.args[position] if len(node.args) > position else None
        if isinstance(arg, ast.Name) and arg.id in params:
            return
        found.extend((name, value, node.lineno) for value in _strings(arg))

    visit(tree, frozenset())
    return sorted(found, key=lambda item: item[2])


def _strings(node: ast.AST | None) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return ["?"]


def test_the_source_asks_only_about_actions_a_policy_defines():
    asked = []
    unknown = []
    for path in sorted((SRC / "jamsos").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for name, action, line in _asked(ast.parse(path.read_text(encoding="utf-8"))):
            asked.append((name, action))
            if action not in POLICIES[name].rules:
                unknown.append(f"{path.relative_to(SRC)}:{line} {name} {action!r}")
    assert unknown == []
    # The scan does see the calls (a scan that finds nothing would pass whatever the code did).
    assert ("MEMBERSHIP", "person.correct") in asked
    assert ("BILLING", "runs.view") in asked


def test_the_scan_catches_an_action_no_policy_defines():
    tree = ast.parse(
        'MEMBERSHIP.require(by, "person.erase")\n'
        'BILLING.allows(scope, "runs.view")\n'
        "PARTNERS.require(scope, action)\n"
        "def forward(scope, action):\n"
        "    UPLOADS.require(scope, action)\n"
        '_roles("runs.views")\n'
    )
    assert _asked(tree) == [
        ("MEMBERSHIP", "person.erase", 1),
        ("BILLING", "runs.view", 2),
        ("PARTNERS", "?", 3),
        ("BILLING", "runs.views", 6),
    ]


def test_every_action_is_asked_somewhere():
    """An action no code checks is a row of the table that decides nothing."""
    asked = set()
    for path in sorted((SRC / "jamsos").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        asked.update(_asked(ast.parse(path.read_text(encoding="utf-8"))))
    used = {(name, action) for name, action, _line in asked}
    never = [
        f"{name} {action}"
        for name, policy in POLICIES.items()
        for action in policy
        if (name, action) not in used
    ]
    assert never == []


# --- the documentation shows the code's tables -------------------------------------------------


def test_docs_policies_md_shows_the_tables_of_the_code():
    generated = policies_markdown(POLICIES.values())
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- policies:start -->", "<!-- policies:end -->"
    assert start in text
    assert end in text
    shown = text.split(start, 1)[1].split(end, 1)[0].strip()
    assert shown == generated.strip(), (
        "docs/policies.md is out of date; replace the part between the markers with "
        "jamsos.access.policy.policies_markdown(...) (see the test's POLICIES)"
    )


def test_the_markdown_names_every_role_of_every_action():
    text = policies_markdown([MEMBERSHIP])
    line = next(row for row in text.splitlines() if row.startswith("| `person.correct` "))
    assert line.split("|")[2:8] == [" ✓ ", " ✓ ", " – ", " ✓ ", " – ", " – "]


# --- the check is inside the services: a refused role writes nothing --------------------------


@pytest.mark.django_db
def test_correcting_a_person_is_refused_inside_the_service(world, scopes):
    from jamsos.membership.services import person_update

    person = world.worker_a
    for who in ("employer_a", "partner", "analyst", "nobody"):
        with pytest.raises(NotPermitted):
            person_update(person=person, phone="081234567890", by=scopes[who])
    # A worker corrects their own phone, never their name or village.
    with pytest.raises(NotPermitted):
        person_update(person=person, name="Asep S.", by=scopes["worker_a"])
    person.refresh_from_db()
    assert person.name == "Asep Sunandar"
    assert not AuditEvent.objects.filter(target_type="membership.person", action="update")
    person_update(person=person, phone="081234567890", by=scopes["worker_a"])
    person.refresh_from_db()
    assert person.phone == "+6281234567890"


@pytest.mark.django_db
def test_ending_and_registering_are_refused_inside_the_services(world, scopes):
    from jamsos.membership.models import Membership, Status
    from jamsos.membership.services import membership_end, pu_worker_register

    count = Membership.objects.count()
    with pytest.raises(NotPermitted):
        membership_end(
            membership=world.bpu, end_date=date(2025, 6, 1), reason="resign", by=scopes["partner"]
        )
    with pytest.raises(NotPermitted):
        pu_worker_register(
            employer=world.employer_a,
            person=world.resident,
            wage_idr=5_000_000,
            start_date=date(2025, 1, 1),
            by=scopes["partner"],
        )
    world.bpu.refresh_from_db()
    assert world.bpu.status == Status.ACTIVE
    assert Membership.objects.count() == count


@pytest.mark.django_db
def test_the_audit_trail_is_refused_inside_its_selector(world, scopes):
    from jamsos.membership.views.audit import audit_events

    assert audit_events(scopes["admin"], {}).exists()
    with pytest.raises(NotPermitted):
        audit_events(scopes["officer_bandung"], {})


@pytest.mark.django_db
def test_a_sponsorship_and_a_payment_are_refused_inside_the_billing_services(world, scopes):
    from jamsos.billing.models import Payment, Sponsorship
    from jamsos.billing.services.payments import payment_post
    from jamsos.billing.services.sponsorships import sponsorship_create

    with pytest.raises(NotPermitted):
        sponsorship_create(
            sponsor_ref="PKS-3204",
            sponsor_name="Yayasan Peduli",
            sponsor_kind="csr",
            reference="SK-1",
            first_period="2025-01",
            last_period="2025-12",
            kpjs=[world.bpu.kpj],
            by=scopes["partner"],
        )
    with pytest.raises(NotPermitted):
        payment_post(
            virtual_account="8888000000000001",
            amount_idr=100_000,
            bank_ref="TRX-1",
            paid_on=date(2025, 2, 10),
            channel="va",
            by=scopes["employer_a"],
        )
    assert not Sponsorship.objects.exists()
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_target_is_refused_inside_the_coverage_service(world, scopes):
    from jamsos.coverage.models import CoverageTarget
    from jamsos.coverage.services.targets import target_create

    for who in ("partner", "analyst"):
        with pytest.raises(NotPermitted):
            target_create(
                scopes[who],
                level=2,
                region_code="32.04",
                baseline_period="2025-03",
                target_period="2025-10",
                target_active=300,
            )
    assert not CoverageTarget.objects.exists()


@pytest.mark.django_db
def test_a_partner_is_refused_inside_the_partners_service(world, scopes):
    from jamsos.partners.models import Partner
    from jamsos.partners.services.partners import partner_create

    for who in ("partner", "analyst", "employer_a"):
        with pytest.raises(NotPermitted):
            partner_create(scope=scopes[who], code="PKS-9999", name="Koperasi Baru", kind="union")
    assert not Partner.objects.filter(code="PKS-9999").exists()


@pytest.mark.django_db
def test_an_upload_is_refused_inside_the_uploads_service(world, scopes):
    from jamsos.uploads.models import WorkerUpload
    from jamsos.uploads.services import upload_validate

    content = b"nik,nama\n3204011501900001,Asep\n"
    for who in ("worker_a", "partner", "analyst"):
        with pytest.raises(NotPermitted):
            upload_validate(
                scope=scopes[who],
                employer_npp=world.employer_a.npp,
                file_name="pekerja.csv",
                content=content,
            )
    assert not WorkerUpload.objects.exists()
