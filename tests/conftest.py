"""Shared fixtures: small record trees built from tests/fixtures on top of the real vocabularies."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_tree(target: Path, fixture: str = "mini") -> Path:
    """A record tree: the repository's taxonomy, venues, site config and the named fixture's records."""
    shutil.copytree(FIXTURES / fixture, target, dirs_exist_ok=True)
    for name in ("taxonomy.yaml", "venues.yaml", "CITATION.cff"):
        shutil.copy(REPO / name, target / name)
    for folder in ("docs", "overrides"):
        shutil.copytree(REPO / folder, target / folder, dirs_exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - thg/site/hooks.py", f"  - {REPO / 'thg' / 'site' / 'hooks.py'}")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in ("papers", "datasets", "metrics", "losses", "protocols"):
        (target / folder).mkdir(exist_ok=True)
    return target


@pytest.fixture
def mini_tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "tree")


@pytest.fixture
def tree_factory(tmp_path: Path) -> Callable[[str], Path]:
    def factory(fixture: str = "mini") -> Path:
        return make_tree(tmp_path / f"tree-{fixture}", fixture)

    return factory
