"""The published recheck rules of the schemes' sides (scheme data, loaded by ``manage.py seed_reference``).

[C] NSFC: an applicant may ask for a recheck of a decision not to accept an application within 15 days of
receiving it; NSFC decides within 60 days (Regulations on the NSFC, Art. 15; domain notes §4).
[U] ITC, MOST and RGC: no published recheck procedure was found, so their sides take no requests until an
administrator sets a rule (an officer may still re-screen a half with a recorded reason).
"""

NSFC_SOURCE = (
    "Regulations on the National Natural Science Foundation of China, Art. 15: a recheck request within "
    "15 days of the notice; decided within 60 days. http://donnasnhdiary.org/english/site_1/funding/E1/"
    "2022/01-12/25901.html (mirror of the NSFC English site)"
)
NONE_PUBLISHED = (
    "No published recheck procedure found for this agency; not accepted until set here."
)

# (scheme code, side) -> rule
POLICIES = {
    ("mhkjfs", "HK"): {"allowed": False, "source_note": NONE_PUBLISHED},
    ("mhkjfs", "ML"): {"allowed": False, "source_note": NONE_PUBLISHED},
    **{
        (code, "HK"): {"allowed": False, "source_note": NONE_PUBLISHED}
        for code in ("nsfc-rgc-jrs", "nsfc-rgc-yrs", "nsfc-rgc-crs")
    },
    **{
        (code, "ML"): {
            "allowed": True,
            "request_window_days": 15,
            "handling_days": 60,
            "reminder_days": 7,
            "source_note": NSFC_SOURCE,
        }
        for code in ("nsfc-rgc-jrs", "nsfc-rgc-yrs", "nsfc-rgc-crs")
    },
}


def load_policies(force: bool = False) -> dict[str, int]:
    """Create the rule of every known scheme side; an existing rule (an administrator's edit) is kept
    unless ``force``."""
    from sciencebridge.funding.models import SchemeSide

    from .models import RecheckPolicy

    for side in SchemeSide.objects.select_related("scheme"):
        rule = POLICIES.get((side.scheme.code, side.side))
        if rule is None:
            continue
        if force:
            RecheckPolicy.objects.update_or_create(scheme_side=side, defaults=rule)
        else:
            RecheckPolicy.objects.get_or_create(scheme_side=side, defaults=rule)
    return {"recheck rules": RecheckPolicy.objects.count()}
