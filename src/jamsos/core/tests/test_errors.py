"""One error system: every refusal of every app on one base, rendered by one API handler.

See the "Errors" section of docs/architecture.md for the rules these tests hold the code to.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.testing import TestClient

import jamsos
from jamsos.access.policy import UnknownAction
from jamsos.api import errors as api_errors
from jamsos.billing.services.ledger import UnbalancedEntry
from jamsos.core.errors import ApplicationError, NotPermitted, refusal_on_form
from jamsos.core.models import AppendOnlyError
from jamsos.jobs.services import JobSignal
from jamsos.legal.bulk import FrameSchemaError
from jamsos.legal.errors import LegalInputError, ParameterFileError, ParameterNotFound
from jamsos.legal.params import _DuplicateKey

SRC = Path(jamsos.__file__).parent
CODES_FILE = Path(__file__).with_name("error_codes.txt")

#: The only exceptions defined under ``jamsos`` that do not derive from another of its own:
#: the base of every refusal, the legal engine's errors (``jamsos.legal`` imports nothing from
#: Django, so they stay apart; the API handler renders ``LegalInputError`` like a refusal), and
#: guards that report bugs rather than refusals (a model written where it may only be added to,
#: a ledger entry that does not balance), and the job framework's signals to the code it runs
#: (a lock held, a job no longer queued), which that code turns into its own refusals, and an
#: action asked of a policy that does not define it (a bug).
ALLOWED_ROOTS = {
    ApplicationError,
    LegalInputError,
    ParameterNotFound,
    ParameterFileError,
    FrameSchemaError,
    _DuplicateKey,
    AppendOnlyError,
    UnbalancedEntry,
    JobSignal,
    UnknownAction,
}


def _modules() -> Iterator[str]:
    for module in pkgutil.walk_packages(jamsos.__path__, "jamsos."):
        parts = module.name.split(".")
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest":
            continue
        yield module.name


def _import_everything() -> None:
    for name in _modules():
        importlib.import_module(name)


def _descendants(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _descendants(sub)


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("jamsos.") and ".tests" not in cls.__module__


def _refusal_classes() -> list[type[ApplicationError]]:
    _import_everything()
    return [cls for cls in dict.fromkeys(_descendants(ApplicationError)) if _ours(cls)]


def _concrete() -> list[type[ApplicationError]]:
    """The refusals that are raised: an app's base has no text."""
    return [cls for cls in _refusal_classes() if cls.text]


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _sample(cls: type[ApplicationError]) -> dict[str, Any]:
    """A value for every placeholder of the class's texts."""
    params: dict[str, Any] = {}
    for template in cls.text.values():
        for _literal, name, _spec, _conversion in string.Formatter().parse(template):
            if name and name not in {"label", "label_lower"}:
                params[name] = f"<{name}>"
    return params


CONCRETE = _concrete()


def test_there_is_one_refusal_of_each_kind_per_app():
    apps = {cls.__module__.split(".")[1] for cls in CONCRETE}
    assert {"membership", "uploads", "billing", "coverage", "partners", "registry", "api"} <= apps


@pytest.mark.parametrize("cls", CONCRETE, ids=_name)
def test_every_refusal_renders_in_both_languages(cls):
    # given
    params = _sample(cls)
    # when
    with translation.override("id"):
        error = cls(**params)
    # then
    indonesian, english = error.message_in("id"), error.message_in("en")
    assert indonesian.strip()
    assert english.strip()
    assert indonesian != english
    assert error.message == indonesian == str(error)
    assert error.message_in("en-US") == english
    assert error.message_in("fr") == indonesian
    assert error.fields == ({error.field: [indonesian]} if error.field else {})
    with translation.override("en"):
        assert cls(**params).message == english


@pytest.mark.parametrize("cls", CONCRETE, ids=_name)
def test_every_refusal_has_a_code_and_a_status(cls):
    assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)?", cls.code), cls.code
    assert 400 <= cls.http_status < 500


def test_codes_are_stable():
    listed = {
        line.strip()
        for line in CODES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {cls.code for cls in CONCRETE} == listed


def test_each_code_belongs_to_one_refusal():
    """A code is owned by one class; a subclass keeps it only to word the same refusal for a
    narrower case (by record number rather than NIK, for a campaign rather than any use)."""
    owners: dict[str, set[str]] = {}
    for cls in CONCRETE:
        same_code = [base for base in cls.__mro__ if getattr(base, "text", None)]
        owner = [base for base in same_code if base.code == cls.code][-1]
        owners.setdefault(cls.code, set()).add(_name(owner))
    shared = {code: names for code, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_an_app_base_is_never_raised_bare():
    for cls in _refusal_classes():
        if not cls.text:
            assert cls.__subclasses__(), f"{_name(cls)} has no text and no subclasses"


def test_not_permitted_is_one_refusal_whichever_app_names_it():
    """Every app's policy raises the one role refusal (docs/policies.md); the apps that name it
    in their errors module name that same class."""
    from jamsos.coverage import errors as coverage
    from jamsos.membership import errors as membership

    for app_error in (membership.NotPermitted, coverage.NotPermitted):
        assert app_error is NotPermitted
        error = app_error(role="Analis", action={"id": "mengubah data", "en": "change data"})
        assert (error.code, error.http_status) == ("access.not_permitted", 403)
        assert error.message_in("id") == "Peran Anda (Analis) tidak boleh mengubah data."
        assert error.message_in("en") == "Your role (Analis) may not change data."
        assert error.extra == {"role": "Analis", "action": "change data"}


def test_parameters_read_in_the_message_language_and_plainly_for_programs():
    # given
    class Closed(ApplicationError):
        code = "test.closed"
        default_field = "period"
        labels = {"period": {"id": "Periode", "en": "Period"}}
        text = {
            "id": "{label} ditutup pada {on} oleh {who}.",
            "en": "{label} closed on {on} by {who}.",
        }

    # when
    error = Closed(on=date(2025, 3, 31), who={"id": "kantor cabang", "en": "the branch office"})
    # then
    assert error.message_in("id") == "Periode ditutup pada 2025-03-31 oleh kantor cabang."
    assert error.message_in("en") == "Period closed on 2025-03-31 by the branch office."
    assert error.extra == {"on": "2025-03-31", "who": "the branch office"}
    assert error.params["on"] == date(2025, 3, 31)
    assert Closed(field="other", on="x", who="y").message_in("en") == "other closed on x by y."


def test_a_table_kept_text_is_looked_up_by_reason():
    class Base(ApplicationError):
        messages = {"gone": {"id": "{what} hilang.", "en": "{what} is gone."}}

    class Gone(Base):
        code = "test.gone"
        reason = "gone"

    assert Gone.text == {"id": "{what} hilang.", "en": "{what} is gone."}
    assert Gone(what="KPJ").message_in("en") == "KPJ is gone."
    with pytest.raises(KeyError):

        class Unknown(Base):  # a reason missing from the table fails at import
            reason = "unknown"


# --- the API: one handler ------------------------------------------------------------------


@pytest.fixture(scope="module")
def raising_api() -> TestClient:
    """An API with the project's handlers and one operation that raises a chosen refusal."""
    by_name = {_name(cls): cls for cls in CONCRETE}
    api = NinjaAPI(urls_namespace="refusal-tests")
    api_errors.install_error_handlers(api)

    @api.get("/raise")
    def raise_one(request, name: str):
        cls = by_name[name]
        raise cls(**_sample(cls))

    @api.get("/wage")
    def raise_wage(request):
        from jamsos.membership.errors import AmountNotPositive

        raise AmountNotPositive(field="wage", value=0)

    @api.get("/legal")
    def raise_legal(request):
        raise LegalInputError("wage", "not_positive", value=-1)

    return TestClient(api)


@pytest.mark.parametrize("cls", CONCRETE, ids=_name)
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_api_answers_every_refusal_in_its_shape_and_the_callers_language(
    raising_api, cls, language
):
    # when
    response = raising_api.get(f"/raise?name={_name(cls)}&lang={language}")
    # then
    assert response.status_code == cls.http_status
    assert response["Content-Language"] == language
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    expected = cls(**_sample(cls))
    assert body["code"] == cls.code
    assert body["message"] == expected.message_in(language)
    field = api_errors.API_FIELD_NAMES.get(expected.field, expected.field)
    assert body["fields"] == ({field: [body["message"]]} if field else {})


def test_the_api_names_money_fields_as_its_bodies_do(raising_api):
    response = raising_api.get("/wage?lang=en")
    assert response.status_code == 400
    assert response.json() == {
        "code": "membership.amount_not_positive",
        "message": "Wage must be greater than zero (got 0).",
        "fields": {"wage_idr": ["Wage must be greater than zero (got 0)."]},
    }


def test_the_api_renders_the_legal_engines_refusal_with_the_same_handler(raising_api):
    response = raising_api.get("/legal?lang=en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["message"] == LegalInputError("wage", "not_positive", value=-1).message("en")
    assert body["fields"] == {"wage": [body["message"]]}


def test_the_project_api_has_one_handler_of_refusals_and_no_other_handlers():
    from jamsos.config.api import api

    assert api._exception_handlers == {
        ApplicationError: api_errors.refusal,
        LegalInputError: api_errors.refusal,
        ValidationError: api_errors.validation_error,
        api_errors.Http404: api_errors.not_found,
        HttpError: api_errors.http_error,
        Exception: api_errors.server_error,
    }


def test_only_the_api_errors_module_installs_handlers():
    installing = re.compile(
        r"\b(add_exception_handler|exception_handler|handler(400|403|404|500))\b"
    )
    found = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if installing.search(path.read_text(encoding="utf-8")):
            found.append(str(relative))
    assert found == ["api/errors.py"]


# --- one base ------------------------------------------------------------------------------


def test_no_second_error_base():
    _import_everything()
    generated = (ObjectDoesNotExist, MultipleObjectsReturned)  # Model.DoesNotExist and the like
    roots = {
        cls
        for cls in dict.fromkeys(_descendants(BaseException))
        if _ours(cls)
        and not issubclass(cls, generated)
        and not any(_ours(base) for base in cls.__mro__[1:])
    }
    assert roots == ALLOWED_ROOTS


def test_refusals_render_only_through_the_base():
    """Apps give texts, labels and derived placeholders (``values``); only the base builds the
    exception and its message."""
    for cls in _refusal_classes():
        if cls is ApplicationError:
            continue
        overridden = {"__init__", "message_in", "label"} & set(vars(cls))
        assert overridden == set(), _name(cls)


# --- pages ---------------------------------------------------------------------------------


class _WageForm(forms.Form):
    wage_idr = forms.IntegerField(required=False)
    period = forms.CharField(required=False)


def test_a_page_puts_a_refusal_on_its_field_or_on_the_whole_form():
    from jamsos.membership.errors import AmountNotPositive, InvalidPeriod, MembershipNotFound

    form = _WageForm(data={})
    assert form.is_valid()
    with translation.override("en"):
        refusal_on_form(form, InvalidPeriod(value="2025-13"))
        refusal_on_form(form, AmountNotPositive(field="wage", value=0), {"wage": "wage_idr"})
        refusal_on_form(form, MembershipNotFound(kpj="123"))
    assert form.errors["period"] == [InvalidPeriod(value="2025-13").message_in("en")]
    assert form.errors["wage_idr"] == ["Wage must be greater than zero (got 0)."]
    assert form.non_field_errors() == ["No membership with KPJ 123."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("coverage.outside_scope", 403),
        ("registration.not_own_person", 403),
        ("billing.invoice_not_found", 404),
        ("uploads.upload_not_found", 404),
        ("partners.batch_not_found", 404),
    ],
)
def test_a_page_shows_any_apps_403_or_404_refusal_as_the_sites_page(rf, code, status):
    from django.contrib.auth import get_user_model
    from django.utils.html import escape

    from jamsos.web.common import signed_in

    [cls] = [cls for cls in CONCRETE if cls.code == code]

    @signed_in
    def view(request):
        raise cls(**_sample(cls))

    request = rf.get("/kerja/")
    request.user = get_user_model().objects.create_user("petugas")
    with translation.override("id"):
        response = view(request)
    assert response.status_code == status
    if status == 403:
        assert escape(cls(**_sample(cls)).message_in("id")) in response.content.decode()


def test_a_page_lets_other_refusals_through_to_the_view_that_handles_them(rf):
    from jamsos.membership.errors import InvalidPeriod
    from jamsos.web.common import signed_in

    @signed_in
    def view(request):
        raise InvalidPeriod(value="2025-13")

    request = rf.get("/kerja/")
    request.user = type("User", (), {"is_authenticated": True})()
    with pytest.raises(InvalidPeriod):
        view(request)
