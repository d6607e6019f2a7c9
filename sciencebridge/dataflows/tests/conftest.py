from .conftest_hgr import hgr  # noqa: F401
