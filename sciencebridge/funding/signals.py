"""Signals other domains listen to, so that funding does not import them."""

from django.dispatch import Signal

# Sent once when the second side of a joint proposal is funded (both halves FUNDED), inside the
# decision's transaction. Arguments: proposal (JointProposal), actor (User). Projects are created here.
proposal_jointly_funded = Signal()
