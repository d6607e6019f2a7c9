"""The NSFC ↔ RGC crosswalk (data in ``core/reference/crosswalk.py``) for the matching engine and filters."""

from functools import lru_cache

from django.db.models import Q

from matching.affinity import Crosswalk
from matching.affinity.codes import code_levels
from sciencebridge.core.reference.crosswalk import NSFC_TO_RGC


@lru_cache(maxsize=1)
def engine_crosswalk() -> Crosswalk:
    """Links as the engine's codes spell them (``scheme:code``, the classification's own scheme codes)."""
    return Crosswalk((f"nsfc:{n}", f"rgc-panel:{r}", conf) for n, r, conf, _note in NSFC_TO_RGC)


def crosswalk_filter(term: str, field: str = "disciplinecode") -> Q:
    """Rows whose code (``field`` → DisciplineCode) is a code the crosswalk links with full confidence to
    a code spelled ``term`` in any classification (``E-MCM`` reaches NSFC ``E01``…; ``F02`` reaches RGC
    panel ``E``), or below such a code. An empty ``Q(pk__in=[])``-like condition when nothing links."""
    from sciencebridge.classification.models import DisciplineCode

    term = term.strip()
    walk = engine_crosswalk()
    reached: set[str] = set()
    schemes = DisciplineCode.objects.filter(code__iexact=term).values_list(
        "scheme__code", flat=True
    )
    for scheme in schemes:
        reached.update(c for c, conf in walk.expand([f"{scheme}:{term}"]).items() if conf >= 1.0)
    cond = Q(pk__in=[])
    for code in reached:
        scheme, _sep, body = code_levels(code)[-1].rpartition(":")
        cond |= Q(**{f"{field}__scheme__code__iexact": scheme, f"{field}__code__istartswith": body})
    return cond
