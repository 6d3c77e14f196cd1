"""Every row of the rule catalog is a shipped rule, with the catalog's slug, id and path."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import shared_path

from csmlint.rulepack.loader import load_rules

DATA = Path(__file__).parent / "data" / "catalog.tsv"


def _rows() -> list[tuple[int, str, str, str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        num, slug, path, klass, sev = line.split("\t")
        rows.append((int(num), slug, path, klass, sev))
    return rows


def test_copy_matches_the_catalog() -> None:
    catalog = shared_path("design", "rules-catalog.md").read_text(encoding="utf-8")
    live = re.findall(r"^\| (\d+) \| ([a-z0-9-]+) \|", catalog, flags=re.M)
    assert [(int(n), s) for n, s in live] == [(n, s) for n, s, *_ in _rows()]


def test_every_catalog_row_is_a_rule() -> None:
    rules = {r.name: r for r in load_rules()}
    missing = [f"{n} {slug}" for n, slug, *_ in _rows() if slug not in rules]
    assert not missing, f"catalog rows without a rule: {', '.join(missing)}"


def test_catalog_rules_use_row_ids_and_paths() -> None:
    rules = {r.name: r for r in load_rules()}
    wrong = []
    for num, slug, path, _klass, _sev in _rows():
        rule = rules.get(slug)
        if rule is None:
            continue
        if rule.id != f"CSM{100 + num}":
            wrong.append(f"{slug}: id {rule.id}, expected CSM{100 + num}")
        if rule.migration != path:
            wrong.append(f"{slug}: migration {rule.migration}, catalog says {path}")
    assert not wrong, "\n".join(wrong)


def test_every_rule_cites_a_source() -> None:
    for rule in load_rules():
        assert rule.references, rule.id
        assert any(r.url or r.seed for r in rule.references), rule.id
