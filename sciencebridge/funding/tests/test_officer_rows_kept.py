"""The officer's list keeps its rendered rows (the ``fragments`` cache) under a key holding every value
a row shows (``funding.officer_list.row_key``): a kept row is the freshly rendered one, and any change
to what a row shows is on the next page."""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from djmoney.money import Money

from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import BudgetLine, JointProposal, ProposalHalf, ThematicArea

from .test_officer_list import _pairs, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    _pairs(
        world, [(f"R-{i}", f"Title {i}", "submitted", "submitted", ["1000"], i) for i in range(3)]
    )
    return world


def _row(client, world, ref: str, **headers) -> str:
    body = client.get(_url(world), **headers).content.decode()
    rows = [r for r in re.findall(r"<tr>.*?</tr>", body, flags=re.S) if f">{ref}</a>" in r]
    assert len(rows) == 1
    return rows[0]


def _tbody(client, world) -> str:
    body = client.get(_url(world)).content.decode()
    return body[body.index("<tbody>") : body.index("</tbody>")]


def test_a_kept_row_is_the_freshly_rendered_one(listed, client):
    client.force_login(listed.itc_officer)
    fresh = _tbody(client, listed)
    assert fresh.count("<tr>") == 3
    assert len(caches["fragments"]._cache) == 3  # one entry per row
    assert _tbody(client, listed) == fresh
    caches["fragments"].clear()
    assert _tbody(client, listed) == fresh


def _screen(world):
    half = ProposalHalf.objects.get(proposal__reference="R-1", side="HK")
    transition(half, "eligible", actor=world.itc_officer)
    return 'class="state state-eligible"'


def _partner(world):
    half = ProposalHalf.objects.get(proposal__reference="R-1", side="ML")
    transition(half, "eligible", actor=world.most_officer)
    return 'class="state state-eligible"'


def _title(world):
    JointProposal.objects.filter(reference="R-1").update(title="Renamed title")
    return "Renamed title"


def _institution(world):
    world.astri.name = "Renamed Institute"
    world.astri.save()
    return "Renamed Institute"


def _area(world):
    area = ThematicArea.objects.create(scheme=world.call.scheme, code="zz", name="Quantum area")
    JointProposal.objects.filter(reference="R-1").update(area=area)
    return "Quantum area"


def _budget(world):
    half = ProposalHalf.objects.get(proposal__reference="R-1", side="HK")
    BudgetLine.objects.create(half=half, category="staff", amount=Money(Decimal(234), "HKD"))
    return "1,234"


@pytest.mark.parametrize("change", [_screen, _partner, _title, _institution, _area, _budget])
def test_a_change_to_what_a_row_shows_is_on_the_next_page(listed, client, change):
    client.force_login(listed.itc_officer)
    before = _row(client, listed, "R-1")
    shown = change(listed)
    assert shown not in before
    assert shown in _row(client, listed, "R-1")


def test_rows_in_each_language(listed, client):
    client.force_login(listed.itc_officer)
    english = _row(client, listed, "R-1")
    chinese = _row(client, listed, "R-1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    label = re.search(r'class="state state-submitted">([^<]+)<', chinese).group(1)
    assert "Submitted" in english and not label.isascii()


def test_the_screen_button_goes_when_the_half_can_no_longer_be_screened(listed, client):
    half = ProposalHalf.objects.get(proposal__reference="R-2", side="HK")
    transition(half, "endorsed", actor=listed.hk_lead)
    client.force_login(listed.itc_officer)
    assert ">Screen</a>" in _row(client, listed, "R-2")
    transition(half, "withdrawn", actor=listed.hk_lead)
    assert ">Screen</a>" not in _row(client, listed, "R-2")


def test_a_new_state_with_the_same_screen_button(listed, client):
    """Endorsed, then screened eligible: the button stays, the badge changes."""
    half = ProposalHalf.objects.get(proposal__reference="R-0", side="HK")
    transition(half, "endorsed", actor=listed.hk_lead)
    client.force_login(listed.itc_officer)
    assert 'state-endorsed">' in _row(client, listed, "R-0")
    transition(half, "eligible", actor=listed.itc_officer)
    row = _row(client, listed, "R-0")
    assert 'state-eligible">' in row and ">Screen</a>" in row


def test_the_screen_button_follows_the_scheme_rule(listed, client):
    """The same half and state: once the scheme no longer asks for an endorsement, a submitted half
    may be screened."""
    client.force_login(listed.itc_officer)
    assert ">Screen</a>" not in _row(client, listed, "R-0")
    listed.call.scheme.sides.filter(side="HK").update(requires_endorsement=False)
    assert ">Screen</a>" in _row(client, listed, "R-0")
