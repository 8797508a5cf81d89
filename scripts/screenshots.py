"""Screenshots of the main pages for the README, taken with Playwright in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

Needs a running `make run` (demo accounts and history); reads the demo passwords from var/.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = [
    ("leader", "/dashboard/?as_of=2022-06-30", "dashboard.png"),
    ("scjg-tb", "/my/", "workbench.png"),
    ("office", "/review/", "review.png"),
    ("leader", "/tasks/23/?as_of=2022-06-30", "task-detail.png"),
    ("office", "/plans/", "plan-import.png"),  # after uploading the sample plan: its preview
]
SAMPLE = ROOT / "docs" / "samples" / "province-plan-notations.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    passwords = json.loads((ROOT / "var" / "demo-accounts.json").read_text())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for user, path, name in SHOTS:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.goto(args.base + "/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", passwords[user])
            page.click("button[type=submit]")
            page.goto(args.base + path)
            if name == "plan-import.png":
                page.set_input_files("#plan-file", str(SAMPLE))
                page.click("button:has-text('预览')")
                page.wait_for_selector("#items")
            page.wait_for_timeout(800)  # let the chart draw
            page.screenshot(path=str(out / name), full_page=False)
            page.close()
            print(out / name)
        browser.close()


if __name__ == "__main__":
    main()
