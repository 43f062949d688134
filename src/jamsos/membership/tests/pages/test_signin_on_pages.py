"""Sign-ins on the site's pages: the audit trail names them, and the locked-out page is the
site's, in Bahasa Indonesia first and in English."""

from __future__ import annotations

from django.test import Client

from jamsos.membership.tests.pages.test_pages import AUDIT, client_for, html

PASSWORD = "rahasia-kantor-panjang-1"


def _sign_in(client, password, **extra):
    return client.post("/masuk/", {"username": "t-cabang", "password": password}, **extra)


def test_the_audit_trail_shows_and_filters_sign_ins(world):
    user = world.users["cabang"]
    user.set_password(PASSWORD)
    user.save()
    _sign_in(Client(), "salah-sandi")
    _sign_in(Client(), PASSWORD)
    admin = client_for(world, "admin")
    failed = html(admin.post(AUDIT, {"action": "sign_in_failed"}, follow=True))
    assert "Gagal masuk" in failed
    assert "t-cabang" in failed
    assert "salah-sandi" not in failed
    signed = html(admin.post(AUDIT, {"action": "sign_in"}, follow=True))
    assert "t-cabang" in signed
    assert "Gagal masuk" not in signed.split("<table")[-1]


def test_the_locked_out_page_is_the_sites_in_both_languages(world):
    user = world.users["cabang"]
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    for _ in range(5):
        _sign_in(client, "salah-sandi")
    indonesian = _sign_in(client, PASSWORD)
    assert indonesian.status_code == 429
    page = html(indonesian)
    assert '<html lang="id">' in page
    assert "/static/web/jamsos.css" in page
    assert "<h1>Masuk dikunci</h1>" in page
    assert "setelah 5 kali kata sandi salah berturut-turut" in page
    assert "Coba lagi dalam 15 menit." in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    english = _sign_in(client, PASSWORD)
    assert english.status_code == 429
    page = html(english)
    assert "<h1>Sign-in locked</h1>" in page
    assert "Try again in 15 minutes." in page
