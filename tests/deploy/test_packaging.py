"""The wheel the image installs: it carries every file the package reads at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.deploy.files import ROOT

PACKAGE = ROOT / "dashboard"


def _data_files() -> set[str]:
    """Every file of the package that is not Python source, as a path inside the wheel."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and path.suffix not in {".py", ".pyc"}
        and not {"__pycache__", "precompressed"} & set(path.parts)  # precompressed: made at install
    }


def test_the_wheel_ships_the_assets_and_data_files(tmp_path: Path):
    # A copy of what the image builds from: setuptools reuses a build/ folder, whose leftovers
    # would hide a file the package data no longer names.
    source = tmp_path / "source"
    shutil.copytree(PACKAGE, source / "dashboard", ignore=shutil.ignore_patterns("__pycache__", "precompressed"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    # --no-build-isolation: the locked setuptools of this environment, no index needed.
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path)]
    subprocess.run(
        [*build, "."],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    assert any(name.startswith("dashboard/ui/assets/") for name in _data_files())  # the walk still finds them
    assert _data_files() <= shipped, f"left out of the wheel: {sorted(_data_files() - shipped)}"
