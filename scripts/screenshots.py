"""Screenshots of a running ScienceBridge (e.g. after scripts/demo) for the README and for review.

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screens] PAGE...

PAGE is `user:path` (user from the demo logins, `anon` for anonymous), e.g. `itc.officer:/dashboard/`.
Each page is saved in English, Traditional and Simplified Chinese, at each width of --widths (a desktop
1366 px and a phone 390 px by default) as `<user>-<page>-<width>-<language>.png`.
"""

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8000")
    ap.add_argument("--out", default="docs/screens")
    ap.add_argument("--password", default="demo12345")
    ap.add_argument("--languages", default="en,zh-hant,zh-hans")
    ap.add_argument("--widths", default="1366,390")
    ap.add_argument("pages", nargs="+")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        for spec in args.pages:
            user, path = spec.split(":", 1)
            for width in (int(w) for w in args.widths.split(",")):
                for lang in args.languages.split(","):
                    ctx = browser.new_context(
                        viewport={"width": width, "height": 860 if width > 600 else 844},
                        extra_http_headers={"Accept-Language": lang},
                    )
                    page = ctx.new_page()
                    if user != "anon":
                        page.goto(args.base + "/accounts/login/")
                        page.fill("input[name=username]", user)
                        page.fill("input[name=password]", args.password)
                        page.click("main form button[type=submit]")
                        page.wait_for_load_state()
                    page.goto(args.base + path)
                    page.wait_for_load_state("networkidle")
                    slug = path.strip("/").replace("/", "_") or "home"
                    name = f"{user.replace('.', '-')}-{slug}-{width}-{lang}.png"
                    page.screenshot(path=str(out / name), full_page=False)
                    print(out / name, page.title())
                    ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
