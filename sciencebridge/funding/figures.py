"""Funding figures over every proposal, kept per process (issue 16).

The public dashboard (``/cooperation/``), its CSV files and the indicators page count and add up
every proposal: joint proposals submitted and funded per area, money committed per side and year,
the live indicators and the workplan items linked to a funding metric. On the scale data (100,000
proposals) that was 641 of the dashboard's 726 ms, on every request. Each figure is kept
(``core.stamped_cache``) with a stamp of its inputs, read once per request in one query of index
reads:

- the halves: the largest id (a new half) and the id of the latest recorded step of any half. Every
  change of a half's state goes through ``core.workflow.transition``, which records one; the amount
  awarded is set by the funding decision's step;
- the proposals: each call's latest ``updated_at``, from the ``(call, updated_at)`` index (an area
  or a call changed);
- the calls: how many, and the latest closing time (the year a figure is counted in).

A removed proposal, which no stamp sees, drops every kept figure in this process
(``forget_removed_proposal``). Anything else (an older call's closing time edited in the admin, a
raw SQL edit) is seen after five minutes at most."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cache
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import post_delete
from django.dispatch import receiver

from sciencebridge.core.models import StateTransition
from sciencebridge.core.request_cache import once_per_request
from sciencebridge.core.stamped_cache import StampedCache

from .models import Call, JointProposal, ProposalHalf

T = TypeVar("T")

#: One small entry per figure and filter (a number, or a few rows per year or area).
kept = StampedCache(max_entries=512, max_age=300.0)


def kept_figure(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or the value it gave for ``key`` while no proposal, half or call changed.
    Callers must not mutate what they get back."""
    return kept.get_or_compute(key, stamp(), compute)


def stamp() -> tuple:
    """Changes whenever a half is added or changes state, a proposal is edited, or a call is added
    or its latest closing time moves (see the module's docstring)."""
    return once_per_request(("funding.figures.stamp",), _read_stamp)


def _read_stamp() -> tuple:
    half_type = ContentType.objects.get_for_model(ProposalHalf)  # kept by Django per process
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [half_type.pk])
        return tuple(cursor.fetchone())


@cache
def _stamp_sql() -> str:
    q = connection.ops.quote_name
    half, step, proposal, call = (
        q(model._meta.db_table) for model in (ProposalHalf, StateTransition, JointProposal, Call)
    )
    return (
        f"SELECT (SELECT MAX(id) FROM {half}),"
        f" (SELECT MAX(id) FROM {step} WHERE content_type_id = %s),"
        # one read of the (call, updated_at) index per call, not a scan of every proposal
        f" (SELECT MAX((SELECT MAX(p.updated_at) FROM {proposal} p WHERE p.call_id = c.id))"
        f" FROM {call} c),"
        f" (SELECT COUNT(*) FROM {call}), (SELECT MAX(closes_at) FROM {call})"
    )


@receiver(post_delete, sender=JointProposal)
def forget_removed_proposal(sender, instance, **kwargs):
    kept.discard_where(lambda key: True)
