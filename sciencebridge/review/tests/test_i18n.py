import polib
import pytest
from django.urls import reverse
from django.utils import translation

from sciencebridge.review.models import AssignmentState
from sciencebridge.review.services import assignment as svc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_string_translated(locale):
    from pathlib import Path

    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale" / locale / "LC_MESSAGES" / "django.po")
    )
    assert po.percent_translated() == 100 and not po.fuzzy_entries()


def test_pages_in_chinese(published, client, settings):
    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user")
        .first()
    )
    client.force_login(a.expert.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    assert "接受" in client.get(reverse("review:respond", args=[a.token])).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "我的评审" in client.get(reverse("review:mine")).content.decode()
    with translation.override("zh-hant"):
        assert str(svc.RunState.PUBLISHED.label) == "邀請已發出"
