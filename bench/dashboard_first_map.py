"""Time to the first map of the coverage dashboard on a slow phone link.

Builds a fresh SQLite database in a temporary folder (migrations, the 38 provinces with their
packaged boundaries, one month of coverage rows for the nation and every province, an analyst
signed in), starts gunicorn on it (debug off, static files through WhiteNoise, as ``make run``)
and opens ``/cakupan/`` in headless Chromium at 390 x 844 px with the network throttled as
bench/first_screen.py does (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up; cache disabled,
every run a first visit). Per run: first contentful paint, the moment the map's regions are
drawn (the first ``.choroplethlayer path`` in the DOM, polled every 25 ms), load, and the bytes
transferred; medians (min-max) as a Markdown table.

    PYTHONPATH=src .venv/bin/python bench/dashboard_first_map.py --runs 5
    # the same against another checkout's code (e.g. before a change):
    PYTHONPATH=/tmp/before/src .venv/bin/python bench/dashboard_first_map.py --runs 5

Needs Playwright and a Chromium (``/usr/bin/chromium`` by default, ``--chromium`` to change).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from first_screen import PHONE, PROFILE, free_port, wait_for

AIM_MS = 1500

PREPARE = """
import django; django.setup()
from pathlib import Path
from django.core.management import call_command
call_command('migrate', verbosity=0)
import jamsos.registry as registry_app
from jamsos.access.models import Role
from jamsos.coverage.models import CoverageArea
from jamsos.membership.services.accounts import user_access_grant
from jamsos.registry.services.boundaries import boundaries_import
from jamsos.registry.services.editions import edition_get_or_create
from jamsos.registry.services.regions import region_row, regions_write
import json
path = Path(registry_app.__file__).parent / 'data' / 'provinces.geo.json'
features = json.loads(path.read_text())['features']
edition, _ = edition_get_or_create(name='bench', make_current=True)
regions_write(edition=edition, rows=[region_row(f['properties']['code'], f['properties']['name'])
                                     for f in features])
boundaries_import(path=path)
rows = [CoverageArea(period='2025-04', level=0, region_code='00', registered=50_000_000,
                     active=40_000_000, potential=144_640_000, potential_kind='employed')]
for i, f in enumerate(features):
    rows.append(CoverageArea(period='2025-04', level=1, region_code=f['properties']['code'],
                             parent_code='00', registered=1_000_000 + i, active=400_000 + 9_000 * i,
                             potential=3_000_000, potential_kind='employed'))
CoverageArea.objects.bulk_create(rows)
user = user_access_grant(username='bench-analis', role=Role.ANALYST).user
from django.test import Client
client = Client()
client.force_login(user)
print(json.dumps({'session': client.cookies['sessionid'].value}))
"""

MAP_DRAWN = """() => new Promise((resolve) => {
  const tick = () => {
    if (document.querySelector('#coverage-map .choroplethlayer path')) resolve(performance.now());
    else setTimeout(tick, 25);
  };
  tick();
})"""

TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const resources = performance.getEntriesByType('resource');
  const bytes = resources.reduce((sum, r) => sum + (r.transferSize || 0), nav.transferSize || 0);
  const plotly = resources.filter((r) => r.name.indexOf('plotly') >= 0)
    .reduce((sum, r) => sum + (r.transferSize || 0), 0);
  const map = resources.filter((r) => r.name.indexOf('peta.json') >= 0)
    .reduce((sum, r) => sum + (r.transferSize || 0), 0);
  return {fcp: paint ? paint.startTime : null, load: nav.loadEventEnd, bytes, plotly, map};
}"""


def cell(runs: list[dict[str, float]], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default="this checkout")
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
        }
        env.pop("DATABASE_URL", None)
        env.pop("JAMSOS_DEBUG", None)
        out = subprocess.run(
            [sys.executable, "-c", PREPARE], env=env, check=True, capture_output=True, text=True
        ).stdout
        session = json.loads(out.strip().splitlines()[-1])["session"]
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "jamsos.config.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "2", "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        runs = []
        try:
            wait_for(f"{base}/informasi/", seconds=180)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
                context = browser.new_context(
                    viewport=PHONE, is_mobile=True, service_workers="block"
                )
                context.add_cookies(
                    [{"name": "sessionid", "value": session, "url": base}]  # type: ignore[list-item]
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                page.goto(f"{base}/cakupan/")  # warm the server's caches (bundle, shapes)
                page.evaluate(MAP_DRAWN)
                cdp.send("Network.emulateNetworkConditions", PROFILE)
                for _ in range(args.runs):
                    cdp.send("Network.clearBrowserCache")
                    page.goto(f"{base}/cakupan/", wait_until="commit")
                    drawn = page.evaluate(MAP_DRAWN)
                    page.wait_for_load_state("load")
                    page.wait_for_timeout(300)
                    runs.append({**page.evaluate(TIMINGS), "drawn": drawn})
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(
        f"{args.label}. Profile: {PROFILE['latency']} ms latency, 1.6 Mbit/s down, 750 kbit/s "
        f"up; 390 x 844 px; cache disabled; {args.runs} runs, median (min-max), ms.\n"
    )
    print("| first contentful paint | map drawn | load | KiB total | KiB Plotly | KiB map data |"
          " map under 1.5 s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    drawn = statistics.median(r["drawn"] for r in runs)
    kib = {k: statistics.median(r[k] for r in runs) / 1024 for k in ("bytes", "plotly", "map")}
    print(
        f"| {cell(runs, 'fcp')} | {cell(runs, 'drawn')} | {cell(runs, 'load')} | "
        f"{kib['bytes']:,.1f} | {kib['plotly']:,.1f} | {kib['map']:,.1f} | "
        f"{'yes' if drawn < AIM_MS else '**no**'} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
