"""The joint review meeting's rows: each proposal of the page with both sides' halves as the meeting
shows them, and the key under which a rendered row is kept.

A row is kept in the ``fragments`` cache (``decisions/meeting.html``) under ``row_key``: every value
the row shows, so a row whose key is unchanged renders the same and a kept row is never out of date
(as the officer's list, ``funding.officer_list.row_key``). Rendering the 50 rows of a page, two cells
each, was a third of a national meeting page's time (issue 16)."""

from __future__ import annotations

from modeltranslation.utils import get_language

from . import selectors
from .services import decisions as dsvc
from .services import gates
from .services.panel import PanelRow


def meeting_rows(user, call, views: dict, sides: list, page_ids: list) -> list[dict]:
    """``{"proposal", "cells", "key"}`` for the proposals ``page_ids`` (in that order), one cell per
    side in ``sides``; ``views``: the ``PanelView`` of each side as ``user`` may see it. A proposal
    the user has a conflict with is left out (``selectors.meeting_proposals``)."""
    stage = gates.review_stage_blockers(call)
    rows = []
    for p in selectors.meeting_proposals(user, call, ids=page_ids):
        cells = [_cell(user, views[side], side, p.half(side), stage) for side in sides]
        rows.append({"proposal": p, "cells": cells, "key": row_key(p, cells)})
    position = {pid: i for i, pid in enumerate(page_ids)}
    rows.sort(key=lambda r: position[r["proposal"].pk])
    return rows


def _cell(user, view, side: str, half, stage: dict) -> dict:
    if half is None:
        return {"side": side, "half": None}
    result = view.result_for(half)
    mine = dsvc.may_decide_for(user, half)
    return {
        "side": side,
        "half": half,
        "row": PanelRow(half, result) if result else None,
        "rec": getattr(half, "panel_recommendation", None),
        "decision": getattr(half, "side_decision", None),
        "mine": mine,
        "blockers": gates.decision_blockers(half, stage=stage) if mine else [],
    }


def row_key(proposal, cells: list[dict]) -> str:
    """Every value a row of ``decisions/meeting.html`` shows, and the page's language."""
    return repr(
        (
            proposal.pk,
            proposal.reference,
            proposal.title,
            tuple(_cell_key(c) for c in cells),
            get_language(),
        )
    )


def _cell_key(cell: dict) -> tuple:
    half = cell["half"]
    if half is None:
        return (cell["side"],)
    result = cell["row"].result if cell["row"] else None
    rec, decision = cell["rec"], cell["decision"]
    return (
        cell["side"],
        half.pk,
        half.state,
        result and (result.n, result.rank, result.calibrated, result.raw, result.spread),
        rec and rec.recommendation,
        decision and (decision.state, decision.amount and decision.amount.amount),
        cell["mine"],
        tuple(str(b) for b in cell["blockers"]),
    )
