"""Public information for workers, phone first: "am I protected?", the five programs in plain
words read from the legal parameters, the branch offices with an offline map, a short FAQ, and
the web app manifest and service worker that keep the worker's card readable offline.

Every page here is open to anyone, so each carries an abuse limit (``settings.ABUSE_LIMITS``).
The check answers only "active since <date>" or one same answer for everything else: an unknown
NIK, a wrong birth date and a membership that ended cannot be told apart.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jamsos.access import limits
from jamsos.access.errors import TooManyRequests
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import format_money, format_rate
from jamsos.legal.params import ParamValue, parameters
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Membership, Status
from jamsos.web.error_pages import limited, too_many_requests_page

DATA_DIR = Path(__file__).parent / "data"
CHECK_ROUTE = "web:public-check"
#: The one answer for everything that is not an active membership (no oracle).
NOT_FOUND = "not_found"


# ---------------------------------------------------------------------------------------------
# "Apakah saya terlindungi?"


class CheckForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "class": "input-large", "inputmode": "numeric"}
        ),
        help_text=gettext_lazy("16 digits, as on your identity card (KTP)."),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Birth date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def active_since(*, nik: str, birth_date: date) -> date | None:
    """The day the earliest active membership of the person with this NIK and birth date began;
    None for an unknown NIK, a wrong birth date or no active membership alike."""
    return (
        Membership.objects.filter(
            person__nik=nik, person__birth_date=birth_date, status=Status.ACTIVE
        )
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )


@require_http_methods(["GET", "POST"])
@limited(CHECK_ROUTE, "public.address", methods=("GET",))
def check_page(request: HttpRequest) -> HttpResponse:
    """The NIK and birth date in a POST form; the answer: active since when, or not found."""
    form = CheckForm(request.POST or None)
    answer: dict[str, Any] | None = None
    if request.method == "POST":
        try:
            limits.enforce_address(request, route=CHECK_ROUTE, limit="check.address")
            if form.is_valid():
                nik = nik_compact(form.cleaned_data["nik"])
                limits.enforce_nik(nik, route=CHECK_ROUTE, limit="check.nik")
                since = active_since(nik=nik, birth_date=form.cleaned_data["birth_date"])
                answer = {"active": since is not None, "since": since}
                form = CheckForm()
        except TooManyRequests as error:
            return too_many_requests_page(request, error, back_url=request.path)
    return render(request, "selfservice/public/check.html", {"form": form, "answer": answer})


# ---------------------------------------------------------------------------------------------
# The five programs, from the parameters


@dataclass(frozen=True)
class Fact:
    """One figure of a program in words, with the regulation that sets it."""

    text: str
    reference: str


@dataclass(frozen=True)
class ProgramInfo:
    code: str
    name: str
    covers: str
    costs: list[Fact]
    pays: list[Fact]


def _param(name: str, on: date) -> ParamValue:
    return parameters().get(name, on)


def _fact(text: str, value: ParamValue) -> Fact:
    return Fact(text=text, reference=value.reference_text)


def _jht(on: date) -> ProgramInfo:
    pu = _param("pu.jht_rate", on)
    bpu = _param("bpu.jht_rate", on)
    claims = _param("benefits.jht.claims", on)
    c = claims.value
    return ProgramInfo(
        code="JHT",
        name=_("Old-age savings (Jaminan Hari Tua)"),
        covers=_(
            "Savings for the day you stop working: everything paid in, with its returns, is yours."
        ),
        costs=[
            _fact(
                _("Employees: %(employer)s of the wage from the employer, %(worker)s from you.")
                % {
                    "employer": format_rate(pu.value["employer"]),
                    "worker": format_rate(pu.value["worker"]),
                },
                pu,
            ),
            _fact(
                _("Self-employed (BPU), optional: %(rate)s of the declared income.")
                % {"rate": format_rate(bpu.value)},
                bpu,
            ),
        ],
        pays=[
            _fact(
                _(
                    "The whole balance at age %(age)s, on death or total disability, on leaving "
                    "Indonesia for good, or %(wait)s month after you stop working."
                )
                % {"age": c["full_claim_age"], "wait": c["stop_wait_months"]},
                claims,
            ),
            _fact(
                _(
                    "Part of it while still working, once, after %(years)s years of membership: "
                    "%(small)s for any need or %(large)s for a house."
                )
                % {
                    "years": c["partial_min_membership_months"] // 12,
                    "small": format_rate(c["partial_10"]),
                    "large": format_rate(c["partial_30"]),
                },
                claims,
            ),
        ],
    )


def _jkk(on: date) -> ProgramInfo:
    pu = _param("pu.jkk_rate", on)
    bpu = _param("bpu.jkk_rate", on)
    stmb = _param("benefits.jkk.temporary_disability", on)
    death = _param("benefits.jkk.death", on)
    care = _param("benefits.jkk.care_limits", on)
    rates = list(pu.value.values())
    return ProgramInfo(
        code="JKK",
        name=_("Work accident (Jaminan Kecelakaan Kerja)"),
        covers=_(
            "Accidents at work and on the way to and from work, and illnesses caused by work."
        ),
        costs=[
            _fact(
                _(
                    "Employees: paid by the employer alone, %(low)s to %(high)s of the wage "
                    "by the risk of the work."
                )
                % {"low": format_rate(min(rates)), "high": format_rate(max(rates))},
                pu,
            ),
            _fact(
                _("Self-employed (BPU): %(rate)s of the declared income.")
                % {"rate": format_rate(bpu.value)},
                bpu,
            ),
        ],
        pays=[
            _fact(
                _(
                    "All medical care the injury needs, with no upper limit; transport up to "
                    "%(land)s by land and %(air)s by air."
                )
                % {
                    "land": format_money(care.value["transport_land"]),
                    "air": format_money(care.value["transport_air"]),
                },
                care,
            ),
            _fact(
                _(
                    "Your wage while you cannot work: %(rate)s of it for the first %(months)s "
                    "months, then %(rest)s until you recover."
                )
                % {
                    "rate": format_rate(stmb.value["first_rate"]),
                    "months": stmb.value["first_months"],
                    "rest": format_rate(stmb.value["rest_rate"]),
                },
                stmb,
            ),
            _fact(
                _(
                    "On death from a work accident: %(months)s times the monthly wage to the "
                    "family, and %(funeral)s for the funeral."
                )
                % {
                    "months": death.value["lump_sum_wage_months"],
                    "funeral": format_money(death.value["funeral"]),
                },
                death,
            ),
        ],
    )


def _jkm(on: date) -> ProgramInfo:
    pu = _param("pu.jkm_rate", on)
    bpu = _param("bpu.jkm_flat", on)
    death = _param("benefits.jkm.death", on)
    d = death.value
    total = d["lump_sum"] + d["periodic_monthly"] * d["periodic_months"] + d["funeral"]
    return ProgramInfo(
        code="JKM",
        name=_("Death (Jaminan Kematian)"),
        covers=_("Death not caused by work: the family receives money."),
        costs=[
            _fact(
                _("Employees: %(rate)s of the wage, paid by the employer.")
                % {"rate": format_rate(pu.value)},
                pu,
            ),
            _fact(
                _("Self-employed (BPU): %(amount)s a month.") % {"amount": format_money(bpu.value)},
                bpu,
            ),
        ],
        pays=[
            _fact(
                _(
                    "%(total)s to the heirs: %(lump)s at once, %(monthly)s a month for "
                    "%(months)s months (paid at once) and %(funeral)s for the funeral."
                )
                % {
                    "total": format_money(total),
                    "lump": format_money(d["lump_sum"]),
                    "monthly": format_money(d["periodic_monthly"]),
                    "months": d["periodic_months"],
                    "funeral": format_money(d["funeral"]),
                },
                death,
            ),
        ],
    )


def _jp(on: date) -> ProgramInfo:
    rate = _param("pu.jp_rate", on)
    cap = _param("pu.jp_wage_cap", on)
    formula = _param("benefits.jp.formula", on)
    bounds = _param("benefits.jp.benefit_limits", on)
    age = _param("benefits.jp.pension_age", on)
    return ProgramInfo(
        code="JP",
        name=_("Pension (Jaminan Pensiun)"),
        covers=_("A monthly income in old age, and for your family if you die or are disabled."),
        costs=[
            _fact(
                _(
                    "Employees only: %(employer)s of the wage from the employer and %(worker)s "
                    "from you, on wages up to %(cap)s a month."
                )
                % {
                    "employer": format_rate(rate.value["employer"]),
                    "worker": format_rate(rate.value["worker"]),
                    "cap": format_money(cap.value),
                },
                rate,
            ),
            _fact(_("The wage cap: %(cap)s.") % {"cap": format_money(cap.value)}, cap),
        ],
        pays=[
            _fact(
                _(
                    "From age %(age)s, a pension each month after %(years)s years of "
                    "contributions: %(accrual)s of your average wage for each year paid."
                )
                % {
                    "age": age.value,
                    "years": formula.value["full_months"] // 12,
                    "accrual": format_rate(formula.value["accrual_rate"]),
                },
                formula,
            ),
            _fact(
                _("At least %(min)s and at most %(max)s a month.")
                % {
                    "min": format_money(bounds.value["minimum"]),
                    "max": format_money(bounds.value["maximum"]),
                },
                bounds,
            ),
        ],
    )


def _jkp(on: date) -> ProgramInfo | None:
    if parameters().find("benefits.jkp.cash_benefit", on) is None:
        return None
    funding = _param("jkp.funding", on)
    cash = _param("benefits.jkp.cash_benefit", on)
    c = cash.value
    pays = [
        _fact(
            _(
                "If you lose your job: %(rate)s of your last wage (counted up to %(cap)s) for "
                "%(months)s months, with job information and training."
            )
            % {
                "rate": format_rate(c["first_rate"]),
                "cap": format_money(c["wage_cap"]),
                "months": c["first_months"],
            },
            cash,
        )
    ]
    if c["second_months"]:
        pays.append(
            _fact(
                _("Then %(rate)s for %(months)s more months.")
                % {"rate": format_rate(c["second_rate"]), "months": c["second_months"]},
                cash,
            )
        )
    return ProgramInfo(
        code="JKP",
        name=_("Job loss (Jaminan Kehilangan Pekerjaan)"),
        covers=_("Employees who lose their job (PHK) and want to work again."),
        costs=[
            _fact(
                _(
                    "Nothing more for you or the employer: the government pays %(gov)s of the "
                    "wage and %(jkk)s is moved over from the work-accident contribution."
                )
                % {
                    "gov": format_rate(funding.value["government"]),
                    "jkk": format_rate(funding.value["from_jkk"]),
                },
                funding,
            )
        ],
        pays=pays,
    )


def programs_on(on: date) -> list[ProgramInfo]:
    """The programs in force on ``on``, in words, every figure read from the parameters."""
    found = [_jht(on), _jkk(on), _jkm(on), _jp(on), _jkp(on)]
    return [p for p in found if p is not None]


@require_http_methods(["GET"])
@limited("web:public-programs", "public.address")
def programs_page(request: HttpRequest) -> HttpResponse:
    today = today_in_jakarta()
    context = {"programs": programs_on(today), "today": today}
    return render(request, "selfservice/public/programs.html", context)


# ---------------------------------------------------------------------------------------------
# Branch offices and their map


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    city: str
    address: str
    hours: str
    latitude: float
    longitude: float
    is_demo: bool
    x: int = 0
    y: int = 0
    label_x: int = 0
    label_y: int = 0
    label_anchor: str = "start"


#: The map's frame: Indonesia from Sabang to Merauke, in degrees.
MAP_WEST, MAP_EAST, MAP_NORTH, MAP_SOUTH = 94.5, 141.5, 6.5, -11.5
MAP_WIDTH = 940
MAP_HEIGHT = round(MAP_WIDTH * (MAP_NORTH - MAP_SOUTH) / (MAP_EAST - MAP_WEST))
#: The labels' font size in map units (the CSS of .office-label) and its average glyph width.
LABEL_SIZE = 30
GLYPH = 0.6

Box = tuple[float, float, float, float]


def _label_box(x: int, y: int, anchor: str, text: str) -> Box:
    width = len(text) * LABEL_SIZE * GLYPH
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return (left, y - LABEL_SIZE, left + width, y)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(x: int, y: int, text: str, taken: list[Box]) -> tuple[int, int, str]:
    """The first place around the dot (right, left, above, below, then further) where the
    label stays on the map and clear of the labels already placed (else the first that fits)."""
    candidates = [
        (x + 14, y + 10, "start"),
        (x - 14, y + 10, "end"),
        (x, y - 16, "middle"),
        (x, y + 40, "middle"),
        (x + 14, y + 40, "start"),
        (x - 14, y + 40, "end"),
        (x, y - 48, "middle"),
        (x, y + 72, "middle"),
    ]
    fitting = []
    for lx, ly, anchor in candidates:
        box = _label_box(lx, ly, anchor, text)
        if box[0] < 0 or box[2] > MAP_WIDTH or box[1] < 0 or box[3] > MAP_HEIGHT:
            continue
        fitting.append((lx, ly, anchor, box))
        if not any(_overlaps(box, other) for other in taken):
            taken.append(box)
            return lx, ly, anchor
    lx, ly, anchor, box = fitting[0] if fitting else (*candidates[0], (0.0, 0.0, 0.0, 0.0))
    taken.append(box)
    return lx, ly, anchor


def _project(latitude: float, longitude: float) -> tuple[int, int]:
    """Equirectangular: near the equator the distortion is small."""
    x = (longitude - MAP_WEST) / (MAP_EAST - MAP_WEST) * MAP_WIDTH
    y = (MAP_NORTH - latitude) / (MAP_NORTH - MAP_SOUTH) * MAP_HEIGHT
    return round(x), round(y)


@functools.cache
def offices() -> tuple[Office, ...]:
    """The shipped offices (``data/offices.json``) with their place on the map."""
    raw = json.loads((DATA_DIR / "offices.json").read_text(encoding="utf-8"))
    found = []
    taken: list[Box] = []
    for row in raw["offices"]:
        x, y = _project(row["latitude"], row["longitude"])
        lx, ly, anchor = _place_label(x, y, row["city"], taken)
        found.append(Office(**row, x=x, y=y, label_x=lx, label_y=ly, label_anchor=anchor))
    return tuple(found)


@require_http_methods(["GET"])
@limited("web:public-offices", "public.address")
def offices_page(request: HttpRequest) -> HttpResponse:
    context = {
        "offices": offices(),
        "any_demo": any(o.is_demo for o in offices()),
        "map_width": MAP_WIDTH,
        "map_height": MAP_HEIGHT,
    }
    return render(request, "selfservice/public/offices.html", context)


# ---------------------------------------------------------------------------------------------
# The start page and the FAQ


@require_http_methods(["GET"])
@limited("web:public-info", "public.address")
def info_page(request: HttpRequest) -> HttpResponse:
    return render(request, "selfservice/public/info.html")


@require_http_methods(["GET"])
@limited("web:public-faq", "public.address")
def faq_page(request: HttpRequest) -> HttpResponse:
    today = today_in_jakarta()
    jkm = _param("bpu.jkm_flat", today)
    context = {"jkm_flat": format_money(jkm.value), "jkm_reference": jkm.reference_text}
    return render(request, "selfservice/public/faq.html", context)


# ---------------------------------------------------------------------------------------------
# Phone first: the manifest and the service worker


@require_http_methods(["GET"])
@limited("web:manifest", "public.address")
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {
            "src": staticfiles_storage.url(f"selfservice/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in (192, 512)
    ]
    body = {
        "name": "Jamsos Peserta",
        "short_name": "Jamsos",
        "description": _("Your membership card and public information on social security."),
        "lang": "id",
        "start_url": reverse("worker-card"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d3b",
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_http_methods(["GET"])
@limited("web:service-worker", "public.address")
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker's script, served at the site's root so that its scope covers
    ``/peserta/``; the file itself is ``static/selfservice/sw.js``."""
    script = (Path(__file__).parent / "static" / "selfservice" / "sw.js").read_text("utf-8")
    card_css = staticfiles_storage.url("selfservice/worker.css")
    site_css = staticfiles_storage.url("web/jamsos.css")
    header = (
        f"const CARD_ASSETS = {json.dumps([site_css, card_css])};\n"
        f"const SIGN_OUT = {json.dumps(reverse('logout'))};\n"
    )
    response = HttpResponse(header + script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
