"""Reading the raw folder: the only place the pipeline reads source files.

Every file under the raw folder (recursively, sorted by its POSIX path) is a source,
except dot-files (editor and VCS litter such as .gitkeep) and sidecars named
`NAME.meta.json`, which travel with the source they describe. A source the reader
cannot use becomes a rejection row with a reason code, never an exception and never a
silent drop; a link that leads outside the raw folder is refused without being read.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import polars as pl

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # far above any article; a guard against dumps and archives
SIDECAR_SUFFIX = ".meta.json"

FOUND_SCHEMA = {"source_path": pl.Utf8, "size_bytes": pl.Int64, "modified_ns": pl.Int64}
FINGERPRINT_SCHEMA = {**FOUND_SCHEMA, "content_sha256": pl.Utf8}
SOURCE_SCHEMA = {
    "source_path": pl.Utf8,
    "size_bytes": pl.Int64,
    "content": pl.Binary,
    "content_sha256": pl.Utf8,
    "metadata_json": pl.Utf8,
}
REJECT_SCHEMA = {"source_path": pl.Utf8, "reason": pl.Utf8, "detail": pl.Utf8}


def sidecar_candidates(source_path: str) -> list[str]:
    """Sidecar names a source may carry, most specific first.

    >>> sidecar_candidates("news/a.txt")
    ['news/a.txt.meta.json', 'news/a.meta.json']
    """
    stem, dot, _ = source_path.rpartition(".")
    names = [source_path + SIDECAR_SUFFIX]
    if dot and "/" not in source_path[len(stem):]:
        names.append(stem + SIDECAR_SUFFIX)
    return names


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def discover_sources(raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[pl.DataFrame, pl.DataFrame]:
    """List the sources under raw_dir in a stable order; returns (found, rejected)."""
    root = raw_dir.resolve()
    found: list[dict] = []
    rejected: list[dict] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for name in filenames:
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink() and not _inside(path.resolve(), root):
                rejected.append({"source_path": rel, "reason": "outside_raw",
                                 "detail": f"link points outside the raw folder (to {os.readlink(path)}); not followed"})
                continue
            try:
                stat = path.stat()
            except OSError as exc:
                rejected.append({"source_path": rel, "reason": "unreadable", "detail": f"cannot stat: {exc.strerror or exc}"})
                continue
            if stat.st_size > max_bytes:
                rejected.append({"source_path": rel, "reason": "too_large",
                                 "detail": f"{stat.st_size:,} bytes exceeds the limit of {max_bytes:,} (--max-bytes)"})
                continue
            found.append({"source_path": rel, "size_bytes": stat.st_size, "modified_ns": stat.st_mtime_ns})
    found_df = pl.DataFrame(found, schema=FOUND_SCHEMA).sort("source_path")
    rejected_df = pl.DataFrame(rejected, schema=REJECT_SCHEMA).sort("source_path")
    return found_df, rejected_df


def orphan_sidecars(raw_dir: Path, found: pl.DataFrame) -> pl.DataFrame:
    """Sidecars whose source is missing: reported, since a user put them there for a reason."""
    root = raw_dir.resolve()
    paths = set(found["source_path"].to_list())
    claimed = {c for p in paths for c in sidecar_candidates(p)}
    rows = []
    for path in sorted(root.rglob("*" + SIDECAR_SUFFIX)):
        rel = path.relative_to(root).as_posix()
        if rel not in claimed and not any(part.startswith(".") for part in Path(rel).parts):
            rows.append({"source_path": rel, "reason": "invalid", "detail": "metadata sidecar without a source file beside it"})
    return pl.DataFrame(rows, schema=REJECT_SCHEMA)


def fingerprint_sources(raw_dir: Path, found: pl.DataFrame, known: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add each listed source's sha256; returns (found, rejected).

    A file whose path, size and modification time match a row of `known` (the last
    manifest) keeps that row's hash unread, as git's index does; any other file is
    read once and hashed, keeping none of its bytes.
    """
    root = raw_dir.resolve()
    seen = {} if known is None else {
        (p, size, mtime): sha for p, size, mtime, sha in
        known.select("source_path", "size_bytes", "modified_ns", "content_sha256").iter_rows()}
    rows: list[dict] = []
    rejected: list[dict] = []
    for rel, size, mtime in found.select("source_path", "size_bytes", "modified_ns").iter_rows():
        sha = seen.get((rel, size, mtime))
        if sha is None:
            digest = hashlib.sha256()
            try:
                with open(root / rel, "rb") as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(chunk)
            except OSError as exc:
                rejected.append({"source_path": rel, "reason": "unreadable", "detail": f"cannot read: {exc.strerror or exc}"})
                continue
            sha = digest.hexdigest()
        rows.append({"source_path": rel, "size_bytes": size, "modified_ns": mtime, "content_sha256": sha})
    return pl.DataFrame(rows, schema=FINGERPRINT_SCHEMA), pl.DataFrame(rejected, schema=REJECT_SCHEMA)


def read_sources(raw_dir: Path, found: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read the bytes (and sidecar metadata) of the listed sources; returns (sources, rejected)."""
    root = raw_dir.resolve()
    rows: list[dict] = []
    rejected: list[dict] = []
    for rel, size in found.select("source_path", "size_bytes").iter_rows():
        try:
            content = (root / rel).read_bytes()
        except OSError as exc:
            rejected.append({"source_path": rel, "reason": "unreadable", "detail": f"cannot read: {exc.strerror or exc}"})
            continue
        metadata = None
        for candidate in sidecar_candidates(rel):
            sidecar = root / candidate
            if sidecar.is_file() and _inside(sidecar.resolve(), root):
                metadata = sidecar.read_text(encoding="utf-8", errors="replace")
                break
        rows.append({"source_path": rel, "size_bytes": len(content), "content": content,
                     "content_sha256": hashlib.sha256(content).hexdigest(), "metadata_json": metadata})
    return pl.DataFrame(rows, schema=SOURCE_SCHEMA), pl.DataFrame(rejected, schema=REJECT_SCHEMA)
