"""Review rules of issue 17 kept apart from the review flow they feed:

- ``ExpertExclusion``: an expert the applicant asks to avoid, named on their half (up to the scheme side's
  ``avoid_experts_max``), matched to expert profiles by ``services.match_experts``. The match is shown to
  the officers of that side only; an applicant sees "recorded" and nothing else. A matched exclusion in
  force is a conflict of interest ("named by the applicant": ``review/conflicts.py``) until an officer of
  that side overrides it with a reason (``in force → overridden``, on the timeline).

The reviewer's own concurrent application and duplicate submissions are detected from the proposals'
texts (``similarity.py``) and need no table.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExclusionState(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    OVERRIDDEN = "overridden", _("Overridden by an officer")


class ExpertExclusion(models.Model):
    TRANSITIONS = {ExclusionState.IN_FORCE: {ExclusionState.OVERRIDDEN}}

    half = models.ForeignKey(
        "funding.ProposalHalf", on_delete=models.CASCADE, related_name="expert_exclusions"
    )
    name = models.CharField(_("name"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    reason = models.TextField(_("reason"), max_length=2000)
    matched_experts = models.ManyToManyField(
        "experts.ExpertProfile", blank=True, related_name="+", verbose_name=_("matched experts")
    )
    matched_at = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField(
        max_length=12, choices=ExclusionState.choices, default=ExclusionState.IN_FORCE
    )
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["half", "pk"]
        verbose_name = _("expert to avoid")
        verbose_name_plural = _("experts to avoid")

    def __str__(self):
        return f"{self.half} · {self.name}"

    @property
    def in_force(self) -> bool:
        return self.state == ExclusionState.IN_FORCE
