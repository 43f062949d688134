"""The bulk upload pages live in another app; the registry pages link to them when it is there.

``WithoutUploads`` is the site's URL configuration without the upload app, to show the pages
still render without it.
"""

from __future__ import annotations

from django.urls import URLResolver, reverse

from jamsos.config import urls as site_urls
from jamsos.membership.tests.pages.test_pages import client_for, html


class WithoutUploads:
    """The site's addresses without any upload app (a URL configuration)."""

    urlpatterns = [
        pattern
        for pattern in site_urls.urlpatterns
        if not (isinstance(pattern, URLResolver) and pattern.namespace == "uploads")
    ]


def test_officer_and_employer_pages_link_to_the_upload_form(world):
    upload = reverse("uploads:form")
    employer_page = f"/kerja/pemberi-kerja/{world.employer_a.npp}/"
    for name, url in [
        ("cabang", "/kerja/"),
        ("cabang", employer_page),
        ("cabang", "/kerja/daftar/pu/"),
        ("perusahaan", "/kerja/"),
        ("perusahaan", employer_page),
    ]:
        page = html(client_for(world, name).get(url))
        assert f'href="{upload}"' in page, (name, url)


def test_pages_render_without_the_upload_app(world, settings):
    settings.ROOT_URLCONF = WithoutUploads
    page = html(client_for(world, "perusahaan").get("/kerja/"))
    assert "Unggah berkas pekerja" not in page
    assert "PT Bandung Maju" in page
