"""Issue 15: the half edit page's budget rows (added/removed in the browser, one formset on the server)
and its searchable discipline picker (plain select underneath, options in the page's language)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from sciencebridge.classification.models import DisciplineCode
from sciencebridge.classification.widgets import DisciplinePicker
from sciencebridge.core.management.commands.seed_reference import load_classifications
from sciencebridge.experts.forms import ApplyForm, ProfileForm
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db

MGMT = {"b-MIN_NUM_FORMS": 0, "b-MAX_NUM_FORMS": 1000}


def _row(i, category, description, amount, currency="HKD", delete=False):
    row = {
        f"b-{i}-category": category,
        f"b-{i}-description": description,
        f"b-{i}-amount_0": amount,
        f"b-{i}-amount_1": currency,
    }
    if delete:
        row[f"b-{i}-DELETE"] = "on"
    return row


def _lines(half):
    return sorted((b.category, b.description, b.amount) for b in half.budget_lines.order_by("pk"))


def test_rows_added_past_the_extra_ones_and_removed_rows_are_saved_exactly(
    world, make_ready_pair, client
):
    """What the script posts: TOTAL_FORMS raised past the two blank rows, a removed row's DELETE ticked."""
    p = make_ready_pair()
    client.force_login(world.hk_lead)
    url = reverse("funding:half_edit", args=[p.reference, "hk"])
    data = {
        "action": "budget",
        "b-TOTAL_FORMS": 5,
        "b-INITIAL_FORMS": 1,
        **MGMT,
        **_row(0, "staff", "RA", "600000", delete=True),  # the saved line, removed
        **_row(1, "equipment", "Sensors", "120000.50"),
        **{"b-2-amount_1": "HKD"},  # a blank extra row: not a line
        **_row(3, "travel", "Shenzhen visits", "30000"),  # added in the browser
        **_row(4, "consumables", "Added then removed", "999", delete=True),
    }
    resp = client.post(url, data)
    assert resp.status_code == 302
    assert _lines(p.half("HK")) == [
        ("equipment", "Sensors", Money("120000.50", "HKD")),
        ("travel", "Shenzhen visits", Money(30000, "HKD")),
    ]


def test_a_bad_row_is_refused_and_every_row_typed_is_kept(world, make_ready_pair, client):
    p = make_ready_pair()
    client.force_login(world.hk_lead)
    url = reverse("funding:half_edit", args=[p.reference, "hk"])
    data = {
        "action": "budget",
        "b-TOTAL_FORMS": 4,
        "b-INITIAL_FORMS": 1,
        **MGMT,
        **_row(0, "staff", "RA", "600000"),
        **_row(1, "equipment", "Sensors", "-5"),
        **_row(2, "travel", "Shenzhen visits", "30000"),
        **_row(3, "consumables", "Reagents", "not a number"),
    }
    html = client.post(url, data).content.decode()
    assert re.search(r'name="b-TOTAL_FORMS" value="4"', html)
    for kept in ("Sensors", "Shenzhen visits", "Reagents", 'value="not a number"'):
        assert kept in html
    assert html.count('class="fielderror"') == 2
    assert "Some budget rows need correcting (marked below); nothing was saved." in html
    assert _lines(p.half("HK")) == [("staff", "RA", Money(600000, "HKD"))]


def test_a_row_in_the_other_sides_currency_is_refused_with_the_rows_kept(
    world, make_ready_pair, client
):
    p = make_ready_pair()
    client.force_login(world.hk_lead)
    url = reverse("funding:half_edit", args=[p.reference, "hk"])
    data = {
        "action": "budget",
        "b-TOTAL_FORMS": 3,
        "b-INITIAL_FORMS": 1,
        **MGMT,
        **_row(0, "staff", "RA", "600000"),
        **_row(1, "equipment", "Shenzhen lab kit", "1000", currency="CNY"),
        **_row(2, "travel", "Visits", "3000"),
    }
    html = client.post(url, data).content.decode()
    assert 'class="errorbox"' in html and "Shenzhen lab kit" in html and "Visits" in html
    assert _lines(p.half("HK")) == [("staff", "RA", Money(600000, "HKD"))]


def test_page_carries_the_empty_row_and_the_picker_without_needing_them(
    world, make_ready_pair, client
):
    p = make_ready_pair()
    client.force_login(world.hk_lead)
    html = client.get(reverse("funding:half_edit", args=[p.reference, "hk"])).content.decode()
    template = re.search(r"<template data-formset-empty>(.*?)</template>", html, re.S).group(1)
    assert 'name="b-__prefix__-category"' in template and 'name="b-__prefix__-DELETE"' in template
    assert template.index('value="HKD"') < template.index('value="CNY"')  # own currency first
    # The add button only shows once the script has run; the rows without it stay as before.
    assert re.search(r'<button type="button"[^>]*id="budget-add"[^>]*hidden>', html)
    assert 'name="b-2-category"' in html and 'name="b-3-category"' not in html  # 1 saved + 2 extra
    assert "js/budget-rows.js" in html and "vendor/tom-select/tom-select.complete.min.js" in html
    assert "vendor/tom-select/tom-select.default.min.css" in html
    assert re.search(r'<select name="d-discipline_codes"[^>]*data-picker="discipline"', html)
    assert 'data-placeholder="Type a code or part of a discipline name"' in html


@pytest.mark.parametrize(
    "lang, label, group, prompt",
    [
        ("en", "E03 Organic Polymer Materials", "NSFC application codes", "Type a code"),
        ("zh-hant", "E03 有機高分子材料", "國家自然科學基金申請代碼", "輸入代碼"),
        ("zh-hans", "E03 有机高分子材料", "国家自然科学基金申请代码", "输入代码"),
    ],
)
def test_discipline_options_read_in_the_pages_language(
    world, make_ready_pair, client, lang, label, group, prompt
):
    load_classifications()
    p = make_ready_pair()
    client.force_login(world.hk_lead)
    client.post(reverse("set_language"), {"language": lang, "next": "/"})
    url = reverse("funding:half_edit", args=[p.reference, "hk"])
    html = client.get(url).content.decode()
    e03 = DisciplineCode.objects.get(scheme__code="nsfc", code="E03")
    assert f'<option value="{e03.pk}">{label}</option>' in html
    assert f'<optgroup label="{group}">' in html
    assert f'data-placeholder="{prompt}' in html
    # A code picked with the picker posts as the plain select would and is stored.
    resp = client.post(
        url,
        {
            "action": "details",
            "d-keywords": "polymers",
            "d-industry_sponsorship": "100000",
            "d-discipline_codes": [e03.pk],
        },
    )
    assert resp.status_code == 302
    assert list(p.half("HK").discipline_codes.all()) == [e03]


def test_the_expert_profile_forms_use_the_picker_too():
    for form in (ProfileForm(), ApplyForm()):
        widget = form.fields["discipline_codes"].widget
        assert isinstance(widget, DisciplinePicker)
        assert "js/pickers.js" in str(form.media) and "tom-select.default.min.css" in str(
            form.media
        )


def test_the_page_query_count_does_not_grow_with_the_codes_or_the_rows(
    world, make_ready_pair, client
):
    p = make_ready_pair()
    client.force_login(world.hk_lead)
    url = reverse("funding:half_edit", args=[p.reference, "hk"])
    client.get(url)  # warm the session and per-process caches

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    load_classifications()  # 147 codes in three classifications
    half = p.half("HK")
    svc.replace_budget(
        world.hk_lead,
        half,
        [
            {"category": "staff", "description": f"RA {i}", "amount": Money(1000, "HKD")}
            for i in range(12)
        ],
    )
    half.discipline_codes.set(DisciplineCode.objects.filter(level=2)[:5])
    assert count() == few
