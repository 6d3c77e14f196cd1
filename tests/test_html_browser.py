"""The HTML report in a real browser: filters work, nothing is fetched, it prints and works
without JavaScript.

Drives Debian's headless Chromium over the DevTools protocol (``tests/cdp.py``, standard
library only). Every request the page makes shows up as a ``Network.requestWillBeSent``
event, so "no network request" is asserted on what the browser reports, and a control page
that does make a request proves the monitor sees one. Screenshots land in
``test-output/html-report/`` (git-ignored) for a human look.

Without Chromium the test is skipped locally, but fails when ``CI`` is set: ``.ci/run``
installs it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from cdp import Browser, Page, find_chromium
from conftest import FIXTURES, ROOT

from csmlint.cli import main

ESTATE = FIXTURES / "topology" / "contoso"
"""A realistic estate: a VNet with two cloud services, a lone one, topology facts."""
OUTPUT = ROOT / "test-output" / "html-report"

RECORD_CSP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)
VISIBLE = "[...document.querySelectorAll({sel})].filter(e => e.checkVisibility()).length"


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        reason = "Chromium not found (apt-get install chromium, or set CSMLINT_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser test (.ci/run installs it)")
        pytest.skip(reason)
    return binary


@pytest.fixture()
def browser(chromium: str, tmp_path: Path) -> Any:
    with Browser(chromium, tmp_path / "profile", tmp_path / "chromium.log") as b:
        yield b


def _report(tmp_path: Path) -> Path:
    out = tmp_path / "report.html"
    with pytest.raises(SystemExit) as exit_:
        main(["lint", str(ESTATE), "--fail-on", "never", "--format", f"html={out}"])
    assert exit_.value.code == 0
    return out


def _count(page: Page, selector: str) -> int:
    return int(page.js(VISIBLE.format(sel=json.dumps(selector))))


def _open(browser: Browser, url: str, *, scripts: bool = True) -> Page:
    page = browser.new_page()
    if scripts:
        page.send("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CSP})
    else:
        page.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(url)
    return page


@pytest.mark.browser
def test_filters_work_offline_and_nothing_is_fetched(browser: Browser, tmp_path: Path) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    url = _report(tmp_path).as_uri()
    page = _open(browser, url)
    # "cannot tell" notes sit in folded groups: unfold them so every finding can be counted
    page.js("document.querySelectorAll('#cards details[data-cat]').forEach(d => { d.open = 1; })")

    total = _count(page, "#cards .finding")
    notes = _count(page, "#cards .finding[data-sev=note]")
    options = page.js("[...document.querySelectorAll('#svc-filter option')].map(o => o.value)")
    assert page.js("document.getElementById('filters').hidden") is False
    assert notes > 0 and total > notes, "the estate must have notes and other findings"
    assert len(options) >= 3, "the estate must have at least two cloud services"
    assert page.js("document.getElementById('shown').textContent") == (
        f"{total} of {total} findings shown"
    )
    page.screenshot(OUTPUT / "report.png")

    page.click("#filters input[name=sev][value=note]")  # a real mouse click
    assert page.js("document.querySelector('#filters input[value=note]').checked") is False
    assert _count(page, "#cards .finding[data-sev=note]") == 0
    assert _count(page, "#cards .finding") == total - notes
    page.click("#filters input[name=sev][value=note]")
    assert _count(page, "#cards .finding") == total

    blockers = _count(page, "#cards .finding[data-cat=blocker]")
    assert blockers > 0
    page.click("#filters input[name=cat][value=blocker]")
    assert _count(page, "#cards .finding[data-cat=blocker]") == 0
    assert _count(page, "#cards .finding") == total - blockers
    page.click("#filters input[name=cat][value=blocker]")

    shown_for_services = 0
    for sid in options[1:]:
        page.js(
            "(() => { const s = document.getElementById('svc-filter');"
            f" s.value = {json.dumps(sid)};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )
        mine = f"#cards .finding[data-svc~={sid}]"
        others = f"#cards .finding:not([data-svc~={sid}])"
        assert _count(page, others) == 0, f"{sid}: findings of other services still shown"
        assert _count(page, mine) == page.js(
            f"document.querySelectorAll({json.dumps(mine)}).length"
        )
        assert _count(page, f"#cards .card:not([data-svc~={sid}])") == 0
        shown_for_services += _count(page, mine)
    assert shown_for_services > 0, "no cloud service of the estate has findings"
    page.screenshot(OUTPUT / "report-one-service.png")

    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    assert page.js("getComputedStyle(document.getElementById('filters')).display") == "none"
    page.send("Emulation.setEmulatedMedia", {"media": ""})

    requests = [e["request"]["url"] for e in page.events("Network.requestWillBeSent")]
    assert requests == [url], f"the report made requests: {requests}"
    assert page.js("window.__csp") == [], "Content-Security-Policy violations"
    assert page.events("Runtime.exceptionThrown") == []
    problems = [e["entry"] for e in page.events("Log.entryAdded")]
    assert [p for p in problems if p["level"] in ("error", "warning")] == []


@pytest.mark.browser
def test_usable_without_javascript(browser: Browser, tmp_path: Path) -> None:
    page = _open(browser, _report(tmp_path).as_uri(), scripts=False)
    total = page.js("document.querySelectorAll('#cards .finding').length")
    assert total > 0
    folded = page.js(
        "document.querySelectorAll('#cards details[data-cat]:not([open]) .finding').length"
    )
    assert folded > 0, "the estate has no folded 'cannot tell' notes"
    assert _count(page, "#cards .finding") + folded == total, (
        "every finding is visible without JS, or one click away in a folded group"
    )
    assert _count(page, "#filters") == 0, "filters that cannot work stay hidden"
    assert _count(page, "button.copy") == 0


@pytest.mark.browser
def test_the_network_monitor_sees_requests(browser: Browser, tmp_path: Path) -> None:
    """Control: a page that does fetch something is caught, so an empty list means none."""
    control = tmp_path / "control.html"
    control.write_text('<img src="http://127.0.0.1:9/canary.png">', encoding="utf-8")
    page = _open(browser, control.as_uri())
    requests = [e["request"]["url"] for e in page.events("Network.requestWillBeSent")]
    assert "http://127.0.0.1:9/canary.png" in requests


WIDE_CONTENT = (
    "[...document.querySelectorAll('body *')].filter(e => e.checkVisibility() &&"
    " !e.closest('.scroll, pre') && e.getBoundingClientRect().right > {width} + 1)"
    ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1400])
def test_the_report_fits_phone_and_desktop_screens(
    browser: Browser, tmp_path: Path, width: int
) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(width=width, height=844)
    page.goto(_report(tmp_path).as_uri())
    scroll = page.js("document.documentElement.scrollWidth")
    assert scroll <= width, f"horizontal scroll at {width} px: {scroll} px wide"
    assert page.js(WIDE_CONTENT.format(width=width)) == []
    # wide tables scroll inside their own box, never the page
    assert page.js("[...document.querySelectorAll('table')].every(t => t.closest('.scroll'))")
    bar = page.js("document.getElementById('filters').getBoundingClientRect().height")
    is_open = page.js("document.getElementById('filter-box').open")
    if width == 390:
        assert is_open is False and bar < 60, f"filter bar {bar} px tall on a phone"
        page.click("#filter-box > summary")
        assert page.js("document.getElementById('filter-box').open") is True
    else:
        assert is_open is True
    meta = page.js("document.querySelector('header.top .meta').textContent")
    assert "csmlint " in meta and "generated " in meta
    assert page.js("document.querySelector('header.top time').getAttribute('datetime')")
    page.screenshot(OUTPUT / f"report-{width}px.png")


@pytest.mark.browser
def test_long_reports_fold_each_migration_unit(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csmlint.reporting import html

    monkeypatch.setattr(html, "COLLAPSE_AT", 1)
    page = browser.new_page(width=1400, height=900)
    page.goto(_report(tmp_path).as_uri())
    units = page.js("document.querySelectorAll('#cards details.unit').length")
    assert units >= 2
    assert page.js("document.querySelectorAll('#cards details.unit[open]').length") == 0
    assert _count(page, "#cards .finding") == 0, "folded units show their header only"
    page.click("#cards details.unit > summary")
    assert _count(page, "#cards .finding") > 0


@pytest.mark.browser
def test_filters_count_and_hide_brief_findings(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the detail budget findings are one line each (ul[data-sev] li): the filters
    count and hide them like the detailed ones, by severity, category and cloud service."""
    from csmlint.reporting import html

    monkeypatch.setattr(html, "DETAIL_BUDGET", 2)
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit):
        main(["lint", str(ESTATE), "--fail-on", "never", "--format", f"json={out}"])
    report = json.loads(out.read_text(encoding="utf-8"))
    active = [f for f in report["findings"] if not f.get("suppression")]
    page = _open(browser, _report(tmp_path).as_uri())
    page.js("document.querySelectorAll('#cards details').forEach(d => { d.open = true; })")
    every = "#cards .finding, #cards ul[data-sev] li"
    assert _count(page, "#cards .finding") == 2
    assert _count(page, every) == len(active)
    assert page.js("document.getElementById('shown').textContent") == (
        f"{len(active)} of {len(active)} findings shown"
    )
    notes = sum(1 for f in active if f["severity"] == "note")
    page.click("#filters input[name=sev][value=note]")
    assert _count(page, every) == len(active) - notes
    assert _count(page, "#cards ul[data-sev=note] li") == 0
    page.click("#filters input[name=sev][value=note]")
    page.click("#filters input[name=cat][value=unknown]")
    unknown = sum(1 for f in active if f["unknownFacts"])
    assert unknown > 0 and _count(page, every) == len(active) - unknown
    page.click("#filters input[name=cat][value=unknown]")
    options = page.js("[...document.querySelectorAll('#svc-filter option')].map(o => o.value)")
    for sid in options[1:]:
        page.js(
            "(() => { const s = document.getElementById('svc-filter');"
            f" s.value = {json.dumps(sid)};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )
        shown = _count(page, every)
        text = page.js("document.getElementById('shown').textContent")
        assert text == f"{shown} of {len(active)} findings shown", sid
        hidden_cards = f"#cards .card:not([data-svc~={sid}])"
        assert _count(page, hidden_cards) == 0
    assert page.events("Runtime.exceptionThrown") == []


@pytest.mark.browser
def test_the_plan_page_has_a_copy_button_per_box_and_no_violation(
    browser: Browser, tmp_path: Path
) -> None:
    """New-user check: the plan HTML reserved the Copy button's room but had no script."""
    out = tmp_path / "plan.html"
    with pytest.raises(SystemExit) as exit_:
        main(["plan", str(FIXTURES / "examples" / "lamna"), "--format", "html", "-o", str(out)])
    assert exit_.value.code in (0, 1)
    page = _open(browser, out.as_uri())
    boxes = page.js("document.querySelectorAll('pre.cmd').length")
    assert boxes > 10
    assert page.js("document.querySelectorAll('button.copy').length") == boxes
    assert page.js("window.__csp") == [], "Content-Security-Policy violations"
    assert page.events("Runtime.exceptionThrown") == []
