"""Evaluation of the affinity engine on the expertise gold standard: ``python -m matching.evaluation``."""

from matching.evaluation.metric import (
    ParticipantCost,
    Summary,
    bootstrap_ci,
    participant_cost,
    pooled,
    summarise,
)

__all__ = ["ParticipantCost", "Summary", "bootstrap_ci", "participant_cost", "pooled", "summarise"]
