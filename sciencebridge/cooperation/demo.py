"""Demo data for the cooperation committee: the public record (agreements, meetings, the 2024-25 workplan,
indicator series), a demo committee meeting with minutes that approves a 2026 workplan whose items in
several areas are linked to live metrics, with milestones and evidence.

Built through the services. If no joint proposal is funded yet (the decisions app's demo, which runs
earlier, funds them when present), a few eligible proposals of the past call are funded on both sides, the
way a joint decision records it, so the dashboard's charts and the linked items have data to show.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from djmoney.money import Money

from sciencebridge.core import metrics
from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import Call, HalfState, ProposalHalf

from .models import CooperationArea, Milestone, Workplan, WorkplanState
from .services import records
from .services import workplans as svc
from .services.reference import load_public_record

CODE = "workplan-2026"
# Who is responsible for an item, named in each language (an English abbreviation reads as a code in Chinese).
OWNERS = {
    "ITC": ("創新科技署", "创新科技署"),
    "MOST": ("科學技術部", "科学技术部"),
    "NSFC": ("國家自然科學基金委員會", "国家自然科学基金委员会"),
    "RGC": ("研究資助局", "研究资助局"),
    "ITIB": ("創新科技及工業局", "创新科技及工业局"),
}


def _owner(codes: str) -> dict:
    """ "ITC; MOST" -> owner_en "ITC; MOST", owner_zh_hant "創新科技署；科學技術部", owner_zh_hans likewise."""
    parts = [c.strip() for c in codes.split(";") if c.strip()]
    return {
        "owner_en": "; ".join(parts),
        "owner_zh_hant": "；".join(OWNERS.get(c, (c, c))[0] for c in parts),
        "owner_zh_hans": "；".join(OWNERS.get(c, (c, c))[1] for c in parts),
    }


def _fund_some(rng, command):
    if ProposalHalf.objects.filter(state=HalfState.FUNDED).exists():
        return 0
    User = get_user_model()
    officers = {
        "HK": User.objects.filter(username="itc.officer").first(),
        "ML": User.objects.filter(username="most.officer").first(),
    }
    calls = list(Call.objects.filter(code__in=["mhkjfs-2025", "mhkjfs-2026"]))
    ids = list(
        ProposalHalf.objects.filter(proposal__call__in=calls, side="HK", state=HalfState.ELIGIBLE)
        .filter(proposal__halves__side="ML", proposal__halves__state=HalfState.ELIGIBLE)
        .values_list("proposal_id", flat=True)
        .order_by("proposal_id")
    )
    chosen = rng.sample(ids, min(len(ids), 6))
    for pid in chosen:
        for half in ProposalHalf.objects.filter(proposal_id=pid):
            amount = (
                rng.randrange(8, 20) * 100000
                if half.side == "HK"
                else rng.randrange(6, 16) * 100000
            )
            half.awarded_amount = Money(amount, "HKD" if half.side == "HK" else "CNY")
            transition(
                half,
                HalfState.FUNDED,
                actor=officers[half.side],
                update_fields=["awarded_amount"],
                reason="Demo: funded by joint decision",
            )
    return len(chosen)


def seed(command, rng):
    counts = load_public_record()
    command.stdout.write("  committee record: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if Workplan.objects.filter(code=CODE).exists():
        command.stdout.write(f"  {CODE} exists already: nothing added")
        return
    sec = get_user_model().objects.filter(username="secretariat").first()
    if sec is None:
        command.stdout.write("  no secretariat user: public record only")
        return
    funded = _fund_some(rng, command)
    if funded:
        command.stdout.write(
            f"  funded {funded} eligible joint proposals on both sides (no decisions demo data)"
        )
    areas = {a.code: a for a in CooperationArea.objects.all()}
    meeting = records.record_meeting(
        sec,
        number=19,
        held_on=dt.date(2025, 12, 9),
        place_en="Hong Kong (demo)",
        place_zh_hant="香港（示範）",
        place_zh_hans="香港（示范）",
        chairs_en="Secretary for Innovation, Technology and Industry; Vice Minister of "
        "Science and Technology",
        chairs_zh_hant="創新科技及工業局局長；科學技術部副部長",
        chairs_zh_hans="创新科技及工业局局长；科学技术部副部长",
        agenda_en="1. Work report 2024-25\n2. Workplan 2026\n3. Indicators",
        agenda_zh_hant="1. 2024-25年工作報告\n2. 2026年工作計劃\n3. 指標",
        agenda_zh_hans="1. 2024-25年工作报告\n2. 2026年工作计划\n3. 指标",
        minutes_en="Demo meeting. The Committee reviewed progress on the 2024-25 workplan and approved the 2026 "
        "workplan, whose items are tracked against live data on ScienceBridge.",
        minutes_zh_hant="示範會議。委員會審視2024-25年工作計劃進度，並通過2026年工作計劃，其事項以ScienceBridge的即時數據追蹤。",
        minutes_zh_hans="示范会议。委员会审视2024-25年工作计划进度，并通过2026年工作计划，其事项以ScienceBridge的实时数据追踪。",
        decisions=[
            "Approve the 2026 workplan.",
            "Fund at least ten joint projects under the 2026 call.",
        ],
    )
    wp = svc.create_workplan(
        sec,
        code=CODE,
        title_en="Workplan 2026",
        title_zh_hant="2026年工作計劃",
        title_zh_hans="2026年工作计划",
        period="2026",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        approved_at=meeting,
    )
    call = Call.objects.filter(code="mhkjfs-2026").first()
    past = Call.objects.filter(code="mhkjfs-2025").first()
    call_ids = [c.pk for c in (call, past) if c]

    def add(number, area, en, hant, hans, owner="", metric="", target=None, **filters):
        return svc.save_item(
            sec,
            wp,
            area=areas[area],
            number=number,
            text_en=en,
            text_zh_hant=hant,
            text_zh_hans=hans,
            **_owner(owner),
            metric_code=metric,
            target=Decimal(target) if target is not None else None,
            metric_filters=filters,
        )

    items = [
        add(
            "i",
            "joint-funding",
            "Fund ten joint projects under the Joint Funding Scheme",
            "在聯合資助計劃下資助十個聯合項目",
            "在联合资助计划下资助十个联合项目",
            "ITC; MOST",
            "funding.projects_funded",
            10,
            call_ids=call_ids,
        ),
        add(
            "ii",
            "joint-funding",
            "Commit HK$12 million on the Hong Kong side",
            "香港方承諾1,200萬港元",
            "香港方承诺1,200万港元",
            "ITC",
            "funding.committed_hkd",
            12000000,
            call_ids=call_ids,
        ),
        add(
            "iii",
            "joint-funding",
            "Commit RMB 10 million on the Mainland side",
            "內地方承諾1,000萬元人民幣",
            "内地方承诺1,000万元人民币",
            "MOST",
            "funding.committed_rmb",
            10000000,
            call_ids=call_ids,
        ),
        add(
            "iv",
            "programmes",
            "Launch three joint calls",
            "發布三個聯合徵集",
            "发布三个联合征集",
            "ITC; MOST; NSFC; RGC",
            "funding.calls_launched",
            3,
        ),
        add(
            "v",
            "policy",
            "Co-ordinate the flow of scientific research data in the Greater Bay Area",
            "協調大灣區科研數據流動",
            "协调大湾区科研数据流动",
            "ITIB",
        ),
    ]
    optional = [
        (
            "talent",
            "talent.cross_boundary_exchanges",
            "vi",
            "Complete twenty talent exchanges",
            "完成二十宗人才交流",
            "完成二十宗人才交流",
            20,
        ),
        (
            "platforms",
            "platforms.cross_boundary_hours",
            "vii",
            "Use 500 hours of shared facilities across the boundary",
            "跨境使用共享設施500小時",
            "跨境使用共享设施500小时",
            500,
        ),
        (
            "transfer",
            "transfer.deals_concluded",
            "viii",
            "Close five technology deals",
            "達成五宗技術交易",
            "达成五宗技术交易",
            5,
        ),
        (
            "experts",
            "nominations.experts_entered",
            "ix",
            "Enter ten more Hong Kong experts in the national expert databases",
            "再有十位香港專家進入國家專家庫",
            "再有十位香港专家进入国家专家库",
            10,
        ),
        (
            "platforms",
            "labfunding.labs_funded",
            "x",
            "Fund the State Key Laboratories and CNERC branches in Hong Kong",
            "資助在港國家重點實驗室及國家工程技術研究中心香港分中心",
            "资助在港国家重点实验室及国家工程技术研究中心香港分中心",
            18,
        ),
    ]
    registered = {m.code for m in metrics.all_metrics()}
    for area, code, number, en, hant, hans, target in optional:  # linked where the app is installed
        metric = code if code in registered else ""
        items.append(add(number, area, en, hant, hans, "", metric, target if metric else None))
    svc.move_workplan(sec, wp, WorkplanState.APPROVED, "Approved at the demo meeting")
    for item in items[:4]:
        svc.move_item(sec, item, "in_progress", "Under way")
    Milestone.objects.create(
        item=items[0],
        title="Call closes",
        due_on=dt.date(2026, 3, 31),
        done_on=dt.date(2026, 3, 31),
    )
    Milestone.objects.create(
        item=items[0], title="Joint decisions announced", due_on=dt.date(2026, 9, 30)
    )
    Milestone.objects.create(
        item=items[4], title="Working group on research data set up", due_on=dt.date(2026, 4, 30)
    )
    svc.add_evidence(
        sec, items[3], description="Calls published on ScienceBridge", url="https://www.itf.gov.hk/"
    )
    command.stdout.write(
        f"  {CODE}: {len(items)} items in {len({i.area_id for i in items})} areas, "
        f"{sum(1 for i in items if i.metric_code)} linked to live metrics "
        f"({len(metrics.all_metrics())} metrics registered)"
    )
