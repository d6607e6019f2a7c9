"""Issue 15, accessibility: axe-core (vendored for the tests only, tests/browser/vendor) finds no "serious"
or "critical" violation on the main page of every role of the demo, nor on the public home page and
public dashboard, in English, plus one page in Traditional Chinese.

The world is the demo itself (a small ``seed_demo``), so the dashboards show real lists, badges and
charts rather than empty states. One browser serves every role: a launch costs seconds on the CI machine.
"""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "demo12345"
BLOCKING = ("serious", "critical")

# (demo account, the pages it lands on); None is the anonymous public.
ROLES = [
    (None, ["/", "/cooperation/"]),
    ("hk.applicant", ["/dashboard/"]),
    ("ml.applicant", ["/dashboard/"]),
    ("hk.office", ["/dashboard/"]),
    ("expert", ["/dashboard/"]),
    ("itc.officer", ["/dashboard/"]),
    ("most.officer", ["/dashboard/"]),
    ("panel.chair", ["/dashboard/"]),
    ("tto.hkust", ["/dashboard/"]),
    ("ent.clp", ["/dashboard/"]),
    ("secretariat", ["/dashboard/"]),
]


def _violations(page):
    """axe's serious and critical violations of the page as it is now, as readable lines."""
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {json.dumps(v['targets'][:8])}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def _signed_in_as(page, username):
    page.context.clear_cookies()
    if username:
        login(page, username, password=DEMO_PASSWORD)


def test_no_serious_or_critical_accessibility_violation_on_any_roles_main_page(
    browser_page, tmp_path
):
    pins = {
        dest: sha
        for _pkg, _version, _src, dest, sha in (
            ln.split()
            for ln in (AXE.parents[1] / "MANIFEST").read_text().splitlines()
            if ln.strip() and not ln.startswith("#")
        )
    }
    assert AXE.exists(), "run scripts/vendor-js to fetch axe-core"
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == pins["axe-core/axe.min.js"]
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        call_command(
            "seed_demo",
            "--proposals",
            "12",
            "--past-proposals",
            "8",
            verbosity=0,
            stdout=io.StringIO(),
        )
    page = browser_page
    problems, checked = [], []
    for username, paths in ROLES:
        _signed_in_as(page, username)
        for path in paths:
            page.goto(page.base + path)
            assert page.locator("main").count() == 1, (username, path)
            if path == "/cooperation/":  # the charts are drawn after load: check them drawn
                page.wait_for_function(
                    "document.querySelectorAll('.echart').length > 0 && "
                    "document.querySelectorAll('.echart:not(.is-drawn)').length === 0"
                )
            checked.append((username, path))
            problems += [f"{username or 'public'} {path}: {v}" for v in _violations(page)]
    # one page in Traditional Chinese: the applicant's dashboard (lang attribute, translated labels)
    _signed_in_as(page, "hk.applicant")
    page.context.add_cookies([{"name": "django_language", "value": "zh-hant", "url": page.base}])
    page.goto(page.base + "/dashboard/")
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    problems += [f"hk.applicant /dashboard/ (zh-hant): {v}" for v in _violations(page)]
    shot(page, "accessibility-dashboard-zh-hant")
    # on a phone the menu folds behind a button: the page is checked folded and unfolded
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "/dashboard/")
    problems += [f"hk.applicant /dashboard/ (zh-hant, phone): {v}" for v in _violations(page)]
    page.locator(".navtoggle").click()
    assert page.locator(".navtoggle").get_attribute("aria-expanded") == "true"
    problems += [
        f"hk.applicant /dashboard/ (zh-hant, phone, menu open): {v}" for v in _violations(page)
    ]
    assert len(checked) == 12
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)
    # Nothing wider than a phone, and no column squeezed to a few characters a line: a filter's
    # select as wide as its longest option, a notification's link, and Chinese names (which break
    # between any two characters) in a six-column table all did that.
    squeezed_cells = """() => [...document.querySelectorAll('main td')].filter(td => {
        const r = td.getBoundingClientRect();
        return r.width > 0 && r.width < 70 && r.height > 120;
    }).map(td => td.innerText.slice(0, 30))"""
    for path in ("/notifications/", "/platforms/", "/calls/", "/transfer/"):
        page.goto(page.base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.evaluate(squeezed_cells) == [], path
    shot(page, "phone-transfer-zh-hant")
    # A date breaks at no hyphen: in a narrow column "2025-05-01 – 2025-07-30" read 20 / 05 / – …
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base}])
    page.goto(page.base + "/talent/exchanges/")
    lines_of_date_ranges = page.evaluate(
        """() => [...document.querySelectorAll('main td')]
            .filter(td => /^\\d{4}-\\d{2}-\\d{2} – \\d{4}-\\d{2}-\\d{2}$/.test(td.innerText.trim()))
            .map(td => { const range = document.createRange(); range.selectNodeContents(td);
                return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })"""
    )
    assert lines_of_date_ranges and max(lines_of_date_ranges) <= 3, lines_of_date_ranges
