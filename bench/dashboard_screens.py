"""Full-page screenshots of the coverage dashboard, for review.

Signs in through the sign-in page (/masuk/) of a running server and saves PNG files of the
dashboard at the nation, a province, a regency, a district and a village, the "where to go
next" page, the branch office and the ecosystem views, and the analyst's and branch officer's
view of the nation. The regions are followed from the page itself (the first linked child of
each level, or the one given with --path), so the script works on any database with figures.

    .venv/bin/jamsos runserver 127.0.0.1:8000   # with DATABASE_URL pointing at a demo database
    .venv/bin/python bench/dashboard_screens.py var/screens --base http://127.0.0.1:8000

Needs Playwright (``pip install playwright``) and a Chromium (``/usr/bin/chromium`` by default,
``--chromium`` to change it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

PASSWORD = "jamsos-demo"


def sign_in(page, base: str, user: str, password: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    # The page has other forms (the language buttons): submit the sign-in form itself.
    page.locator("main form").locator("button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    if "/masuk/" in page.url:
        raise SystemExit(f"sign-in failed for {user}")


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    for selector in ("#coverage-map", "#coverage-bars", "#coverage-series", "#ecosystem-chart"):
        node = page.locator(selector)
        if node.count() and node.first.is_visible():
            page.wait_for_selector(f"{selector} .main-svg", timeout=15_000)
    page.wait_for_timeout(400)


def shot(page, out: Path, name: str) -> Path:
    settle(page)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"{path}  {page.url}")
    return path


def first_child(page, wanted: str | None) -> str | None:
    """The address of a child region in the table: ``wanted`` when given, else the linked
    child with the most registered participants (the table's own order is by code)."""
    links = page.locator("#anak-wilayah tbody th a")
    best: tuple[int, str] | None = None
    for index in range(links.count()):
        href = links.nth(index).get_attribute("href") or ""
        code = parse_qs(urlparse(href).query).get("wilayah", [""])[0]
        if wanted and code == wanted:
            return href
        row = links.nth(index).locator("xpath=ancestor::tr")
        text = row.locator("td").first.inner_text().replace(".", "").replace(",", "")
        count = int(text) if text.strip().isdigit() else 0
        if best is None or count > best[0]:
            best = (count, href)
    return None if wanted else (best[1] if best else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for the PNG files")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="demo-admin")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--path",
        default="",
        help="region codes to follow, e.g. 32,32.04,32.04.05,32.04.05.2001 (default: the "
        "child with the most participants at each level)",
    )
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    parser.add_argument("--width", type=int, default=1360)
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Playwright is not installed: pip install playwright", file=sys.stderr)
        return 2
    base = args.base.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    path = [c for c in args.path.split(",") if c]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": args.width, "height": 900},
            locale="id-ID" if args.lang == "id" else "en-US",
        )
        page = context.new_page()
        sign_in(page, base, args.user, args.password)
        if args.lang == "en":
            page.goto(f"{base}/cakupan/")
            page.locator("form.language-switch button[value=en]").click()
        page.goto(f"{base}/cakupan/")
        shot(page, args.out, "1-nasional")
        names = ["2-provinsi", "3-kabupaten", "4-kecamatan", "5-desa"]
        for level, name in enumerate(names):
            href = first_child(page, path[level] if level < len(path) else None)
            if not href:
                print(f"no child to open below {page.url}", file=sys.stderr)
                break
            page.goto(base + href if href.startswith("/") else href)
            shot(page, args.out, name)
        page.goto(f"{base}/cakupan/prioritas/")
        shot(page, args.out, "6-prioritas")
        page.goto(f"{base}/cakupan/kantor/")
        shot(page, args.out, "7-kantor")
        page.goto(f"{base}/cakupan/ekosistem/")
        shot(page, args.out, "8-ekosistem")
        page.goto(f"{base}/cakupan/?segmen=BPU&ekosistem=pasar")
        shot(page, args.out, "9-nasional-bpu-pasar")
        context.close()
        for user, name in (("demo-analis", "10-analis"), ("demo-cabang", "11-cabang")):
            context = browser.new_context(viewport={"width": args.width, "height": 900})
            page = context.new_page()
            sign_in(page, base, user, args.password)
            page.goto(f"{base}/cakupan/")
            shot(page, args.out, name)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
