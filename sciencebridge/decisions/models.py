"""Panels and joint funding decisions.

- ``Panel``: one per call and side (each agency reviews the half submitted to it), with its chair.
- ``PanelRecommendation``: the chair's recommendation and discussion notes for one proposal half;
  every change is a recorded workflow step (``core.workflow``) and kept in its audit history.
- ``SideDecision``: one agency's funding decision for its own half. A "fund" decision commits the
  money at once (it counts against the side's call budget) but the half becomes FUNDED only when the
  partner side funds too: a joint project is funded only when both sides fund it. If either side
  declines, both halves end NOT_FUNDED and a partner's commitment is *released* (back to its budget).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from sciencebridge.funding.models import Side


class Panel(models.Model):
    call = models.ForeignKey(
        "funding.Call", verbose_name=_("call"), on_delete=models.CASCADE, related_name="panels"
    )
    side = models.CharField(_("side"), max_length=2, choices=Side.choices)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_panels",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        constraints = [
            models.UniqueConstraint(fields=["call", "side"], name="uniq_panel_per_call_side")
        ]

    def __str__(self):
        return f"{self.call} · {self.get_side_display()}"


class Recommendation(models.TextChoices):
    NONE = "", _("Not yet discussed")
    FUND = "fund", _("Fund")
    FUND_CONDITIONS = "fund_conditions", _("Fund with conditions")
    RESERVE = "reserve", _("Reserve")
    REJECT = "reject", _("Reject")


class PanelRecommendation(models.Model):
    STATE_FIELD = "recommendation"
    # The chair may revise a recommendation until the agency decides; every change is a timeline step.
    TRANSITIONS = {s: set(Recommendation.values) - {""} for s in Recommendation.values}

    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="recommendations"
    )
    half = models.OneToOneField(
        "funding.ProposalHalf",
        verbose_name=_("proposal half"),
        on_delete=models.CASCADE,
        related_name="panel_recommendation",
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True, default=""
    )
    notes = models.TextField(_("discussion notes"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    raw_score = models.FloatField(_("raw weighted score"), null=True, blank=True)
    calibrated_score = models.FloatField(_("calibrated weighted score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel recommendation")
        verbose_name_plural = _("panel recommendations")

    def __str__(self):
        return f"{self.half} · {_('panel recommendation')}"


class DecisionState(models.TextChoices):
    NONE = "", _("Not decided")
    COMMITTED = "committed", _("Fund: money committed, awaiting the partner side")
    AWARDED = "awarded", _("Funded (both sides fund)")
    DECLINED = "declined", _("Not funded by this side")
    RELEASED = "released", _("Not funded: the partner side declined; commitment released")


COMMITTING_STATES = (DecisionState.COMMITTED, DecisionState.AWARDED)
FINAL_DECISION_STATES = (DecisionState.AWARDED, DecisionState.DECLINED, DecisionState.RELEASED)


class SideDecision(models.Model):
    TRANSITIONS = {
        DecisionState.NONE: {
            DecisionState.COMMITTED,
            DecisionState.AWARDED,
            DecisionState.DECLINED,
            DecisionState.RELEASED,
        },
        DecisionState.COMMITTED: {DecisionState.AWARDED, DecisionState.RELEASED},
    }

    call = models.ForeignKey(
        "funding.Call", on_delete=models.PROTECT, related_name="side_decisions"
    )
    side = models.CharField(_("side"), max_length=2, choices=Side.choices)
    half = models.OneToOneField(
        "funding.ProposalHalf",
        verbose_name=_("proposal half"),
        on_delete=models.PROTECT,
        related_name="side_decision",
    )
    state = models.CharField(
        _("decision"), max_length=12, choices=DecisionState.choices, blank=True, default=""
    )
    state_changed_at = models.DateTimeField(null=True, blank=True)
    amount = MoneyField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        currency_choices=settings.CURRENCY_CHOICES,
    )
    conditions = models.TextField(_("conditions of award"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding decision")
        verbose_name_plural = _("funding decisions")
        indexes = [models.Index(fields=["call", "side", "state"])]

    def __str__(self):
        return f"{self.half} · {_('funding decision')}"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_DECISION_STATES
