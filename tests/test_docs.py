"""The generated rule reference under docs/rules matches the packs."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, ROOT

from csmlint import docsgen
from csmlint.rulepack.loader import load_rules

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


_COUNT = re.compile(r"The \d+ rules \(`csmlint rules`")


def test_readme_counts_the_rules_of_the_packs(request: pytest.FixtureRequest) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    wanted = f"The {len(load_rules())} rules (`csmlint rules`"
    if request.config.getoption("--update-snapshots"):
        text = _COUNT.sub(wanted, text)
        readme.write_text(text, encoding="utf-8")
    assert _COUNT.search(text), "README.md no longer says how many rules there are"
    assert wanted in text, f"README.md must say {wanted!r} (pytest --update-snapshots)"


_TEMPLATE = re.compile(r"\{\{|\{%")
_INTERNAL = re.compile(r"\bseeds?\b|\bS[012]\b|\d{3}_[0-9a-f]{16}\.txt|rules-catalog", re.I)


def test_user_facing_text_speaks_to_users() -> None:
    """No template syntax and no internal references (the source documents' file names,
    'seed S1', the catalog) in the rule reference, ``explain`` or the rules' own text."""
    from csmlint.rulepack.explain import explain_text

    bad = []
    for name, page in docsgen.generate(FIXTURES / "rules").items():
        for pattern in (_TEMPLATE, _INTERNAL):
            for m in pattern.finditer(page):
                bad.append(f"docs/rules/{name}: {m.group(0)!r}")
    for rule in load_rules():
        shown = [rule.title, rule.rationale, *(ref.title for ref in rule.references)]
        if _INTERNAL.search(" ".join(shown)) or _INTERNAL.search(explain_text(rule)):
            bad.append(f"{rule.id}: internal reference in its text")
        if _TEMPLATE.search(explain_text(rule)):
            bad.append(f"{rule.id}: template syntax in explain")
        if not all(ref.url and ref.url.startswith("https://") for ref in rule.references):
            bad.append(f"{rule.id}: a reference without a public URL")
    assert not bad, "\n".join(bad)


def test_explain_shows_conditions_in_words() -> None:
    from csmlint.rulepack.explain import explain_text, find_rule

    rule = find_rule(load_rules(), "vpn-gateway-present")
    assert rule is not None
    text = explain_text(rule)
    assert (
        "Fires when gateways has an item where kind is 'vpn' (once known) "
        "and hasPaas is known." in text
    )
    assert "When also hasPaas is true: severity error" in text
    assert '{"field"' not in text


def test_explain_names_what_a_name_placeholder_stands_for() -> None:
    """Without an entity, a message's ``shownName`` reads as the name it stands for (by the
    path before it, else the rule's scope), never as the template's field name."""
    from csmlint.rulepack.explain import explain_text, find_rule
    from csmlint.rulepack.loader import load_rules

    rules = load_rules()
    for rule_id, name in (("CSM118", "'<cloud-service-name>'"), ("CSM116", "'<deployment-name>'")):
        rule = find_rule(rules, rule_id)
        assert rule is not None
        text = explain_text(rule)
        assert name in text and "<shownName>" not in text and "shownName" not in text
        assert "Values in <angle brackets> are filled in from your inputs" in text
