import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.cooperation.models import CooperationArea
from sciencebridge.core.testing.factories import UserFactory


@pytest.fixture
def secretariat(db):
    return UserFactory(username="secretary", roles=[Role.SECRETARIAT])


@pytest.fixture
def areas(db):
    return {
        "funding": CooperationArea.objects.update_or_create(
            code="joint-funding",
            defaults=dict(
                name_en="Joint funding of research",
                name_zh_hant="聯合資助研究",
                name_zh_hans="联合资助研究",
                order=3,
            ),
        )[0],
        "talent": CooperationArea.objects.update_or_create(
            code="talent",
            defaults=dict(
                name_en="Talent and exchanges",
                name_zh_hant="人才與交流",
                name_zh_hans="人才与交流",
                order=5,
            ),
        )[0],
    }
