"""The information pages, the offices and their offline map, the manifest and the service
worker: each answers, under an abuse limit, with no inline script or style."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from jamsos.selfservice.views_public import MAP_HEIGHT, MAP_WIDTH, offices

pytestmark = pytest.mark.django_db

PAGES = [
    "/informasi/",
    "/cek-kepesertaan/",
    "/informasi/program/",
    "/informasi/kantor-cabang/",
    "/informasi/tanya-jawab/",
]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_in_indonesian_with_the_manifest(path):
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="id"' in page
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "sw-register.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script"
    assert "<style" not in page
    assert " style=" not in page


@pytest.mark.parametrize("path", [*PAGES, "/manifest.webmanifest", "/sw.js"])
def test_each_is_limited_per_address(settings, path):
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "public.address": "2/1m"}
    client = Client(REMOTE_ADDR="10.9.9.9")
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 429


def test_the_offices_page_lists_every_office_on_the_map_and_says_demo():
    page = unescape(Client().get("/informasi/kantor-cabang/").content.decode())
    assert "Data demo" in page
    for office in offices():
        assert office.name in page
        assert office.address in page
        assert office.hours in page
        assert 0 <= office.x <= MAP_WIDTH
        assert 0 <= office.y <= MAP_HEIGHT
        assert f'cx="{office.x}" cy="{office.y}"' in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )


def test_the_labels_stay_on_the_map_and_apart():
    from jamsos.selfservice.views_public import _label_box, _overlaps

    boxes = [_label_box(o.label_x, o.label_y, o.label_anchor, o.city) for o in offices()]
    for box in boxes:
        assert box[0] >= 0
        assert box[2] <= MAP_WIDTH
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlaps(a, b)]
    assert clashes == []


def test_the_map_places_the_east_right_and_the_north_up():
    by_city = {o.city: o for o in offices()}
    assert by_city["Jayapura"].x > by_city["Makassar"].x > by_city["Medan"].x
    assert by_city["Medan"].y < by_city["Jakarta"].y < by_city["Denpasar"].y


def test_the_manifest_starts_at_the_card():
    response = Client().get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["start_url"] == "/peserta/"
    assert body["theme_color"]
    assert body["name"]
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    static = Path(__file__).parents[2] / "static"
    for icon in body["icons"]:
        name = icon["src"].rsplit("/", 1)[1]
        size = int(icon["sizes"].split("x")[0])
        with Image.open(static / "selfservice" / name) as image:
            assert image.format == "PNG"
            assert image.size == (size, size)


def test_the_service_worker_is_served_at_the_root_and_keeps_only_the_card():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert 'const CARD = "/peserta/"' in script
    assert 'const SIGN_OUT = "/keluar/"' in script
    assert "CARD_ASSETS = [" in script


def test_the_faq_reads_the_bpu_death_contribution_from_the_parameters():
    from datetime import date

    from jamsos.core.formatting import format_money
    from jamsos.legal.params import parameters

    flat = parameters().get("bpu.jkm_flat", date(2026, 3, 3)).value
    page = unescape(Client().get("/informasi/tanya-jawab/").content.decode())
    assert format_money(flat, "id") in page
