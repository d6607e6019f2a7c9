from sciencebridge.projects.tests.conftest import funded  # noqa: F401

from .conftest_hgr import hgr  # noqa: F401
