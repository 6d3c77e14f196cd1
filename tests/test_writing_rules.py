"""docs/writing-rules.md, run as written: every ``file=`` block is written out and every
``sh run`` command is run; then `test-pack` must fail clearly when an annotation is wrong,
and `check-pack` must reject broken packs at file and line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_main

DOC = ROOT / "docs" / "writing-rules.md"
_FILE = re.compile(r"```\w+ file=(\S+)\n(.*?)```", re.S)
_RUN = re.compile(r"```sh run\n(.*?)```", re.S)
CASE = "contoso-rules/fixtures/CSM901-contoso-no-a-series/dv2/ServiceDefinition.csdef"


def _cli(where: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    code, out, err = run_main(where, capsys, *args)
    return code, out + err


@pytest.fixture()
def example(tmp_path: Path) -> Path:
    doc = DOC.read_text(encoding="utf-8")
    files = _FILE.findall(doc)
    assert len(files) == 4, "the walk-through writes a pack.yaml, a rule and two cases"
    for name, body in files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return tmp_path


def test_the_documented_example_checks_and_passes(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = DOC.read_text(encoding="utf-8")
    commands = [line for block in _RUN.findall(doc) for line in block.splitlines() if line]
    assert commands == ["csmlint check-pack contoso-rules", "csmlint test-pack contoso-rules"]
    outputs = []
    for command in commands:
        code, out = _cli(example, capsys, shlex.split(command)[1:])
        assert code == 0, f"{command}:\n{out}"
        outputs.append(out)
    assert "contoso-rules: 1 rule(s) ok" in outputs[0]
    shown = re.search(r"```text\n(ok .*?)```", doc, re.S)
    assert shown is not None and outputs[1] == shown.group(1), "the page shows the real output"
    # the rule works in a lint run too
    code, out = _cli(
        example, capsys, ["lint", "contoso-rules/fixtures", "--rules", "contoso-rules"]
    )
    assert out.count("CSM901 contoso-no-a-series") == 2


def test_test_pack_names_the_case_and_the_annotation_when_it_fails(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = example / CASE
    case.write_text(case.read_text().replace("Standard_D2_v2", "Standard_A1"))
    code, out = _cli(example, capsys, ["test-pack", "contoso-rules"])
    assert code == 1
    documented = re.search(r"```text\n(FAIL .*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    assert documented is not None and documented.group(1) in out
    assert "FAIL CSM901 contoso-no-a-series: no passing case where it stays silent" in out
    # an expect nobody satisfies is named too
    case.write_text(case.read_text().replace("ok: CSM901", "expect: CSM901").replace("A1", "D2_v2"))
    code, out = _cli(example, capsys, ["test-pack", "contoso-rules"])
    assert code == 1
    assert (
        "FAIL CSM901-contoso-no-a-series/dv2: missing expected CSM901 at ServiceDefinition.csdef:4"
        in out
    )


def test_test_pack_requires_fixtures_for_every_rule(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    shutil.rmtree(example / "contoso-rules" / "fixtures" / "CSM901-contoso-no-a-series")
    code, out = _cli(example, capsys, ["test-pack", "contoso-rules"])
    assert code == 1 and "FAIL CSM901 contoso-no-a-series: no fixture folder" in out


@pytest.mark.parametrize(
    ("pack", "where", "text"),
    [
        ("bad-template", "CSM904-contoso-dv2-only.yaml:", "rule CSM904:"),
        ("unknown-field", "CSM905-contoso-dv2-only.yaml:", "rule CSM905:"),
    ],
)
def test_check_pack_rejects_a_broken_pack_with_file_and_line(
    capsys: pytest.CaptureFixture[str], pack: str, where: str, text: str
) -> None:
    code, out = _cli(FIXTURES / "rulepacks" / "broken", capsys, ["check-pack", pack])
    assert code == 2
    (line,) = out.strip().splitlines()
    m = re.match(rf"csmlint: error: {re.escape(pack)}/{re.escape(where)}(\d+): {text}", line)
    assert m is not None, line
