"""Conflict-of-interest (avoidance, 回避) rules between proposals and experts.

from matching.conflicts import ConflictPolicy, ProposalRecord, ExpertRecord, check_conflicts
result = check_conflicts(proposals, experts, ConflictPolicy(coauthorship_years=3))
result.mask                      # P x E scipy CSR bool; pass to the affinity scorer / solver
result.reasons(p_index, e_index) # [ConflictReason(code, message, evidence)]
"""

from matching.conflicts.rules import (
    Coauthorship,
    ConflictChecker,
    ConflictContext,
    ConflictPolicy,
    ConflictReason,
    ConflictResult,
    ConflictRule,
    DeclaredConflict,
    Employment,
    ExpertRecord,
    PairRule,
    ProposalRecord,
    RecentCoauthor,
    RecentEmployment,
    SameDepartment,
    SameInstitution,
    TeamMember,
    check_conflicts,
)

__all__ = [
    "Coauthorship",
    "ConflictChecker",
    "ConflictContext",
    "ConflictPolicy",
    "ConflictReason",
    "ConflictResult",
    "ConflictRule",
    "DeclaredConflict",
    "Employment",
    "ExpertRecord",
    "PairRule",
    "ProposalRecord",
    "RecentCoauthor",
    "RecentEmployment",
    "SameDepartment",
    "SameInstitution",
    "TeamMember",
    "check_conflicts",
]
