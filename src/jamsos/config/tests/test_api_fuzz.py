"""The API fuzzed from its own OpenAPI schema: no input, however odd, makes it answer 5xx.

Schemathesis reads ``/api/v1/openapi.json`` through the WSGI application and generates, for
every operation, requests that follow the schema (positive) and requests that break it
(negative): huge integers, control characters, dates far in the past or future, missing
fields. Each is sent as an anonymous caller and as a branch officer (with a bearer token), and
nothing may answer with a server error. Path parameters are drawn from the schema and, for part
of the cases, taken from the records of a small registry (a real KPJ, person, NPP, region),
so that the checks behind the "not found" reach the services.

The run is derandomized (the same cases on every run, so CI is stable) and bounded: a few
examples per operation and caller, the whole module in about a minute on SQLite. It runs in
the normal suite; ``pytest -m fuzz`` selects it alone. For a longer hunt with other cases:
``JAMSOS_FUZZ_EXAMPLES=25 JAMSOS_FUZZ_SEED=7 pytest -m fuzz``.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from jamsos.membership.tests.api.test_world import World, world_build

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

SCHEMA_PATH = "/api/v1/openapi.json"

#: Examples per operation and caller, valid and invalid cases mixed.
EXAMPLES = int(os.environ.get("JAMSOS_FUZZ_EXAMPLES", "4"))
#: A seed for a different set of cases than the fixed one (a longer hunt, not CI).
SEED = os.environ.get("JAMSOS_FUZZ_SEED")

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=SEED is None,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)


@contextmanager
def same_connection() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does.

    The WSGI handler closes "old" connections when a request starts and ends; inside the
    test's transaction that would close it. The test client disconnects the same receivers.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def schema(db: Any) -> Any:
    with same_connection():
        return schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())


def known_path_parameters(world: World, path: str) -> dict[str, str]:
    """Path parameters of real records, for the operations whose path names them."""
    known = {
        "kpj": world.pu_a.kpj,
        "person_id": str(world.worker_a.id),
        "npp": world.employer_a.npp,
    }
    if path.startswith(("/api/v1/regions", "/api/v1/coverage/areas")):
        known["code"] = world.regions.kab_bandung.code
    names = re.findall(r"{(\w+)}", path)
    return {name: known[name] for name in names if name in known}


def fuzz_operation(operation: Any, world: World, headers: dict[str, str]) -> list[str]:
    """Fuzz one operation as one caller; the cases that got a 5xx, one line each."""
    name = f"{operation.method.upper()} {operation.path}"
    fixed = known_path_parameters(world, operation.path)
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if fixed:
        strategies += [
            operation.as_strategy(mode, path_parameters=fixed) for mode in GenerationMode
        ]
    found: list[str] = []

    @FUZZ_SETTINGS
    @given(case=st.one_of(strategies))
    def check(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])
        except (AssertionError, FailureGroup) as failure:
            found.append(f"{name}: {failure}"[:2000])

    (seed(int(SEED))(check) if SEED else check)()
    return found


def server_errors(schema: Any, world: World, token: str | None) -> list[str]:
    """Fuzz every operation as one caller; the cases that got a 5xx, one line each."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    found: list[str] = []
    for result in schema.get_all_operations():
        found += fuzz_operation(result.ok(), world, headers)
    return found


def test_the_openapi_schema_is_valid(schema: Any) -> None:
    schema.validate()  # raises on a document that breaks the OpenAPI specification
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    assert all(operation.path.startswith("/api/v1/") for operation in operations)
    broken = copy.deepcopy(schema.raw_schema)
    broken["paths"]["/api/v1/health"]["get"]["responses"] = {"200": {"content": 5}}
    with pytest.raises(jsonschema_rs.ValidationError):
        schemathesis.openapi.from_dict(broken).validate()


@pytest.mark.parametrize("caller", [None, "officer_a"], ids=["anonymous", "officer"])
def test_no_input_makes_the_api_fail(schema: Any, regions: Any, caller: str | None) -> None:
    world = world_build(regions)
    token = world.tokens[caller] if caller else None
    with same_connection():
        found = server_errors(schema, world, token)
    assert not found, "\n\n".join(found)


def test_the_fuzzer_reports_a_server_error(schema: Any, regions: Any) -> None:
    """The check above can fail: an application that answers 500 is reported."""

    def broken(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("500 Internal Server Error", [("Content-Type", "application/json")])
        return [b"{}"]

    schema.app = broken
    [health] = [r.ok() for r in schema.get_all_operations() if r.ok().path == "/api/v1/health"]
    found = fuzz_operation(health, world_build(regions), {})
    assert found
    assert found[0].startswith("GET /api/v1/health: ")
