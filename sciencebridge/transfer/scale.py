"""Technology offers for the scale benchmark (bench/scale.py): a national marketplace.

One technology-transfer office account per university, each offering its share of ``n_offers``
(most published and public, some for registered enterprises only, some drafts or withdrawn), with
English titles and summaries and, for about half, Chinese ones in both scripts. Written with
bulk_create; the offer services are exercised by the tests, not here.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sciencebridge.accounts.models import User, verified_affiliation
from sciencebridge.institutions.models import Institution, InstitutionType

from .models import (
    TTO_ROLE,
    Field,
    IPStatus,
    OfferState,
    OfferType,
    TechnologyOffer,
    Visibility,
)

BATCH = 5000
# (Traditional, Simplified) technology words for the Chinese titles and summaries.
ZH_WORDS = [
    ("石墨烯", "石墨烯"),
    ("薄膜", "薄膜"),
    ("海水淡化", "海水淡化"),
    ("催化劑", "催化剂"),
    ("電池", "电池"),
    ("固態電解質", "固态电解质"),
    ("鈣鈦礦", "钙钛矿"),
    ("太陽能", "太阳能"),
    ("量子傳感", "量子传感"),
    ("光子晶片", "光子芯片"),
    ("碳化矽", "碳化硅"),
    ("深度學習", "深度学习"),
    ("聯邦學習", "联邦学习"),
    ("機械人導航", "机器人导航"),
    ("數碼孿生", "数字孪生"),
    ("智慧城市", "智慧城市"),
    ("生物標誌物", "生物标志物"),
    ("免疫治療", "免疫治疗"),
    ("疫苗", "疫苗"),
    ("中醫藥", "中医药"),
    ("基因編輯", "基因编辑"),
    ("藥物遞送", "药物递送"),
    ("納米粒子", "纳米粒子"),
    ("水凝膠", "水凝胶"),
    ("組織工程", "组织工程"),
    ("外骨骼", "外骨骼"),
    ("空氣污染", "空气污染"),
    ("颱風預報", "台风预报"),
    ("碳捕集", "碳捕集"),
    ("氫燃料電池", "氢燃料电池"),
    ("半導體封裝", "半导体封装"),
    ("激光雷達", "激光雷达"),
    ("自動駕駛", "自动驾驶"),
    ("邊緣計算", "边缘计算"),
]


def _tto_accounts() -> list[User]:
    """One technology-transfer office login per university (made once)."""
    universities = list(
        Institution.objects.filter(type=InstitutionType.UNIVERSITY).order_by("code")
    )
    password = make_password("bench-pass-1")
    users = []
    for inst in universities:
        user, created = User.objects.get_or_create(
            username=f"scale-tto-{inst.code}",
            defaults={
                "email": f"scale-tto-{inst.code}@example.org",
                "password": password,
                "first_name": "Transfer",
                "last_name": inst.code.upper(),
                **verified_affiliation(inst),
            },
        )
        if created:
            user.grant_role(TTO_ROLE)
        users.append(user)
    return users


def _offer(rng: random.Random, owner: User, words: list[str], now) -> TechnologyOffer:
    title_en = " ".join(rng.sample(words, 5)).capitalize()
    summary_en = " ".join(rng.choice(words) for _ in range(40)).capitalize() + "."
    zh = {}
    if rng.random() < 0.5:
        picks = rng.sample(ZH_WORDS, 3)
        zh = {
            "title_zh_hant": "".join(t for t, _ in picks) + "技術",
            "title_zh_hans": "".join(s for _, s in picks) + "技术",
            "summary_zh_hant": "，".join(t for t, _ in rng.sample(ZH_WORDS, 8)) + "。",
            "summary_zh_hans": "，".join(s for _, s in rng.sample(ZH_WORDS, 8)) + "。",
        }
    roll = rng.random()
    state = (
        OfferState.PUBLISHED
        if roll < 0.85
        else OfferState.DRAFT
        if roll < 0.95
        else OfferState.WITHDRAWN
    )
    ip_status = rng.choice(IPStatus.values)
    return TechnologyOffer(
        title=title_en,
        title_en=title_en,
        summary=summary_en,
        summary_en=summary_en,
        **zh,
        details="Confidential: " + " ".join(rng.choice(words) for _ in range(20)),
        field=rng.choice(Field.values),
        keywords=", ".join(rng.sample(words, 4)),
        trl=rng.randint(2, 9),
        ip_status=ip_status,
        ip_jurisdiction=rng.choice(["CN", "HK", "PCT", "US"]) if ip_status != "none" else "",
        offer_types=rng.sample(OfferType.values, rng.randint(1, 2)),
        visibility=Visibility.PUBLIC if rng.random() < 0.8 else Visibility.ENTERPRISES,
        contact_name=owner.get_full_name(),
        contact_email=owner.email,
        institution_id=owner.institution_id,
        owner=owner,
        state=state,
        published_at=now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        if state != OfferState.DRAFT
        else None,
    )


def generate(n_offers: int, rng: random.Random, words: list[str]) -> int:
    """``n_offers`` offers from the universities' transfer offices; returns how many were made."""
    owners = _tto_accounts()
    now = timezone.now()
    made = 0
    for start in range(0, n_offers, BATCH):
        batch = [
            _offer(rng, rng.choice(owners), words, now) for _ in range(min(BATCH, n_offers - start))
        ]
        with transaction.atomic():
            TechnologyOffer.objects.bulk_create(batch, batch_size=BATCH)
        made += len(batch)
        print(f"    {made:>7,} offers", end="\r", flush=True)
    print()
    return made
