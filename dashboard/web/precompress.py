"""Bundles compressed once, when the package is installed, instead of by each server process.

`python -m dashboard.web.precompress` (the Dockerfile and `make install` run it) compresses the
JavaScript and CSS a page loads — Dash's renderer and component bundles, the async chunks our
pages use, plotly.js's partial bundle, our own assets — with brotli at its best quality (11: 1.9
MB for what quality 9 makes 2.1 MB) and gzip -9, into PRECOMPRESSED_DIR, each file named by the
hash of what it compresses. asset_delivery looks a bundle up there by that hash before
compressing it itself: a worker's first request for plotly.js reads 0.4 MB from disk instead of
spending ~0.3 s of CPU, and nothing stale can be served (changed bytes, another hash).

A file missing from the folder (an asset added since, a development checkout never installed) is
compressed on first use as before: the folder is an optimisation, never a requirement.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

try:
    import brotli
except ImportError:  # pragma: no cover - brotli comes with flask-compress
    brotli = None

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PRECOMPRESSED_DIR = Path(__file__).resolve().parent / "precompressed"
SUFFIX = {"br": ".br", "gzip": ".gz"}

# What a page of this dashboard loads, by package: (folder inside it, glob). Source maps,
# development builds and the chunks no page uses (Dash's data table, MathJax, AG Grid Enterprise)
# are left to first use.
SOURCES = (
    ("dash", "deps", "*.min.js"),
    ("dash", "dash-renderer/build", "dash_renderer.min.js"),
    ("dash", "dcc", "*.js"),
    ("dash", "html", "*.min.js"),
    ("dash_bootstrap_components", "_components", "*.min.js"),
    ("dash_ag_grid", "", "*.js"),
)
LEFT_TO_FIRST_USE = ("async-mathjax", "async-enterprise")
OWN = (PACKAGE_DIR / "ui" / "assets", PACKAGE_DIR / "web" / "vendor", PACKAGE_DIR / "web" / "static")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def lookup(data: bytes, encoding: str, folder: Optional[Path] = None) -> Optional[bytes]:
    """`data` compressed with `encoding` ("br" or "gzip") at install time, or None."""
    try:
        return ((folder or PRECOMPRESSED_DIR) / (digest(data) + SUFFIX[encoding])).read_bytes()
    except (OSError, KeyError):
        return None


def files() -> Iterator[Path]:
    """Every file the install step compresses."""
    for package, folder, pattern in SOURCES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        for path in sorted((Path(spec.origin).parent / folder).glob(pattern)):
            if not any(name in path.name for name in LEFT_TO_FIRST_USE):
                yield path
    for own in OWN:
        for path in sorted(own.rglob("*")):
            if path.suffix in (".js", ".css", ".svg"):
                yield path


def compress_all(folder: Path = PRECOMPRESSED_DIR, *, quality: int = 11) -> tuple[int, int, int]:
    """Write every file's brotli and gzip forms not there yet, and drop those of files gone (an
    upgraded package); returns (files, bytes in, bytes of brotli)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = raw = compressed = 0
    kept: set[str] = set()
    for path in files():
        data = path.read_bytes()
        name = digest(data)
        kept.update(name + suffix for suffix in SUFFIX.values())
        count, raw = count + 1, raw + len(data)
        br = folder / (name + SUFFIX["br"])
        if brotli is not None and not br.exists():
            br.write_bytes(brotli.compress(data, quality=quality))
        gz = folder / (name + SUFFIX["gzip"])
        if not gz.exists():
            gz.write_bytes(gzip.compress(data, 9, mtime=0))
        compressed += br.stat().st_size if br.exists() else 0
    for old in folder.iterdir():
        if old.suffix in SUFFIX.values() and old.name not in kept:
            old.unlink()
    return count, raw, compressed


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--folder", type=Path, default=PRECOMPRESSED_DIR)
    parser.add_argument("--quality", type=int, default=11, help="brotli quality, 0-11")
    args = parser.parse_args(argv)
    began = time.monotonic()
    count, raw, compressed = compress_all(args.folder, quality=args.quality)
    print(
        f"precompressed {count} files, {raw / 1e6:.1f} MB -> {compressed / 1e6:.1f} MB brotli,"
        f" in {time.monotonic() - began:.1f} s: {args.folder}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
