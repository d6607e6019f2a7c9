"""The access matrix of issue 11: every route of the URL conf × every identity, expectations as data.

Files:
- ``identities.py``: the 19 identities, built in one place (switch them to verified affiliations here);
- ``world.py``: one object of every kind, built with the services; ``targets.py``: the URL kwargs from it;
- ``rules.py``: THE table (route → who may read / act) and ``KNOWN_OPEN``; ``dsl.py``: the rule language;
- ``routes.py`` / ``urls_default.py``: the URL conf walked recursively, as the default (DEBUG) set-up builds it;
- ``test_access_matrix.py``: the generated cells; ``fingerprint.py``: "nothing changed" after a refused POST.

Adding a page: add its rule to ``rules.py`` (and its kwargs to ``targets.py`` if it takes any), or CI fails.
Adding a kind of uploaded or generated file: the file checks find it under MEDIA_ROOT and fail until
``rules.py`` says who may read it on ``core:file``. Run: ``pytest sciencebridge/core/tests/access_matrix -q``; the counts are
printed in the "access matrix" section at the end.
"""
