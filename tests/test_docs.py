"""The generated rule reference under docs/rules matches the packs."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT

from csmlint import docsgen

DOCS = ROOT / "docs" / "rules"


def test_rule_reference_is_current(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-snapshots"):
        docsgen.write(DOCS, FIXTURES / "rules")
    pages = docsgen.generate(FIXTURES / "rules")
    stale = [
        name
        for name, text in pages.items()
        if not (DOCS / name).is_file() or (DOCS / name).read_text(encoding="utf-8") != text
    ]
    extra = sorted(p.name for p in DOCS.glob("*.md") if p.name not in pages)
    assert not stale and not extra, (
        f"docs/rules is stale ({len(stale)} pages differ, extra: {extra}): run "
        "`python -m csmlint.docsgen docs/rules` (or pytest --update-snapshots tests/test_docs.py)"
    )


def test_every_page_links_its_fixtures() -> None:
    for name, text in docsgen.generate(FIXTURES / "rules").items():
        if name != docsgen.INDEX:
            assert "## Tested examples" in text, name
