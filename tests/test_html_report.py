"""The HTML report: safe with hostile input, self-contained, deterministic, fast.

The browser half (filters, no network request, screenshot) is tests/test_html_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from csmlint.cli import main
from csmlint.engine import RunOptions, run
from csmlint.findings.finding import (
    Excerpt,
    Finding,
    Remediation,
    ReportContext,
    RunResult,
    ServiceStatus,
    UnitStatus,
)
from csmlint.model.location import SourceRef
from csmlint.reporting import get_reporter
from csmlint.reporting.html import (
    DETAIL_BUDGET,
    environment,
    render,
    safe_url,
    share_messages,
    visible,
)
from csmlint.reporting.html_cards import FindingView

HOSTILE = FIXTURES / "hostile" / "html"
CTX = ReportContext(version="0.0.0-test")


class Page(HTMLParser):
    """Everything the tests look at in a produced page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.raw[self._in][-1] += data
        else:
            self.text.append(data)

    def attrs(self, tag: str | None = None) -> list[tuple[str, str, str]]:
        return [
            (t, name, value or "")
            for t, attrs in self.tags
            for name, value in attrs
            if tag in (None, t)
        ]

    def csp(self) -> str:
        metas = [
            dict(attrs).get("content") or ""
            for tag, attrs in self.tags
            if tag == "meta"
            and (dict(attrs).get("http-equiv") or "").lower() == "content-security-policy"
        ]
        assert len(metas) == 1, "exactly one Content-Security-Policy meta"
        return metas[0]


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _hostile_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Page]:
    out = tmp_path / "report.html"
    # A fixed clock (2026-01-01 00:00 UTC): the page shows when it was generated, and a
    # wall-clock minute such as 00:49 must not read as an evaluated {{ 7*7 }}.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "lint",
                str(HOSTILE / "script_in_setting_name.cscfg"),
                "--rules",
                str(HOSTILE / "echo-pack"),
                "--format",
                f"html={out}",
                "--fail-on",
                "never",
            ]
        )
    assert exit_.value.code == 0
    text = out.read_text(encoding="utf-8")
    return text, Page(text)


def test_environment_autoescapes_and_is_strict() -> None:
    import jinja2

    env = environment()
    assert env.autoescape is True
    assert env.undefined is jinja2.StrictUndefined
    assert isinstance(env.loader, jinja2.PackageLoader)
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("report.html.j2").render()


def test_no_markup_bypass_and_no_templates_from_strings() -> None:
    """Nothing may switch escaping off or build a template from text (grep over the
    package's Python and template sources)."""
    banned = [
        (re.compile(r"\|\s*safe\b"), "|safe"),
        (re.compile(r"\bMarkup\s*\("), "Markup()"),
        (re.compile(r"\bmarkupsafe\b"), "markupsafe"),
        (re.compile(r"\bfrom_string\s*\("), "Environment.from_string()"),
        (
            re.compile(r"\bjinja2\.Template\s*\(|\bfrom jinja2 import[^\n]*\bTemplate\b"),
            "Template()",
        ),
        (re.compile(r"autoescape\s*(=\s*False|false)"), "autoescape off"),
        (re.compile(r"\{%-?\s*autoescape"), "{% autoescape %} block"),
    ]
    sources = [*sorted((ROOT / "csmlint").rglob("*.py")), *sorted((ROOT / "csmlint").rglob("*.j2"))]
    problems = [
        f"{path.relative_to(ROOT)}:{n}: {what}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for pattern, what in banned
        if pattern.search(line)
    ]
    assert not problems, "escaping bypass or template built from text:\n" + "\n".join(problems)


def test_hostile_names_render_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, page = _hostile_page(tmp_path, monkeypatch)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert len(scripts) == 1 and scripts[0] == [], "only the report's own inline <script>"
    assert not [(t, n) for t, n, _ in page.attrs() if n.startswith("on")], "no on* attribute"
    assert not [v for _, n, v in page.attrs() if n == "style"], "no style attribute"
    for _, name, value in page.attrs():
        if name in ("href", "src", "action", "formaction", "xlink:href"):
            assert not value.strip().lower().startswith("javascript:"), value
            assert not re.match(r"\s*https?://", value) or name == "href", value
            if name == "href":
                assert value.startswith(("#", "https://")), value
                assert "example.invalid" not in value, "break-out URL became a link"
    assert not page.attrs("img") and not page.attrs("iframe") and not page.attrs("object")
    assert len(page.raw["style"]) == 1
    body = "".join(page.text)
    for payload in (
        "<img src=x onerror=alert(1)>",
        "</title><script>alert(document.domain)</script>",
        '" onmouseover="alert(2)',
        "javascript:alert(3)",
        "</script><script>alert(5)</script>",
        "</td></tr></table><script>alert(7)</script>",
        "<img src=x onerror=alert(8)>",
        '"><svg onload=alert(10)>',
        "echo '</script><script>alert(11)</script>'",
    ):
        assert payload in body, f"payload not shown as text: {payload}"
    assert "{{ 7*7 }}" in body and "{% raw %}" in body, "Jinja syntax printed literally"
    assert not re.search(r"(?<![\w.#-])49(?![\w.-])", body), "Jinja syntax was evaluated"
    for hidden in ("\u202e", "\u200b", "\ufeff"):
        assert hidden not in text
    assert "Bidi⟨U+202E⟩gnp.exe" in body
    assert "<script>alert" not in text and "<svg" not in text.replace('<svg class="chart"', "")


def test_csp_allows_only_the_inline_style_and_script_by_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, page = _hostile_page(tmp_path, monkeypatch)
    policy = dict(
        [*part.split(None, 1), ""][:2]
        for part in (p.strip() for p in page.csp().split(";"))
        if part
    )
    assert policy["default-src"] == "'none'"
    assert policy["img-src"] == "data:"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'none'"
    assert policy["style-src"] == _sha(page.raw["style"][0])
    assert policy["script-src"] == _sha(page.raw["script"][0])
    assert "unsafe-inline" not in page.csp() and "http" not in page.csp()


def _finding(n: int, **kw: object) -> Finding:
    base: dict[str, object] = {
        "rule_id": "CSM127",
        "rule_name": "legacy-role-size",
        "severity": ("error", "warning", "note")[n % 3],
        "category": ("blocker", "dropped", "post-migration", "advisory")[n % 4],
        "migration": "cs-es",
        "message": f"Role 'WebRole{n}' uses the legacy size 'Medium'; the migration renames it",
        "location": SourceRef(f"services/svc{n % 500}/ServiceDefinition.csdef", 3 + n % 40, 3),
        "remediation": Remediation(
            "Change vmsize on the role in the .csdef to 'Standard_A2' and repackage.",
            ("Get-AzComputeResourceSku | Where-Object { $_.ResourceType -eq 'virtualMachines' }",),
        ),
        "help_uri": "https://learn.microsoft.com/azure/cloud-services-extended-support/",
        "cloud_service": f"svc{n % 500}",
        "unit": f"cloudService:svc{n % 500}",
        "excerpt": Excerpt(
            2 + n % 40,
            (
                '<ServiceDefinition name="svc" xmlns="http://schemas.microsoft.com/'
                'ServiceHosting/2008/10/ServiceDefinition">',
                f'  <WebRole name="WebRole{n}" vmsize="Medium">',
                "    <Sites>",
            ),
            3 + n % 40,
        ),
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def _result(findings: list[Finding], services: int = 1) -> RunResult:
    names = [f"svc{n}" for n in range(services)]
    return RunResult(
        findings=findings,
        files=[f"services/{n}/ServiceDefinition.csdef" for n in names],
        services=[ServiceStatus(n, "blocked", f"cloudService:{n}") for n in names],
        units=[UnitStatus(f"cloudService:{n}", "cloudService", n, [n], "blocked") for n in names],
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " https://x.invalid/",
        "http://example.invalid/",
        "data:text/html,<script>alert(1)</script>",
        'https://x.invalid/"onmouseover="alert(1)',
        "https://x.invalid/a b",
        "//example.invalid/",
    ],
)
def test_only_plain_https_urls_become_links(url: str) -> None:
    assert safe_url(url) is None
    page = Page(render(_result([_finding(0, help_uri=url)]), [], CTX))
    assert [v for _, n, v in page.attrs("a") if n == "href" and not v.startswith("#")] == []


def test_https_help_uri_is_a_link() -> None:
    page = Page(render(_result([_finding(0)]), [], CTX))
    hrefs = [v for _, n, v in page.attrs("a") if n == "href" and not v.startswith("#")]
    assert hrefs == ["https://learn.microsoft.com/azure/cloud-services-extended-support/"]


def test_invisible_characters_are_shown_and_output_is_valid_utf8() -> None:
    assert visible("a\u202eb\x00c\x1b[31m\ud800") == "a⟨U+202E⟩b⟨U+0000⟩c⟨U+001B⟩[31m⟨U+D800⟩"
    assert visible("\u200bzero-width\ufeff") == "⟨U+200B⟩zero-width⟨U+FEFF⟩"
    assert visible(7) == 7
    text = render(_result([_finding(0, message="lone \ud800 surrogate \x07 bell")]), [], CTX)
    text.encode("utf-8")  # would raise on a lone surrogate
    assert "lone ⟨U+D800⟩ surrogate ⟨U+0007⟩ bell" in text


def test_deterministic_and_without_timestamps() -> None:
    result = _result([_finding(n) for n in range(30)], services=5)
    first = render(result, [], CTX)
    assert first == render(result, [], CTX)
    assert not re.search(r"\b20\d\d-\d\d-\d\d", first)


def test_blocked_cards_come_first_and_suppressed_are_collapsed() -> None:
    from csmlint.findings.finding import Suppression

    findings = [
        _finding(1, cloud_service="a-ready", unit="cloudService:a-ready", severity="note"),
        _finding(2, cloud_service="z-blocked", unit="cloudService:z-blocked"),
        _finding(
            3,
            cloud_service="a-ready",
            unit="cloudService:a-ready",
            suppression=Suppression("inSource", "accepted until Q3"),
        ),
    ]
    result = RunResult(
        findings=findings,
        files=[],
        services=[
            ServiceStatus("a-ready", "ready", "cloudService:a-ready"),
            ServiceStatus("z-blocked", "blocked", "cloudService:z-blocked"),
        ],
        units=[
            UnitStatus("cloudService:a-ready", "cloudService", "a-ready", ["a-ready"], "ready"),
            UnitStatus(
                "cloudService:z-blocked", "cloudService", "z-blocked", ["z-blocked"], "blocked"
            ),
        ],
    )
    text = render(result, [], CTX)
    cards = text[text.index('id="cards"') :]
    assert cards.index("z-blocked") < cards.index("a-ready")
    details = text[text.index('<details id="suppressed">') :]
    assert "accepted until Q3" in details and '<details id="suppressed" open' not in text


GENERIC = (
    "Then do a dry run: Validate, Prepare, test the role, and Abort if anything breaks. "
    "Replace <cloud-service-name> with the hosted service's name."
)


def _estate(services: int, per_service: int = 20) -> tuple[RunResult, list[Finding]]:
    """Cloud services in their own folders, each with findings of two rules in its .csdef
    and .cscfg (one template each, values quoted), a few one-off messages, two severities."""
    findings: list[Finding] = []
    statuses: list[ServiceStatus] = []
    units: list[UnitStatus] = []
    for s in range(services):
        name, folder = f"svc{s:04d}", f"region{s % 7}/team{s % 5}/svc{s:04d}/"
        unit = f"cloudService:{name}"
        statuses.append(
            ServiceStatus(name, "blocked", unit, folder + "ServiceDefinition.csdef", key=name)
        )
        units.append(UnitStatus(unit, "cloudService", name, [name], "blocked"))
        for k in range(per_service):
            n = len(findings)
            common = {"cloud_service": name, "service_key": name, "unit": unit}
            if k % 2:
                kw: dict[str, object] = {
                    "rule_id": "CSM173",
                    "rule_name": "single-instance-role",
                    "severity": "note",
                    "category": "advisory",
                    "message": f"Role '{name}.Worker{k}' of cloud service {name} runs a single "
                    "instance; scale it to at least 2 instances before you commit",
                    "location": SourceRef(folder + "ServiceConfiguration.Cloud.cscfg", 3 + k, 5),
                }
            else:
                kw = {
                    "message": f"Role '{name}.Web{k}' uses the legacy size 'Medium'; the "
                    f"migration renames it to 'Standard_A{k % 4}'",
                    "location": SourceRef(folder + "ServiceDefinition.csdef", 10 + k, 3),
                    "severity": "warning",
                }
            if n % 997 == 0:
                kw["message"] = f'a one-off message <{n}> with "quotes" & other words'
            kw["remediation"] = Remediation(
                f"Change vmsize on role Web{k} of {name} to 'Standard_A2' and repackage. "
                + GENERIC,
                ("Get-AzComputeResourceSku | Where-Object { $_.ResourceType -eq 'Vms' }",),
            )
            findings.append(_finding(n, **common, **kw))
    result = RunResult(findings=findings, files=[], services=statuses, units=units)
    return result, findings


def _brief_lines(page: str) -> list[tuple[str, str, str, str]]:
    """(path, location, rule, values) of every brief line, the file's folder and name put
    back the way a reader does: a file named without a folder is in its card's folder, a
    line that starts with ``:`` is in the file of the line above."""
    from lxml import html as lxml_html

    out: list[tuple[str, str, str, str]] = []
    root = lxml_html.fromstring(page)
    for card in root.xpath("//section[@id='cards']//section[contains(@class, 'card')]"):
        detail = card.xpath("./details/p[@class='dt'] | ./p[@class='dt']")
        defined = detail[0].text_content() if detail else ""
        folder = defined.removeprefix("Defined in ").rpartition("/")[0] + "/"
        for block in card.xpath(
            "./details/*[@data-cat]/ul[@data-sev] | ./*[@data-cat]/ul[@data-sev]"
        ):
            path = ""
            for li in block.xpath("./li"):
                where, rule, values = li.text_content().strip().split(" ", 2)
                if not where.startswith(":"):
                    name, _, where = where.rpartition(":")
                    where = ":" + where
                    path = name if "/" in name else folder + name
                out.append((path, where, rule, values))
    return out


def _fill(template: str, values: str) -> str | None:
    """``template`` with its gaps (``…``) filled by ``values`` in order, if they fit."""
    parts = re.split(r"(\u2026)", template)
    given = values.split(" \u2026 ")
    if parts.count("\u2026") != len(given):
        return None
    filled = iter(given)
    return "".join(next(filled) if part == "\u2026" else part for part in parts)


def test_ten_thousand_findings_are_all_listed_and_small(all_rules) -> None:  # type: ignore[no-untyped-def]
    """Speed is the benchmark's (benchmarks/run.py); here: every one of 10,000 findings is
    on the page with its rule, file, line and its own message (the values of a brief line
    put into its rule's template give the message back), in under 200 bytes a finding."""
    result, findings = _estate(500)
    rules = [r for r in all_rules if r.id in ("CSM127", "CSM173")]
    text = render(result, rules, CTX)
    size = len(text.encode("utf-8"))
    # the target is 3 MB for 10,000 findings (300 bytes each); this estate needs about 120
    assert size < 200 * len(findings), f"10,000 findings made {size / 1e6:.2f} MB"
    page = Page(text)
    assert text.count('<article class="finding"') == DETAIL_BUDGET
    brief = _brief_lines(text)
    assert len(brief) == len(findings) - DETAIL_BUDGET
    templates: dict[str, list[str]] = {}
    for rule_id, start in (("CSM127", 'id="rule-0"'), ("CSM173", 'id="rule-1"')):
        entry = text[text.index(start) :].split("</article>", 1)[0]
        templates[rule_id] = [Page(q).text[0] for q in re.findall(r"<q>.*?</q>", entry)]
    listed: dict[tuple[str, str, str], list[str]] = {}
    for path, where, rule, values in brief:
        listed.setdefault((path, where, rule), []).append(values)
    detailed = "".join(page.text)
    for f in findings[DETAIL_BUDGET:]:
        values = listed[(f.location.path, f":{f.location.line}", f.rule_id)]
        shown = [v for v in values if v == f.message] or [
            v for v in values for t in templates[f.rule_id] if _fill(t, v) == f.message
        ]
        assert shown, f"{f.location} {f.rule_id}: {f.message!r} not on the page ({values})"
    for f in findings[:DETAIL_BUDGET]:
        assert f.message in detailed and f"{f.location.path}:{f.location.line}" in detailed


def test_long_reports_share_fixes_commands_and_excerpts(all_rules) -> None:  # type: ignore[no-untyped-def]
    """A detailed finding repeats no fix, command or excerpt shown above: it links to the
    finding (or the rule's entry) that shows it, and what it leaves out is there word for word."""
    result, _ = _estate(30)
    rules = [r for r in all_rules if r.id in ("CSM127", "CSM173")]
    text = render(result, rules, CTX)
    page = Page(text)
    ids = {v for _, n, v in page.attrs() if n == "id"}
    refs = [v[1:] for _, n, v in page.attrs("a") if n == "href" and v.startswith("#")]
    assert all(r in ids for r in refs), "every in-page link has its target"
    assert text.count("Get-AzComputeResourceSku") == 3, "once, and in each rule's entry"
    assert text.count("Commands: as for") == DETAIL_BUDGET - 1
    entries = text[text.index('<section id="rules"') :]
    kept = re.findall(r"<strong>Fix:</strong> (.*?) <a href=\"#rule-\d\">\(then the last 2 ", text)
    assert kept, "fix texts that end like the rule's entry leave that end to it"
    for part in kept:
        assert part.endswith("and repackage.") and "Replace &lt;cloud-service-name&gt;" not in part
    fixes = re.findall(r"<strong>Fix:</strong> (Change[^<]*)", text)
    full = [t for t in fixes if "Then do a dry run" in t]
    assert len(full) + len(kept) == len(fixes) and len(kept) > len(full) > 2
    assert entries.count("Then do a dry run") == 2, "the shared end, in each rule's entry"


def test_long_reports_leave_out_cards_with_nothing_to_show() -> None:
    result, _ = _estate(20, per_service=20)
    quiet = ServiceStatus(
        "quiet", "ready", "cloudService:quiet", "q/ServiceDefinition.csdef", key="quiet"
    )
    result.services.append(quiet)
    result.units.append(
        UnitStatus("cloudService:quiet", "cloudService", "quiet", ["quiet"], "ready")
    )
    text = render(result, [], CTX)
    assert "<tr><td>quiet<td>" in text and 'href="#u20"' not in text, "its row, without a link"
    assert 'id="u20"' not in text and "The 1 cloud service(s) without findings have no card" in text
    short = render(_result([_finding(1)], services=2), [], CTX)
    assert short.count('<section class="card') == 3, "a short report keeps every card"
    assert "No findings." in short


def test_cli_writes_the_html_report(tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    with pytest.raises(SystemExit) as exit_:
        main(["lint", str(FIXTURES / "examples"), "--fail-on", "never", "--format", f"html={out}"])
    assert exit_.value.code == 0
    page = Page(out.read_text(encoding="utf-8"))
    assert page.csp()
    assert get_reporter("html") is render


def test_engine_attaches_excerpts_that_the_report_shows() -> None:
    result, rules = run(RunOptions(paths=["fixtures/examples"], cwd=str(ROOT)))
    lined = [f for f in result.findings if f.location.line is not None]
    assert lined and all(f.excerpt is not None for f in lined)
    text = render(result, rules, CTX)
    page = Page(text)
    hits = [v for t, n, v in page.attrs("span") if n == "class" and v == "l hit"]
    assert len(hits) + text.count('<p class="detail">Source: as for ') == len(lined)


def test_large_runs_keep_details_for_the_first_findings(all_rules) -> None:  # type: ignore[no-untyped-def]
    rules = [r for r in all_rules if r.id == "CSM127"]
    text = render(_result([_finding(n) for n in range(DETAIL_BUDGET + 50)], 20), rules, CTX)
    assert text.count('<pre class="src">') == DETAIL_BUDGET
    assert text.count("<strong>Fix:</strong>") == DETAIL_BUDGET + 1, "+1: the rule's entry"
    assert "not for the other 50" in text and "How to fix, as worded" in text
    small = render(_result([_finding(n) for n in range(10)]), rules, CTX)
    assert "How to fix, as worded" not in small and 'class="notice"' not in small


def test_the_page_shows_when_and_by_which_version_it_was_made_only_when_told() -> None:
    from datetime import datetime, timezone

    from snapshots import reference_context, reference_run

    from csmlint.records import replace
    from csmlint.reporting import html

    result, rules = reference_run()
    ctx = reference_context()
    made = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)
    page = html.render(result, rules, replace(ctx, generated=made))
    assert (
        f"csmlint {ctx.version} &middot; generated "
        '<time datetime="2026-03-01T12:30:00+00:00">2026-03-01 12:30 UTC</time>'
    ) in page
    assert "generated" not in html.render(result, rules, ctx)  # snapshots stay byte-identical


def test_shared_templates_and_values_give_back_every_message() -> None:
    from csmlint.reporting.html_cards import Card, Group

    messages = [
        f"Role 'Svc{n:04d}.Web' of cloud service 'svc{n}' runs a single instance; scale it to at "
        "least 2 instances before you commit the migration"
        for n in range(30)
    ] + ["a one-off message with other words entirely, long enough to be shared anyway"] * 2
    views = [
        FindingView(_finding(n), "a.cscfg:1", "", None, None, [], full=False) for n in range(32)
    ]
    for v, message in zip(views, messages, strict=True):
        object.__setattr__(v.f, "message", message)
    card = Card("c", "t", "k", "n", None, "", groups=[Group("advisory", "A", views)])
    templates = share_messages([card])["CSM127"]
    assert len(templates) == 2
    for v in views:
        assert v.short is not None
        values = iter(v.short.split(" \u2026 "))
        rebuilt = [next(values) if part == "\u2026" else part for part in _parts(templates, v)]
        assert "".join(rebuilt) == v.f.message


def _parts(templates: list[str], v: FindingView) -> list[str]:
    import re

    for t in templates:
        parts = re.split(r"(\u2026)", t)
        if all(p in v.f.message for p in parts if p != "\u2026"):
            return [p for p in parts if p]
    raise AssertionError(f"no template fits {v.f.message!r}")


def test_the_service_filter_offers_only_services_with_findings() -> None:
    from csmlint.findings.finding import ReportContext
    from csmlint.reporting.html import render

    examples = ROOT / "fixtures" / "examples"
    result, rules = run(RunOptions(paths=[str(examples)], cwd=str(examples), select=["CSM174"]))
    named = {f.cloud_service for f in result.findings if f.cloud_service}
    assert named and len(named) < len(result.services)
    page = render(result, rules, ReportContext(version="t", cwd=str(examples)))
    select = page.split('<select id="svc-filter">', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="s\d+">([^<]*)</option>', select)
    assert len(options) == len(named)


def test_copies_of_one_project_are_told_apart_in_the_units_table(tmp_path: Path) -> None:
    """New-user check: eleven copies of one sample project were eleven identical rows of the
    units table; each copy's row and card now name its .csdef, a unique name stays bare."""
    import shutil

    source = FIXTURES / "rules" / "CSM172-cs-in-vnet-migrates-with-vnet" / "no-vnet"
    for copy in ("app", "old/app"):
        shutil.copytree(source, tmp_path / copy, ignore=shutil.ignore_patterns(".git*"))
    result, rules = run(RunOptions(paths=[str(tmp_path)], cwd=str(tmp_path), excerpts=False))
    text = render(result, rules, CTX)
    table = text[text.index("Start here:") : text.index("</table>", text.index("Start here:"))]
    label = "&lt;cloud-service-name&gt; (csdef: northwind-api)"
    for csdef in ("app/ServiceDefinition.csdef", "old/app/ServiceDefinition.csdef"):
        assert table.count(f"{label} [{csdef}]</a>") == 1, table
    assert f"{label}</a>" not in table
    shutil.rmtree(tmp_path / "old")
    result, rules = run(RunOptions(paths=[str(tmp_path)], cwd=str(tmp_path), excerpts=False))
    assert f"{label}</a>" in render(result, rules, CTX)


def test_commands_that_depend_on_each_other_share_a_copy_box() -> None:
    """New-user check: '$rdp = New-AzCloudService...Object' and '... += $rdp' were two copy
    boxes; copying one gave a command using an undefined variable."""
    folder = FIXTURES / "fix" / "bom-crlf"
    result, rules = run(RunOptions(paths=[str(folder)], cwd=str(folder), excerpts=False))
    text = render(result, rules, CTX)
    boxes = re.findall(r'<div class="cmdbox"><pre class="cmd"><code>(.*?)</code>', text, re.S)
    [rdp] = [b for b in boxes if "$rdp = " in b]
    assert "$cs.ExtensionProfile.Extension += $rdp" in rdp
    assert not [b for b in boxes if "+= $rdp" in b and "$rdp = " not in b]
    assert not [b for b in boxes if "Set-AzureDeployment -Upgrade" in b and "$rdp" in b]


def test_a_unit_card_says_how_many_of_its_group_its_services_hold() -> None:
    """A VNet card's own "Blockers (1)" read as the unit's count when its service held
    another blocker: the heading says how many more are below."""
    unit = "virtualNetwork:vnet1"
    findings = [
        _finding(4, cloud_service=None, unit=unit, severity="error", category="blocker"),
        _finding(
            8,
            cloud_service="web",
            service_key="web",
            unit=unit,
            severity="error",
            category="blocker",
        ),
        _finding(
            12,
            cloud_service="web",
            service_key="web",
            unit=unit,
            severity="error",
            category="blocker",
        ),
    ]
    result = RunResult(
        findings=findings,
        files=[],
        services=[ServiceStatus("web", "blocked", unit, key="web")],
        units=[UnitStatus(unit, "virtualNetwork", "vnet1", ["web"], "blocked")],
    )
    text = Page(render(result, [], CTX)).text
    headings = [t for t in text if t.startswith("Blockers (")]
    assert headings == ["Blockers (1 here, 2 more below)", "Blockers (2)"]


def test_long_fixes_spend_the_detail_budget_sooner(all_rules, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Details stop at DETAIL_BUDGET findings or DETAIL_CHARS characters of fixes, commands
    and excerpts, whichever comes first: the page says how many are detailed, and every other
    finding is still listed."""
    import csmlint.reporting.html as html_report

    result, findings = _estate(30)
    rules = [r for r in all_rules if r.id in ("CSM127", "CSM173")]
    full = render(result, rules, CTX)
    assert full.count('<article class="finding"') == DETAIL_BUDGET
    monkeypatch.setattr(html_report, "DETAIL_CHARS", 20_000)
    text = render(result, rules, CTX)
    detailed = text.count('<article class="finding"')
    assert 0 < detailed < DETAIL_BUDGET
    assert f"shown for the first {detailed} findings in page order" in text
    assert len(_brief_lines(text)) == len(findings) - detailed
    assert len(text) < len(full)
