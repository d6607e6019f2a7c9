"""Side rankings already computed, kept per process and reused while their inputs are unchanged.

Ranking a national call side fits the calibration on every submitted review of the side (tens of
thousands) and counts the valid ones: seconds of work that every panel, meeting and recommend page
would otherwise repeat. The ranking is a pure function of data in the database, so each entry is kept
with a *stamp* of those inputs, read on every request, and used only while the stamp is unchanged
(``core.stamped_cache``).

The stamp is built from what the request reads anyway (the criteria and their weights, every half of
the call with its state and institution, the side's review rules and deadlines; on PostgreSQL the
halves come as their number and a digest, ``panel._call_halves_stamp``) plus three reads answered
from an index:

- reviews: the largest id and the latest ``updated_at`` of all reviews. A submitted review is never
  edited by the application (its scores and recommendation are fixed at submission, which writes
  ``updated_at``); a new one has a new id; and an admin's edit saves ``updated_at``;
- experts: the latest ``updated_at`` of the profiles (an institution change saves it, and a declared
  conflict added, edited or removed touches it: ``experts.models.touch``);
- declared conflicts: their number and largest id, in case a conflict is written without the touch;

and today's date (a declared conflict stops counting the day after its ``until``). Anything outside
these (an edit of a seat's state in the admin, say) is picked up at the latest after five minutes.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.utils import timezone

from sciencebridge.core.stamped_cache import StampedCache

#: A few panels meet at a time; a national side's ranking is a few MB (1.4 MB pickled). An entry
#: is trusted for five minutes at most, whatever its stamp (a bound for writes that bypass the
#: application and the admin).
side_rankings = StampedCache(max_entries=8, max_age=300.0)


def inputs_stamp(*, criteria, call_halves, rules, deadlines) -> tuple:
    """The stamp of a side ranking's inputs; ``criteria``, ``call_halves``, ``rules`` and
    ``deadlines`` are the values the caller has just read."""
    from sciencebridge.experts.models import DeclaredConflict, ExpertProfile
    from sciencebridge.review.models import Review

    reviews = Review.objects.aggregate(top=Max("id"), last=Max("updated_at"))
    experts = ExpertProfile.objects.aggregate(last=Max("updated_at"))
    declared = DeclaredConflict.objects.aggregate(n=Count("id"), top=Max("id"))
    return (
        tuple((c.pk, c.order, str(c.weight)) for c in criteria),
        tuple(call_halves),
        rules,
        tuple(sorted(deadlines.items())),
        (reviews["top"], reviews["last"]),
        experts["last"],
        (declared["n"], declared["top"]),
        timezone.localdate(),
    )
