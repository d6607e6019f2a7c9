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
        "funding": CooperationArea.objects.create(code="joint-funding", name="Joint funding of research",
                                                  name_zh_hant="聯合資助研究", name_zh_hans="联合资助研究", order=1),
        "talent": CooperationArea.objects.create(code="talent", name="Talent and exchanges",
                                                 name_zh_hant="人才與交流", name_zh_hans="人才与交流", order=2),
    }
