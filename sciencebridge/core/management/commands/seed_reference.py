"""Load the reference data (institutions, classification schemes, funding schemes) idempotently.

Every record is matched by its code (``update_or_create``), so running the command again updates
names and notes in place and creates nothing twice. Rule values an administrator is expected to tune
(criteria weights, per-project ceilings, eligible lead categories, endorsement) are only written when
the record is first created, unless ``--force`` is given, so re-seeding never overwrites that
configuration silently. The data and its sources live in ``sciencebridge/core/reference/``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from sciencebridge.classification.models import ClassificationScheme, DisciplineCode
from sciencebridge.core.reference import classifications, institutions, schemes
from sciencebridge.funding.models import (
    AssessmentCriterion,
    ProjectType,
    RequiredAttachment,
    Scheme,
    SchemeSide,
    ThematicArea,
)
from sciencebridge.institutions.models import Institution

LANGS = ("en", "zh_hant", "zh_hans")


def translated(field: str, names: dict) -> dict:
    """{"en": .., "zh_hant": .., "zh_hans": ..} -> {"name_en": .., "name_zh_hant": .., ...}"""
    return {f"{field}_{lang}": names[lang] for lang in LANGS}


def _upsert(model, lookup: dict, defaults: dict, config: dict, force: bool):
    """update_or_create that writes ``config`` only on creation (or always with ``force``)."""
    if force:
        return model.objects.update_or_create(**lookup, defaults={**defaults, **config})
    return model.objects.update_or_create(
        **lookup, defaults=defaults, create_defaults={**defaults, **config}
    )


def load_institutions() -> dict[str, int]:
    created = 0
    for row in institutions.INSTITUTIONS:
        data = dict(row)
        code = data.pop("code")
        # E-mail domains are configuration an administrator edits: written on creation only.
        domains = {"email_domains": data.pop("email_domains", "")}
        _, was_created = Institution.objects.update_or_create(
            code=code, defaults=data, create_defaults={**data, **domains}
        )
        created += was_created
    return {"institutions": len(institutions.INSTITUTIONS), "of them new": created}


def load_classifications() -> dict[str, int]:
    n_codes = 0
    for sch in classifications.SCHEMES:
        scheme, _ = ClassificationScheme.objects.update_or_create(
            code=sch["code"],
            defaults={
                "version": sch["version"],
                **{k: sch[k] for k in ("name_en", "name_zh_hant", "name_zh_hans")},
            },
        )
        by_code: dict[str, DisciplineCode] = {}
        for c in sch["codes"]:  # parents come before their children in the data
            obj, _ = DisciplineCode.objects.update_or_create(
                scheme=scheme,
                code=c["code"],
                defaults={
                    "parent": by_code[c["parent"]] if c["parent"] else None,
                    "level": c["level"],
                    **translated("name", c),
                },
            )
            by_code[c["code"]] = obj
            n_codes += 1
    return {"classification schemes": len(classifications.SCHEMES), "discipline codes": n_codes}


def load_schemes(force: bool = False) -> dict[str, int]:
    agencies = {i.code: i for i in Institution.objects.filter(type="agency")}
    for sch in schemes.SCHEMES:
        rules = {
            k: sch[k]
            for k in (
                "max_roles_per_exercise",
                "max_duration_months",
                "shared_review",
                "reviewers_see_other_reviews",
            )
        }
        scheme, _ = _upsert(
            Scheme,
            {"code": sch["code"]},
            {
                "short_name": sch["short_name"],
                **translated("name", sch["name"]),
                **translated("description", sch["description"]),
                "exercise_group": sch["exercise_group"],
                "source_note": sch["source_note"],
            },
            rules,
            force,
        )
        for side in sch["sides"]:
            _upsert(
                SchemeSide,
                {"scheme": scheme, "side": side["side"]},
                {"agency": agencies[side["agency"]], "currency": side["currency"]},
                {
                    k: side[k]
                    for k in (
                        "eligible_lead_categories",
                        "funding_ceiling",
                        "requires_endorsement",
                        "partner_visibility",
                    )
                }
                | {
                    k: side[k]
                    for k in (
                        "avoid_experts_allowed",
                        "avoid_experts_max",
                        "concurrent_similarity",
                        "duplicate_similarity",
                    )
                    if k in side
                },
                force,
            )
        for pt in sch["project_types"]:
            _upsert(
                ProjectType,
                {"scheme": scheme, "code": pt["code"]},
                translated("name", pt["name"]),
                {"min_industry_share": pt["min_industry_share"]},
                force,
            )
        for area in sch["areas"]:
            ThematicArea.objects.update_or_create(
                scheme=scheme, code=area["code"], defaults=translated("name", area["name"])
            )
        for order, crit in enumerate(sch["criteria"], start=1):
            # Weights are configurable (none published): 1 on creation, never overwritten without --force.
            _upsert(
                AssessmentCriterion,
                {"scheme": scheme, "order": order},
                translated("name", crit),
                {"weight": 1},
                force,
            )
        for att in sch["attachments"]:
            RequiredAttachment.objects.update_or_create(
                scheme=scheme,
                code=att["code"],
                defaults={
                    "side": att["side"],
                    "required": att["required"],
                    **translated("name", att["name"]),
                },
            )
    return {
        "schemes": Scheme.objects.count(),
        "scheme sides": SchemeSide.objects.count(),
        "project types": ProjectType.objects.count(),
        "thematic areas": ThematicArea.objects.count(),
        "criteria": AssessmentCriterion.objects.count(),
        "required attachments": RequiredAttachment.objects.count(),
    }


class Command(BaseCommand):
    help = "Load reference institutions, classification schemes and funding schemes (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite configurable rule values (ceilings, weights, eligible "
            "categories, endorsement) with the reference data.",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        counts = {}
        counts.update(load_institutions())
        counts.update(load_classifications())
        counts.update(load_schemes(force=force))
        from sciencebridge.rechecks.reference import load_policies

        counts.update(load_policies(force=force))
        # The public record of the other domains: labs and platforms, the committee's arrangements.
        from sciencebridge.cooperation.services.reference import load_public_record
        from sciencebridge.platforms.services.registry import load_platforms

        counts["platforms"] = load_platforms()["platforms"]
        from sciencebridge.funding.national_reference import load_national_schemes

        counts.update(load_national_schemes())
        counts.update(load_public_record())
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS("Reference data loaded: ")
                + ", ".join(f"{v} {k}" for k, v in counts.items())
            )
