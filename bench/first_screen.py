"""The first screen of the workers' public pages and of the worker's card on a slow phone link.

Builds a fresh SQLite database in a temporary folder (migrations, the regions of the tests'
Bandung office), starts gunicorn on it (debug off, static files from the apps' folders through
WhiteNoise, as ``make run``), and opens each page in headless Chromium at 390 x 844 px with the
network throttled through the DevTools protocol (``Network.emulateNetworkConditions``: 150 ms
round-trip latency, 1.6 Mbit/s down, 750 kbit/s up; browser cache disabled and service workers
blocked, so every run is a first visit). The card is opened in the session of a worker who has
just registered on the public form. Each page is loaded ``--runs`` times; the median and the
range are printed as a Markdown table: first contentful paint (the first screen), DOM content
loaded, load, and the bytes transferred.

    PYTHONPATH=src .venv/bin/python bench/first_screen.py --runs 5

Needs Playwright and a Chromium (``/usr/bin/chromium`` by default, ``--chromium`` to change it).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.request import urlopen

PAGES = [
    "/informasi/",
    "/cek-kepesertaan/",
    "/informasi/program/",
    "/informasi/kantor-cabang/",
    "/informasi/tanya-jawab/",
]
CARD = "/peserta/"
PHONE = {"width": 390, "height": 844}
PROFILE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
AIM_MS = 1500

TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const bytes = performance.getEntriesByType('resource')
    .reduce((sum, r) => sum + (r.transferSize || 0), nav.transferSize || 0);
  return {fcp: paint ? paint.startTime : null, dcl: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd, bytes: bytes};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(env: dict[str, str]) -> None:
    """Migrate the fresh database and load the tests' regions with the Bandung office."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from jamsos.membership.services import branch_office_create\n"
        "from jamsos.membership.tests.fixtures import REGIONS\n"
        "from jamsos.registry.models import Region\n"
        "from jamsos.registry.services.editions import edition_get_or_create\n"
        "from jamsos.registry.services.regions import region_row, regions_write\n"
        "edition, _ = edition_get_or_create(name='bench', make_current=True)\n"
        "regions_write(edition=edition, rows=[region_row(c, n) for c, n in REGIONS])\n"
        "by = {r.code: r for r in Region.objects.filter(edition=edition)}\n"
        "branch_office_create(code='KC3204', name='Kantor Cabang Bandung',\n"
        "    regencies=[by['32.04'], by['32.73']])\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def measure(page, cdp, url: str) -> dict[str, float]:
    cdp.send("Network.clearBrowserCache")
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    return page.evaluate(TIMINGS)


def register(page, base: str) -> None:
    page.goto(f"{base}/daftar-bpu/")
    fields = {
        "nik": "3204054907880321",
        "name": "Neneng Hasanah",
        "phone": "0812 7777 1234",
        "domicile": "32.04.05.2001",
        "declared_income": "1.000.000",
        "birth_date": "1988-07-09",
    }
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.check("input[name=sex][value=F]")
    page.check("#id_agree")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base}{CARD}")


def row(name: str, runs: list[dict[str, float]]) -> str:
    def cell(key: str) -> str:
        values = [r[key] for r in runs]
        return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"

    fcp = statistics.median(r["fcp"] for r in runs)
    kib = statistics.median(r["bytes"] for r in runs) / 1024
    verdict = "yes" if fcp < AIM_MS else "**no**"
    return f"| `{name}` | {cell('fcp')} | {cell('dcl')} | {cell('load')} | {kib:,.1f} | {verdict} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--chromium", default=os.environ.get("JAMSOS_CHROMIUM", "/usr/bin/chromium")
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "JAMSOS_VAR_DIR": var,
            "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
            "JAMSOS_LIMIT_PUBLIC_PER_ADDRESS": "100000/1m",
            "JAMSOS_LIMIT_REGISTER_PER_ADDRESS": "1000/1m",
        }
        env.pop("DATABASE_URL", None)
        env.pop("JAMSOS_DEBUG", None)
        prepare(env)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "jamsos.config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/informasi/")
            results: list[str] = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
                context = browser.new_context(
                    viewport=PHONE, is_mobile=True, service_workers="block"
                )
                page = context.new_page()
                register(page, base)
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send("Network.emulateNetworkConditions", PROFILE)
                for path in [*PAGES, CARD]:
                    measure(page, cdp, f"{base}{path}")  # a warm-up of the server's own caches
                    runs = [measure(page, cdp, f"{base}{path}") for _ in range(args.runs)]
                    if path == CARD:
                        assert CARD in page.url, "the card needs the registered session"
                    results.append(row(path, runs))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        f"Profile: {PROFILE['latency']} ms latency, 1.6 Mbit/s down, 750 kbit/s up; "
        f"390 x 844 px; cache disabled; {args.runs} runs, median (min-max), ms.\n"
    )
    print("| page | first contentful paint | DOM content loaded | load | KiB | under 1.5 s |")
    print("|---|---|---|---|---|---|")
    for line in results:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
