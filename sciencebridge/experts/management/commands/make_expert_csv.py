"""Write a synthetic expert CSV for load tests, with a share of deliberately bad rows.

    python manage.py make_expert_csv experts-50k.csv --rows 50000 [--bad 0.05] [--seed 1]

Institutions and discipline codes are taken from the database (run it after the reference data is
loaded); bad rows have an unknown region, an unknown institution, an invalid or duplicate e-mail,
a missing name or an unknown discipline code.
"""

import random

from django.core.management.base import BaseCommand, CommandError

from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.spreadsheets import csv_writer
from sciencebridge.experts.services.importing import COLUMNS
from sciencebridge.institutions.models import Institution, InstitutionType

SURNAMES = [
    "Chan",
    "Wong",
    "Li",
    "Zhang",
    "Wang",
    "Cheung",
    "Lau",
    "Ho",
    "Ng",
    "Leung",
    "Chen",
    "Liu",
    "Yang",
]
GIVEN = [
    "Tai Man",
    "Ka Yan",
    "Wei",
    "Min",
    "Siu Ming",
    "Mei Ling",
    "Jun",
    "Xiaoming",
    "Hui",
    "Chi Keung",
]
TOPICS = [
    "graphene",
    "catalysis",
    "machine learning",
    "coastal engineering",
    "quantum materials",
    "oncology",
    "neuroscience",
    "power electronics",
    "hydrology",
    "robotics",
    "photonics",
    "microbiology",
]
BAD_KINDS = ["region", "institution", "email", "duplicate", "name", "code"]


class Command(BaseCommand):
    help = "Write a synthetic N-row expert CSV (some rows bad) for import load tests."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--rows", type=int, default=50000)
        parser.add_argument("--bad", type=float, default=0.05, help="Share of bad rows (0..1).")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, path, rows, bad, seed, **options):
        rnd = random.Random(seed)
        insts = list(
            Institution.objects.exclude(type=InstitutionType.AGENCY).values_list("code", "region")
        )
        if not insts:
            raise CommandError("No institutions in the database; load reference data first.")
        codes = [f"{s}:{c}" for s, c in DisciplineCode.objects.values_list("scheme__code", "code")]
        n_bad = 0
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv_writer(fh)
            w.writerow(COLUMNS)
            for i in range(rows):
                inst, region = rnd.choice(insts)
                row = {
                    "name_en": f"{rnd.choice(SURNAMES)} {rnd.choice(GIVEN)} {i}",
                    "name_zh": "",
                    "email": f"expert{i}@example{i % 97}.org",
                    "region": region,
                    "institution": inst,
                    "department": "Department of " + rnd.choice(TOPICS).title(),
                    "title": "Professor",
                    "discipline_codes": " ".join(rnd.sample(codes, k=min(2, len(codes))))
                    if codes
                    else "",
                    "keywords": ", ".join(rnd.sample(TOPICS, 3)),
                    "languages": "en, zh",
                    "orcid": "",
                    "consent_to_contact": rnd.choice(["yes", "no"]),
                }
                if i > 0 and rnd.random() < bad:
                    n_bad += 1
                    kind = rnd.choice(BAD_KINDS)
                    if kind == "region":
                        row["region"] = "XX"
                    elif kind == "institution":
                        row["institution"] = f"no-such-institution-{i}"
                    elif kind == "email":
                        row["email"] = f"not-an-email-{i}"
                    elif kind == "duplicate":
                        row["email"] = "expert0@example0.org"
                    elif kind == "name":
                        row["name_en"] = ""
                    else:
                        row["discipline_codes"] = "ZZ9999"
                w.writerow([row[c] for c in COLUMNS])
        self.stdout.write(f"wrote {rows} rows ({n_bad} bad) to {path}")
