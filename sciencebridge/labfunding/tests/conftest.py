"""Fixtures: the two ITC programmes, an SKL hosted by HKU and a CNERC branch hosted by ASTRI."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from djmoney.money import Money

from sciencebridge.labfunding.models import LabProgramme
from sciencebridge.platforms.models import Platform


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def lf(world):
    skl_prog = LabProgramme.objects.create(
        code="itc-skl",
        name="SKL funding",
        platform_kind="skl",
        funder=world.itc,
        yearly_ceiling=Money(20_000_000, "HKD"),
        min_matching=Money(4_000_000, "HKD"),
        first_year=2025,
    )
    cnerc_prog = LabProgramme.objects.create(
        code="itc-cnerc",
        name="CNERC branch funding",
        platform_kind="cnerc_branch",
        funder=world.itc,
        yearly_ceiling=Money(5_000_000, "HKD"),
        min_matching_ratio=Decimal("1.00"),
        max_years=3,
        first_year=2015,
    )
    skl = Platform.objects.create(code="skl-a", kind="skl", name="SKL of Liver Research")
    skl.hosts.add(world.hku)
    cnerc = Platform.objects.create(code="cnerc-a", kind="cnerc_branch", name="Rail CNERC branch")
    cnerc.hosts.add(world.astri)
    return SimpleNamespace(skl_prog=skl_prog, cnerc_prog=cnerc_prog, skl=skl, cnerc=cnerc)
