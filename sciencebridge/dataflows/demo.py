"""Demo data of the data-flow app (each part seeds its own)."""

from .demo_samples import LOGINS as _SAMPLE_LOGINS
from .demo_samples import seed as _seed_samples

LOGINS = [*_SAMPLE_LOGINS]


def seed(command, rng):
    _seed_samples(command, rng)
