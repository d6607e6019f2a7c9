"""Money lookups are expanded by the queryset's class (``core.money_querysets``): the same results
as django-money's per-queryset wrappers, kept after any queryset method, and no wrapper per queryset."""

import pytest
from djmoney.money import Money

from sciencebridge.core.money_querysets import MoneyComprehension
from sciencebridge.institutions.models import Institution
from sciencebridge.labfunding.models import LabProgramme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes():
    funder = Institution.objects.create(
        code="itc", name="ITC", name_en="ITC", region="HK", type="agency", category="agency"
    )

    def make(code, ceiling):
        return LabProgramme.objects.create(
            code=code,
            name=code,
            platform_kind="skl",
            funder=funder,
            yearly_ceiling=ceiling,
            first_year=2025,
        )

    return {
        "hkd": make("hkd", Money(100, "HKD")),
        "cny": make("cny", Money(100, "CNY")),
        "big": make("big", Money(500, "HKD")),
    }


def _codes(qs):
    return sorted(p.code for p in qs)


def test_a_money_value_matches_amount_and_currency(programmes):
    hkd_100 = Money(100, "HKD")
    assert _codes(LabProgramme.objects.filter(yearly_ceiling=hkd_100)) == ["hkd"]
    assert _codes(LabProgramme.objects.exclude(yearly_ceiling=hkd_100)) == ["big", "cny"]
    assert LabProgramme.objects.get(yearly_ceiling=Money(100, "CNY")).code == "cny"
    assert _codes(LabProgramme.objects.filter(yearly_ceiling__gt=Money(50, "HKD"))) == [
        "big",
        "hkd",
    ]


def test_the_expansion_survives_other_queryset_methods(programmes):
    """django-money's per-queryset wrappers were lost after annotate, select_related, all()..."""
    qs = LabProgramme.objects.select_related("funder").annotate().all()
    assert _codes(qs.filter(yearly_ceiling=Money(100, "HKD"))) == ["hkd"]
    assert _codes(
        programmes["hkd"].funder.lab_programmes.filter(yearly_ceiling=Money(100, "CNY"))
    ) == ["cny"]


def test_update_and_get_or_create_write_the_currency(programmes):
    LabProgramme.objects.filter(code="cny").update(yearly_ceiling=Money(7, "USD"))
    programmes["cny"].refresh_from_db()
    assert programmes["cny"].yearly_ceiling == Money(7, "USD")
    found, created = LabProgramme.objects.get_or_create(
        yearly_ceiling=Money(500, "HKD"), defaults={"code": "unused"}
    )
    assert (found.code, created) == ("big", False)


def test_no_wrapper_is_built_per_queryset(programmes):
    qs = LabProgramme.objects.filter(code="hkd")
    assert isinstance(qs, MoneyComprehension)
    assert not {"filter", "exclude", "get", "update", "order_by"} & set(vars(qs))
    assert isinstance(programmes["hkd"].funder.lab_programmes.all(), MoneyComprehension)
