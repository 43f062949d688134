"""No English on an Indonesian page (issue 16, "One language, one look").

A small demo is built (``setup_demo``: every role's account, billing, claims, partners, the
outbox), then every page is opened in Bahasa Indonesia as each demo role and as a visitor: the
walk starts from every page without arguments and follows the links it finds, so pages with
arguments (a payer, a claim, a batch) are opened on the demo's own records. Each page's text, and
the header row of each CSV export, is searched for English (``language.english_in``). A page that
no role reached is named in ``NOT_WALKED`` with the reason, or the test fails: a new page is
walked or explained.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from jamsos.jobs.models import Job
from jamsos.web.tests.language import (
    csv_header,
    english_in,
    local_links,
    page_text,
    ungrouped_numbers,
)

WORKERS = 300
ROLES = (
    "demo-admin",
    "demo-cabang",
    "demo-perusahaan",
    "demo-peserta",
    "demo-mitra",
    "demo-analis",
    "demo-baznas",
    "",  # a visitor, not signed in
)
#: How many addresses of one page (one URL name) are opened per role.
PER_PAGE = 2
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/i18n/")

#: Pages no demo role reaches by a link from another page, and why they are not walked.
_POST = "a form's target: it writes and sends the caller on, it shows nothing of its own"
NOT_WALKED: dict[str, str] = {
    "logout": "signing out ends the walk's session",
    "coverage:plotly": "the chart library's script file, not a page",
    "employer_signup:decide": _POST,
    "employer_signup:detail": "an application waiting at the office: the demo has none waiting",
    "employer_signup:set-password": "reached from the one-time link e-mailed on verification",
    "partners:regional-done": _POST,
    "billing:run-start": _POST,
    "coverage:build-start": _POST,
    "claims:action": _POST,
    "claims:document": "a claim's document upload: a form's target",
    "notifications:message-retry": _POST,
    "partners:agreement-sign": _POST,
    "partners:agreement-target-add": _POST,
    "partners:batch-approve": _POST,
    "partners:batch-reject": _POST,
    "partners:pendataan-prospect-action": _POST,
    "uploads:accept": _POST,
    "uploads:discard": _POST,
    "uploads:detail": "the demo has no bulk upload (uploads' own tests open it)",
    "uploads:report": "the demo has no bulk upload: a report file of one",
    "coverage:base-map": "map data (JSON) read by the dashboard's script, no text",
    "bpu-self-card": "shown once, right after a public BPU sign-up in the same session",
    "worker-code": "the one-time code step of a worker's sign-up, in its own session",
    "card-verify": "the address in a membership card's QR code (a signed token)",
    "billing:jht-person": "a person's JHT account, opened from the person's page by its id",
    "billing:jht-person-pdf": "the JHT statement as PDF",
}


def _url_names(patterns: list, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace or ""
            prefix = str(pattern.pattern)
            if prefix.startswith(("api/", "admin/", "i18n/")):
                continue
            names |= _url_names(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def _start_paths(patterns: list, prefix: str = "") -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _start_paths(pattern.url_patterns, prefix + route)
        elif not re.search(r"[<(^$]", route):
            found.append("/" + prefix + route)
    return [p for p in found if not p.startswith(SKIPPED_PREFIXES)]


def _name(match) -> str:  # type: ignore[no-untyped-def]
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def _walk(client: Client, starts: list[str], found: dict[str, set[str]]) -> dict[str, str]:
    """Open the pages reachable from ``starts``; English found goes into ``found``. Returns the
    pages rendered: URL name → the first address of it that answered."""
    opened: Counter[str] = Counter()
    rendered: dict[str, str] = {}
    seen: set[str] = set()
    queue = list(starts)
    while queue:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(path)
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            continue
        name = _name(match)
        if name in {"logout"} or opened[name] >= PER_PAGE:
            continue
        opened[name] += 1
        response = client.get(path)
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "csv" in kind:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            rendered.setdefault(name, path)
            for problem in english_in(csv_header(body)):
                found[f"{name} (CSV header)"].add(problem)
            continue
        if "html" not in kind:
            rendered.setdefault(name, path)
            continue
        rendered.setdefault(name, path)
        text, links = page_text(response.content.decode())
        for problem in (*english_in(text), *ungrouped_numbers(text)):
            found[f"{name} {path}"].add(problem)
        queue += local_links(links)
    return rendered


@pytest.mark.django_db
def test_every_page_in_indonesian_has_no_english() -> None:
    call_command("setup_demo", workers=WORKERS, verbosity=0, stdout=StringIO())
    starts = _start_paths(get_resolver().url_patterns)
    # The job pages are opened from a started job (no link leads to them): the demo's runs.
    for job in Job.objects.order_by("pk")[:2]:
        starts += [
            reverse("jobs:status", args=[job.pk]),
            reverse("jobs:status-json", args=[job.pk]),
        ]
    found: dict[str, set[str]] = defaultdict(set)
    rendered: set[str] = set()
    for username in ROLES:
        client = Client(HTTP_ACCEPT_LANGUAGE="id")
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        pages = _walk(client, ["/", *starts], found)
        rendered |= set(pages)
        if username == "demo-admin":
            # The same pages in English still render, in English.
            client.cookies["django_language"] = "en"
            for path in pages.values():
                response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
                assert response.status_code == 200, path
                if "html" in response.get("Content-Type", ""):
                    assert b'<html lang="en"' in response.content, path

    problems = [f"{page}: {p}" for page, ps in sorted(found.items()) for p in sorted(ps)]
    assert problems == [], "\n".join(problems)
    not_walked = sorted(_url_names(get_resolver().url_patterns) - rendered - set(NOT_WALKED))
    assert not_walked == [], "\n".join(not_walked)
    assert len(rendered) > 60
