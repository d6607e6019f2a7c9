"""Demo expert database: ~150 admitted experts in Hong Kong and the Mainland, with discipline codes,
keywords and publications on the demo calls' topics, so the reviewer assignment has real choices.

Publications: each expert has a main research topic and a neighbouring second one from the table in
``experts.demo_papers`` (believable papers on every demo call topic, plus batteries and hydrogen), three
papers of each, and the discipline codes of those topics. The main topics go round each field in turn,
so every topic has experts. AI experts also get up to two real public papers on their topic from the
expertise gold standard (``../shared/expertise-gold/archives``, Stelmakh et al. 2023) when that folder
is present.
The demo users "expert" and "panel.chair" become admitted experts too. Idempotent: experts are
keyed on e-mail, so running it twice creates nothing twice.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.accounts.roles import Role
from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.workflow import record_initial_state
from sciencebridge.funding import demo_data as D
from sciencebridge.institutions.models import Institution

from . import demo_papers as DP
from .models import ExpertProfile, ExpertStatus, Publication

N_EXPERTS = 150
DOMAIN = "experts.demo.sciencebridge.org"
FAMILY_WEIGHTS = [("ai", 34), ("biotech", 26), ("materials", 26), ("marine", 7), ("management", 7)]
VENUES_GOLD = "arXiv"
TITLES_HK = ["Professor", "Associate Professor", "Assistant Professor", "Chair Professor"]
TITLES_ML = [
    "教授 Professor",
    "研究员 Research Professor",
    "副教授 Associate Professor",
    "副研究员 Associate Research Professor",
]
FIXED = {"expert": "ai", "panel.chair": "biotech"}


def _gold_papers() -> list[dict]:
    root = Path(
        getattr(settings, "EXPERTISE_GOLD_DIR", "")
        or Path(settings.BASE_DIR).parent / "shared" / "expertise-gold" / "archives"
    )
    papers = []
    if not root.is_dir():
        return papers
    seen = set()
    for f in sorted(root.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            try:
                c = json.loads(line)["content"]
            except (ValueError, KeyError, TypeError):
                continue
            title = (c.get("title") or "").strip()
            if title and c.get("abstract") and title.lower() not in seen:
                seen.add(title.lower())
                papers.append({"title": title[:480], "abstract": c["abstract"][:3000]})
    return papers


def _codes() -> dict[tuple[str, str], DisciplineCode]:
    wanted = DP.all_codes()
    return {
        (d.scheme.code, d.code): d
        for d in DisciplineCode.objects.filter(code__in={c for _s, c in wanted}).select_related(
            "scheme"
        )
        if (d.scheme.code, d.code) in wanted
    }


def _pick_family(rng) -> str:
    total = sum(w for _f, w in FAMILY_WEIGHTS)
    x = rng.uniform(0, total)
    for fam, w in FAMILY_WEIGHTS:
        x -= w
        if x <= 0:
            return fam
    return FAMILY_WEIGHTS[0][0]


def _pick_topics(rng, family: str, turn: int) -> list[DP.Topic]:
    """The expert's main topic (the field's topics in turn) and a neighbouring second one."""
    mine = DP.topics_of(family)
    main = mine[turn % len(mine)]
    return [main, DP.BY_KEY[rng.choice(DP.RELATED[main.key])]]


def _publications(
    rng, name: str, topics: list[DP.Topic], gold: list[dict]
) -> tuple[list[dict], list[str]]:
    pubs = []
    for topic in topics:
        for paper in rng.sample(topic.papers, k=min(3, len(topic.papers))):
            sur, _zh = rng.choice(D.HK_SURNAMES + D.ML_SURNAMES)
            pubs.append(
                {
                    "title": paper.title,
                    "abstract": paper.abstract,
                    "year": paper.year,
                    "venue": paper.venue,
                    "coauthors": f"{name}; {sur} {rng.choice(['Y.', 'K.', 'W.', 'M.', 'J.', 'X.'])}",
                }
            )
    terms = topics[0].gold_terms
    if terms and gold:
        on_topic = [g for g in gold if any(t in g["title"].lower() for t in terms)]
        for g in rng.sample(on_topic, k=min(2, len(on_topic))):
            pubs.append(
                {**g, "year": rng.randint(2018, 2023), "venue": VENUES_GOLD, "coauthors": name}
            )
    keywords = [*topics[0].keywords, *topics[1].keywords, *topics[0].keywords_zh]
    return pubs, list(dict.fromkeys(keywords))


def _relink(User, password) -> int:
    """Demo experts whose generated account was removed (seed_demo --reset) get it back."""
    orphans = list(ExpertProfile.objects.filter(email__endswith="@" + DOMAIN, user__isnull=True))
    for p in orphans:
        username = "demo-" + p.email.split("@")[0].replace("expert", "expert-")
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": p.email,
                "password": password,
                "first_name": p.name_en,
                "institution": p.institution,
            },
        )
        user.grant_role(Role.EXPERT)
        p.user = user
        p.save(update_fields=["user"])
    return len(orphans)


def seed(command, rng):
    started = time.monotonic()
    existing = set(
        ExpertProfile.objects.filter(email__endswith="@" + DOMAIN).values_list("email", flat=True)
    )
    User = get_user_model()
    secretariat = User.objects.filter(username="secretariat").first()
    hk_unis = list(
        Institution.objects.filter(region="HK", type__in=["university", "research_institute"])
    )
    ml_unis = list(
        Institution.objects.filter(region="ML", type__in=["university", "research_institute"])
    )
    if not hk_unis or not ml_unis:
        command.stdout.write("No institutions: run seed_reference first; no demo experts created.")
        return
    codes = _codes()
    gold = _gold_papers()
    password = make_password("demo12345")
    relinked = _relink(User, password)
    created = 0
    with transaction.atomic():
        specs = []
        # The fixed demo users first.
        for username, family in FIXED.items():
            u = User.objects.filter(username=username).select_related("institution").first()
            if u is None or ExpertProfile.objects.filter(user=u).exists():
                continue
            earlier = ExpertProfile.objects.filter(email=u.email.lower()).first()
            if earlier is not None:  # the account was rebuilt by seed_demo --reset: link it again
                earlier.user = u
                earlier.save(update_fields=["user"])
                continue
            specs.append(
                {
                    "user": u,
                    "name_en": u.get_full_name() or username,
                    "name_zh": "",
                    "region": "HK",
                    "institution": u.institution or hk_unis[0],
                    "family": family,
                    "email": u.email,
                    "title": "Professor",
                }
            )
        for i in range(N_EXPERTS):
            region = "HK" if i % 2 == 0 else "ML"
            email = f"expert{i:03d}@{DOMAIN}"
            if email in existing:
                continue
            if region == "HK":
                (sur, sur_zh), (given, given_zh) = rng.choice(D.HK_SURNAMES), rng.choice(D.HK_GIVEN)
                name_en, name_zh = f"{sur} {given}", f"{sur_zh}{given_zh}"
            else:
                (sur, sur_zh), (given, given_zh) = rng.choice(D.ML_SURNAMES), rng.choice(D.ML_GIVEN)
                name_en, name_zh = f"{given} {sur}", f"{sur_zh}{given_zh}"
            specs.append(
                {
                    "user": None,
                    "name_en": name_en,
                    "name_zh": name_zh,
                    "region": region,
                    "email": email,
                    "institution": rng.choice(hk_unis if region == "HK" else ml_unis),
                    "family": _pick_family(rng),
                    "username": f"demo-expert-{i:03d}",
                    "title": rng.choice(TITLES_HK if region == "HK" else TITLES_ML),
                }
            )
        # Accounts for the generated experts (so they can accept invitations), hashed once.
        new_users = [
            User(
                username=s["username"],
                email=s["email"],
                first_name=s["name_en"].split()[-1],
                last_name=s["name_en"].split()[0],
                password=password,
                **verified_affiliation(s["institution"]),
            )
            for s in specs
            if s["user"] is None and not User.objects.filter(username=s["username"]).exists()
        ]
        User.objects.bulk_create(new_users, batch_size=500)
        by_name = {u.username: u for u in User.objects.filter(username__startswith="demo-expert-")}
        from django.contrib.auth.models import Group

        group, _ = Group.objects.get_or_create(name=str(Role.EXPERT))
        group.user_set.add(*[by_name[s["username"]] for s in specs if s["user"] is None])
        pubs_rows = []
        turns = {fam: 0 for fam, _w in FAMILY_WEIGHTS}
        for s in specs:
            user = s["user"] or by_name[s["username"]]
            topics = _pick_topics(rng, s["family"], turns[s["family"]])
            turns[s["family"]] += 1
            pubs, keywords = _publications(rng, s["name_en"], topics, gold)
            p = ExpertProfile.objects.create(
                user=user,
                name_en=s["name_en"],
                name_zh=s["name_zh"],
                region=s["region"],
                institution=s["institution"],
                title=s["title"],
                email=s["email"],
                keywords=", ".join(keywords),
                languages="en, zh" if s["region"] == "HK" else "zh, en",
                consent_to_contact=True,
                status=ExpertStatus.ADMITTED,
            )
            record_initial_state(
                p, actor=secretariat, reason="Demo expert admitted by the secretariat."
            )
            # The codes of the expert's topics: what their papers are about.
            mine = [
                codes[k] for k in dict.fromkeys(c for t in topics for c in t.codes) if k in codes
            ]
            p.discipline_codes.set(mine)
            pubs_rows.extend(Publication(expert=p, **row).prepare() for row in pubs)
            created += 1
        Publication.objects.bulk_create(pubs_rows, batch_size=500, ignore_conflicts=True)
    command.stdout.write(
        f"Demo experts: {created} admitted expert profiles created, {relinked} re-linked to "
        f"their accounts ({len(gold)} gold-standard papers available) in "
        f"{time.monotonic() - started:.1f} s."
    )
