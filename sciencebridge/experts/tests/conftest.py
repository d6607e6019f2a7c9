import pytest

from sciencebridge.accounts.models import User, verified_affiliation
from sciencebridge.accounts.roles import Role
from sciencebridge.classification.models import ClassificationScheme, DisciplineCode
from sciencebridge.experts import matching_adapter
from sciencebridge.experts.models import ExpertProfile, ExpertStatus, Publication
from sciencebridge.institutions.models import Institution


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.JOBS_BACKEND = "sync"
    settings.EXPERTS_MATCHING_MODEL = "tfidf"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LANGUAGE_CODE = "en"
    matching_adapter.invalidate()
    yield
    matching_adapter.invalidate()


@pytest.fixture
def institutions(db):
    def make(code, name, region, type_="university", category="ugc_university"):
        return Institution.objects.create(
            code=code,
            name=name,
            name_en=name,
            short_name=code.upper(),
            region=region,
            type=type_,
            category=category,
        )

    return {
        "hku": make("hku", "The University of Hong Kong", "HK"),
        "cuhk": make("cuhk", "The Chinese University of Hong Kong", "HK"),
        "tsinghua": make("tsinghua", "Tsinghua University", "ML", category="mainland_university"),
        "itc": make("itc", "Innovation and Technology Commission", "HK", "agency", "agency"),
    }


@pytest.fixture
def codes(db):
    nsfc = ClassificationScheme.objects.create(code="nsfc", name="NSFC")
    gbt = ClassificationScheme.objects.create(code="gbt", name="GB/T 13745")
    f = DisciplineCode.objects.create(scheme=nsfc, code="F", name="Information Sciences", level=1)
    f02 = DisciplineCode.objects.create(
        scheme=nsfc, code="F02", name="Computer Science", parent=f, level=2
    )
    out = {
        "F02": f02,
        "F0201": DisciplineCode.objects.create(
            scheme=nsfc, code="F0201", name="Software", parent=f02, level=3
        ),
        "B01": DisciplineCode.objects.create(
            scheme=nsfc, code="B01", name="Synthetic Chemistry", level=2
        ),
        "520": DisciplineCode.objects.create(
            scheme=gbt, code="520", name="计算机科学技术", level=1
        ),
    }
    # The same code in two schemes, to test ambiguity.
    DisciplineCode.objects.create(scheme=nsfc, code="X01", name="x", level=2)
    DisciplineCode.objects.create(scheme=gbt, code="X01", name="x", level=2)
    return out


@pytest.fixture
def make_user(db):
    def make(username, *roles, institution=None, **kw):
        u = User.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password="pw-123456!",
            first_name=kw.pop("first_name", username.title()),
            **verified_affiliation(institution),
            **kw,
        )
        for r in roles:
            u.grant_role(r)
        return u

    return make


@pytest.fixture
def officer(make_user, institutions):
    return make_user("officer", Role.PROGRAMME_OFFICER, agency=institutions["itc"])


@pytest.fixture
def secretariat(make_user):
    return make_user("secretary", Role.SECRETARIAT)


@pytest.fixture
def applicant(make_user, institutions):
    return make_user("applicant", Role.APPLICANT, institution=institutions["hku"])


@pytest.fixture
def make_expert(db, institutions):
    counter = {"n": 0}

    def make(
        name="Expert",
        inst="hku",
        status=ExpertStatus.ADMITTED,
        papers=(),
        codes=(),
        user=None,
        **kw,
    ):
        counter["n"] += 1
        e = ExpertProfile.objects.create(
            name_en=name,
            email=kw.pop("email", f"expert{counter['n']}@example.org"),
            user=user,
            region=institutions[inst].region,
            institution=institutions[inst],
            status=status,
            **kw,
        )
        if codes:
            e.discipline_codes.set(codes)
        for p in papers:
            p = {"title": p} if isinstance(p, str) else p
            Publication.objects.create(expert=e, **p)
        return e

    return make
