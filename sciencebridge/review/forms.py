from django import forms
from django.utils.translation import gettext_lazy as _

from sciencebridge.experts import matching_adapter
from sciencebridge.experts.models import ExpertProfile

from .conflicts import has_conflict
from .models import SCORE_MAX, SCORE_MIN, Recommendation
from .selectors import reviewer_candidates
from .services.assignment import DEFAULT_PROBABILITY_CAP, MODES, unit_by_key

MODE_LABELS = {
    "optimal": _("Maximise total affinity (proved optimal)"),
    "fair": _("Fairness: best worst-served proposal first"),
    "randomized": _(
        "Randomized: no reviewer more likely than the cap for any proposal (nobody can engineer "
        "who reviews whom)"
    ),
}


class StartRunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"), choices=[(m, MODE_LABELS[m]) for m in MODES], initial="optimal"
    )
    model = forms.ChoiceField(label=_("Text model"), required=False)
    probability_cap = forms.FloatField(
        label=_("Probability cap (randomized mode)"),
        required=False,
        min_value=0.05,
        max_value=1.0,
        initial=DEFAULT_PROBABILITY_CAP,
        help_text=_(
            "The highest probability with which any one expert is assigned to any one proposal. "
            "At 0.5 the benchmark keeps about 98% of the best total affinity."
        ),
    )

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = matching_adapter.model_choices()
        self.fields["model"].initial = matching_adapter.model_name(
            call.matching_model if call else None
        )


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Review deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reminder_days = forms.IntegerField(
        label=_("Reminder days before the deadline"), min_value=0, max_value=60, initial=3
    )


class AddReviewerForm(forms.Form):
    """A reviewer added by hand to one unit of a run: the expert typed as a name, an e-mail address
    or an expert number (a national database has 50,000 experts, too many for a list)."""

    unit = forms.CharField(widget=forms.HiddenInput)
    expert = forms.CharField(label=_("Add a reviewer"), max_length=200)

    def __init__(self, *args, run, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.run, self.user = run, user

    def clean_unit(self):
        unit = unit_by_key(self.run.call, self.run.side, self.cleaned_data["unit"])
        if unit is None or has_conflict(self.user, unit.proposal.pk):
            raise forms.ValidationError(_("This proposal is not one of the assignment's."))
        return unit

    def clean_expert(self):
        text = " ".join(self.cleaned_data["expert"].split())
        found = reviewer_candidates(self.run, text, limit=CANDIDATES_LISTED + 1)
        exact = [e for e in found if text.casefold() in _names(e)]
        if len(exact) == 1 or len(found) == 1:
            return (exact or found)[0]
        if not found:
            raise forms.ValidationError(
                _("No admitted expert of this review matches “%(text)s”.") % {"text": text}
            )
        listed = ", ".join(f"{e} (#{e.pk})" for e in found[:CANDIDATES_LISTED])
        raise forms.ValidationError(
            _(
                "Several experts match “%(text)s”: %(experts)s%(more)s. Type more of the name, the "
                "e-mail address or the expert number."
            )
            % {
                "text": text,
                "experts": listed,
                "more": "…" if len(found) > CANDIDATES_LISTED else "",
            }
        )


#: experts named in the message when a typed name matches several
CANDIDATES_LISTED = 5


def _names(expert: ExpertProfile) -> set[str]:
    return {x.casefold() for x in (expert.name_en, expert.name_zh, expert.email) if x}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


SCORE_CHOICES = [("", "—")] + [(str(i), str(i)) for i in range(SCORE_MIN, SCORE_MAX + 1)]


class ReviewForm(forms.Form):
    """One score (1–10) and comment per criterion of the scheme, in the scheme's order, then the
    comments and the overall recommendation."""

    comments_to_applicant = forms.CharField(
        label=_("Comments to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown to the applicants without your name."),
    )
    confidential_comments = forms.CharField(
        label=_("Confidential comments to the agency"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown to the applicants or other reviewers."),
    )
    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"),
        required=False,
        choices=[("", "—"), *Recommendation.choices],
    )

    def __init__(self, *args, review, **kwargs):
        self.rows = list(review.scores.all())
        initial = {
            "comments_to_applicant": review.comments_to_applicant,
            "confidential_comments": review.confidential_comments,
            "recommendation": review.recommendation,
        }
        for row in self.rows:
            initial[f"score_{row.criterion_id}"] = "" if row.score is None else str(row.score)
            initial[f"comment_{row.criterion_id}"] = row.comment
        super().__init__(*args, initial=initial, **kwargs)
        fields = {}
        for row in self.rows:
            c = row.criterion
            fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (weight %(w)s)") % {"name": c.name, "w": c.weight.normalize()},
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
            fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on “%(name)s”") % {"name": c.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**fields, **self.fields}

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "scores": {r.criterion_id: d.get(f"score_{r.criterion_id}") for r in self.rows},
            "score_comments": {
                r.criterion_id: d.get(f"comment_{r.criterion_id}", "") for r in self.rows
            },
            "comments_to_applicant": d["comments_to_applicant"],
            "confidential_comments": d["confidential_comments"],
            "recommendation": d["recommendation"],
        }
