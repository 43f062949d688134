"""The site menu shows a role only the pages its policies open: every link in the menu opens for
that role (no 403), and the pages a role may not open are not in its menu."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jamsos.access.models import Role
from jamsos.membership.models import BranchOffice
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.membership.tests.fixtures import Regions

MENU = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')
#: The work pages of the menu (the public ones under "More" are open to everyone).
WORK = ("/kerja/cari/", "/iuran/", "/klaim/", "/cakupan/", "/mitra/", "/pesan/", "/kerja/audit/")
#: What each role's menu holds of them, from docs/policies.md.
EXPECTED = {
    "admin": {"/kerja/cari/", "/iuran/", "/klaim/", "/cakupan/", "/mitra/", "/pesan/",
              "/kerja/audit/"},
    "officer": {"/kerja/cari/", "/iuran/", "/klaim/", "/cakupan/", "/mitra/", "/pesan/"},
    "employer": {"/kerja/cari/", "/iuran/", "/klaim/", "/pesan/pilihan/"},
    "worker": {"/iuran/", "/klaim/", "/pesan/pilihan/"},
    "partner": {"/kerja/cari/", "/iuran/", "/cakupan/", "/mitra/", "/pesan/pilihan/"},
    "analyst": {"/iuran/", "/cakupan/", "/mitra/"},
}  # fmt: skip


@pytest.fixture
def accounts(regions: Regions) -> dict[str, Client]:
    office = BranchOffice.objects.get(code="KC3204")
    grants = {
        "admin": {"role": Role.ADMIN},
        "officer": {"role": Role.BRANCH_OFFICER, "branch_office": office},
        "employer": {
            "role": Role.EMPLOYER_USER,
            "employer": employer_create(village=regions.sukarasa),
        },
        "worker": {"role": Role.WORKER, "person": person_create(domicile=regions.sukarasa)},
        "partner": {
            "role": Role.PARTNER_USER,
            "partner_ref": "PKS-3204",
            "partner_regions": [regions.kab_bandung],
        },
        "analyst": {"role": Role.ANALYST},
    }
    clients = {}
    for name, grant in grants.items():
        access = user_access_grant(username=f"nav-{name}", **grant)  # type: ignore[arg-type]
        client = Client()
        client.force_login(access.user)
        clients[name] = client
    return clients


def menu_of(client: Client) -> list[str]:
    page = client.get("/kerja/").content.decode()
    found = MENU.search(page)
    assert found, "no menu on the work home"
    return HREF.findall(found.group(0))


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_menu_holds_the_pages_the_role_may_open(accounts, role: str) -> None:
    links = menu_of(accounts[role])
    work = {link for link in links if link.startswith(WORK) and link != "/kerja/"}
    assert work == EXPECTED[role]
    for link in work:
        response = accounts[role].get(link)
        assert response.status_code in {200, 302}, (role, link, response.status_code)


def test_signed_out_the_menu_has_the_public_pages_only(client: Client, regions) -> None:
    page = client.get("/").content.decode()
    links = HREF.findall(MENU.search(page).group(0))  # type: ignore[union-attr]
    assert "/daftar-bpu/" in links
    assert not [link for link in links if link.startswith(WORK)]
