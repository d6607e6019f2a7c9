"""Tests' record of the calls a function receives, for asserting what a cache computed afresh."""

from collections.abc import Callable


def record_calls(monkeypatch, owner, name: str, record: Callable) -> list:
    """Replace ``owner.name`` (for this test) with a wrapper that appends ``record(*args,
    **kwargs)`` to the list returned here, then calls the original with the same arguments."""
    calls = []
    real = getattr(owner, name)

    def recording(*args, **kwargs):
        calls.append(record(*args, **kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls
