"""Versions that decide what a re-run may reuse.

- `code_version`: the pipeline's release plus a hash of its own source files, so any
  change to the extraction code re-extracts everything;
- `text_rules_version`: the reference files that shape the cleaned text and sentences
  (editing them re-reads every source's text);
- `reference_version`: all reference data (editing an alias or a lexicon re-derives
  mentions, dates, events, claims and allegations from the stored text, without
  re-cleaning any source).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PIPELINE_VERSION = "0.1.0"
FLOWS_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = FLOWS_DIR.parent / "data" / "reference"
TEXT_RULE_FILES = ("documents.yaml", "sentences.yaml", "dates.yaml")


def files_digest(paths: list[Path], root: Path) -> str:
    """A short sha256 over the names and bytes of the given files, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def code_version(flows_dir: Path = FLOWS_DIR) -> str:
    return f"{PIPELINE_VERSION}+{files_digest(list(flows_dir.glob('*.py')), flows_dir)}"


def reference_version(reference_dir: Path = REFERENCE_DIR) -> str:
    return files_digest([p for p in reference_dir.rglob("*") if p.is_file()], reference_dir)


def text_rules_version(reference_dir: Path = REFERENCE_DIR) -> str:
    return files_digest([reference_dir / name for name in TEXT_RULE_FILES if (reference_dir / name).is_file()], reference_dir)
