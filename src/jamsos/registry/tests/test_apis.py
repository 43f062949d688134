"""The regions API, mounted as the lead's API mounts it, with the project's error handlers."""

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from jamsos.api.errors import install_error_handlers
from jamsos.registry.api import router


@pytest.fixture(scope="module")
def client():
    api = NinjaAPI(urls_namespace="registry-api-tests")
    install_error_handlers(api)
    api.add_router("/regions", router)
    return TestClient(api)


def test_list_searches_by_name(reference, client):
    response = client.get("/regions?q=bandung&limit=3")
    assert response.status_code == 200
    body = response.json()
    assert body["limit"] == 3
    assert body["offset"] == 0
    assert body["count"] > 3
    first = body["items"][0]
    assert first == {
        "code": "32.04",
        "code_nodot": "3204",
        "name": "Kabupaten Bandung",
        "level": "regency",
        "kind": "kabupaten",
        "parent_code": "32",
        "edition": "kepmendagri-2025-2430",
        "path": ["Jawa Barat", "Kabupaten Bandung"],
    }


def test_list_filters_by_level_and_parent_and_pages(reference, client):
    provinces = client.get("/regions?level=province&limit=100").json()
    assert provinces["count"] == 38
    assert provinces["items"][0]["parent_code"] is None
    page = client.get("/regions?parent=32&limit=10&offset=20").json()
    assert page["count"] == 27
    assert len(page["items"]) == 7
    assert {item["parent_code"] for item in page["items"]} == {"32"}


def test_list_rejects_bad_parameters(reference, client):
    response = client.get("/regions?level=planet")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert client.get("/regions?limit=1000").status_code == 400


def test_list_with_an_unknown_parent_is_404(reference, client):
    response = client.get("/regions?parent=99")
    assert response.status_code == 404
    assert response.json()["code"] == "registry.region_not_found"


def test_detail_has_path_and_counts(reference, client):
    response = client.get("/regions/32.04")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Kabupaten Bandung"
    assert [p["name"] for p in body["path"]] == ["Jawa Barat", "Kabupaten Bandung"]
    assert body["children"] == 31
    assert body["descendants"] == {"district": 31, "village": 280}
    lat, lng = body["centroid"]
    assert -8 < lat < -6.5
    assert 107 < lng < 108


def test_detail_of_a_village_and_of_the_nation(reference, client):
    village = client.get("/regions/3204052001").json()
    assert village["code"] == "32.04.05.2001"
    assert village["kind"] == "desa"
    assert village["children"] == 0
    assert village["centroid"] is None
    assert [p["level"] for p in village["path"]] == ["province", "regency", "district", "village"]
    nation = client.get("/regions/00").json()
    assert nation["children"] == 38
    assert nation["path"] == []


def test_unknown_code_is_404_in_the_error_shape(reference, client):
    response = client.get("/regions/99.99")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "registry.region_not_found"
    assert "99.99" in body["message"]
    assert body["fields"] == {}


def test_workforce_of_a_province(reference, client):
    response = client.get("/regions/15/workforce?period=2024-08&kind=employed")
    assert response.status_code == 200
    body = response.json()
    assert body["region"]["name"] == "Jambi"
    [figure] = body["figures"]
    assert figure["kind"] == "employed"
    assert figure["estimated"] is True
    assert figure["confidence"] == "low"
    assert "population" in figure["method"]


def test_workforce_of_a_region_without_figures_is_an_empty_list(reference, client):
    body = client.get("/regions/32.04.05.2001/workforce").json()
    assert body["figures"] == []


def test_workforce_of_an_unknown_region_is_404(reference, client):
    response = client.get("/regions/99/workforce")
    assert response.status_code == 404
    assert response.json()["code"] == "registry.region_not_found"


def test_unknown_edition_is_404(reference, client):
    response = client.get("/regions/32?edition=nope")
    assert response.status_code == 404
    assert response.json()["code"] == "registry.edition_not_found"
