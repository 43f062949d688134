"""The worker search page takes its text by POST (with the CSRF token) and keeps it in the
session under an opaque key: no NIK or name is ever in an address, and paging still works."""

from __future__ import annotations

import re
from datetime import date

from django.test import Client

from jamsos.membership.services import pu_worker_register
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.pages.test_pages import SEARCH, client_for, html

KEY_LINK = re.compile(r'href="\?cari=([A-Za-z0-9_-]+)&halaman=(\d+)"')


def _many_aseps(world, count):
    for serial in range(40, 40 + count):
        person = person_create(
            domicile=world.worker_a.domicile, name=f"Asep Pekerja {serial}", serial=serial
        )
        pu_worker_register(
            employer=world.employer_a,
            person=person,
            wage_idr=4_000_000,
            start_date=date(2024, 2, 1),
            today=date(2024, 3, 1),
        )


def test_the_search_form_is_posted_with_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["cabang"])
    page = client.get(SEARCH).content.decode()
    assert 'method="post"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    refused = client.post(SEARCH, {"q": world.worker_a.nik})
    assert refused.status_code == 403
    found = client.post(SEARCH, {"q": world.worker_a.nik, "csrfmiddlewaretoken": token})
    assert found.status_code == 200
    assert "Asep Sunandar" in html(found)


def test_the_work_home_search_box_posts_too(world):
    page = html(client_for(world, "cabang").get("/kerja/"))
    box = re.search(r'<form class="search-box"[^>]*>(.*?)</form>', page, re.S)
    assert 'method="post"' in box.group(0)
    assert "csrfmiddlewaretoken" in box.group(1)


def test_a_q_in_the_address_is_not_searched(world):
    page = html(client_for(world, "cabang").get(SEARCH, {"q": world.worker_a.nik}))
    assert 'id="results-title"' not in page
    assert "Asep Sunandar" not in page


def test_pages_of_results_are_addressed_by_an_opaque_key(world):
    _many_aseps(world, 30)
    client = client_for(world, "cabang")
    first = html(client.post(SEARCH, {"q": "asep"}))
    assert "Halaman 1 dari 2" in first
    links = KEY_LINK.findall(first)
    assert links, first
    key, number = links[-1]
    assert number == "2"
    assert "asep" not in key.lower()
    second = client.get(SEARCH, {"cari": key, "halaman": 2})
    assert second.status_code == 200
    page = html(second)
    assert "Halaman 2 dari 2" in page
    assert "Asep Pekerja" in page
    # The box shows the text searched, from the session.
    assert 'value="asep"' in page
    # Another session does not have the key.
    other = html(client_for(world, "cabang").get(SEARCH, {"cari": key}))
    assert "Asep Pekerja" not in other
    assert "Pencarian itu tidak disimpan lagi" in other


def test_a_nik_search_never_puts_the_nik_in_a_link(world):
    page = html(client_for(world, "cabang").post(SEARCH, {"q": world.worker_a.nik}))
    assert "Asep Sunandar" in page
    for link in re.findall(r'(?:href|action)="([^"]*)"', page):
        assert world.worker_a.nik not in link


def test_a_search_and_its_pages_cost_the_same_number_of_queries(
    world, django_assert_max_num_queries
):
    """As the other lists (test_pages): the cost does not grow with the rows shown."""
    _many_aseps(world, 30)
    client = client_for(world, "cabang")
    with django_assert_max_num_queries(14):
        first = html(client.post(SEARCH, {"q": "asep"}))
    key = KEY_LINK.findall(first)[-1][0]
    with django_assert_max_num_queries(14):
        assert client.get(SEARCH, {"cari": key, "halaman": 2}).status_code == 200
