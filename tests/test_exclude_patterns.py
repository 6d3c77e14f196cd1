"""--include/--exclude patterns as a .gitignore user writes them: ``deploy/`` and a bare
``deploy`` name the folder and everything in it (new-user check: both excluded nothing, as
patterns are matched against files), while globs and file names keep their meaning."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmlint.discovery.walk import discover, folder_patterns

SOURCE = Path(__file__).resolve().parent.parent / "fixtures" / "fix" / "bom-crlf"


def test_folder_patterns_add_the_folder_forms_only_to_plain_names() -> None:
    assert folder_patterns(["deploy/"]) == ("deploy/", "deploy/**", "**/deploy/**")
    assert folder_patterns(["deploy"]) == ("deploy", "deploy/**", "**/deploy/**")
    assert folder_patterns(["ops/deploy/"]) == ("ops/deploy/", "ops/deploy/**")
    for kept in ("*.Local.cscfg", "legacy/**", "Prod.cscfg", "**/bin/**", "ops/deploy"):
        assert folder_patterns([kept]) == (kept,)
    # new-user check: a folder glob excluded nothing
    assert folder_patterns(["deploy-*/"]) == ("deploy-*/", "deploy-*/**", "**/deploy-*/**")
    assert folder_patterns(["*-a"]) == ("*-a", "*-a/**", "**/*-a/**")


@pytest.mark.parametrize(
    "pattern", ["deploy", "deploy/", "deploy/**", "dep*/", "*loy", "de?loy", "[d]eploy/"]
)
def test_a_folder_pattern_excludes_the_folder(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "deploy" / "prod").mkdir(parents=True)
    for f in SOURCE.glob("*.cs*"):
        (tmp_path / "src" / f.name).write_bytes(f.read_bytes())
    cscfg = next(SOURCE.glob("*.cscfg")).read_bytes()
    (tmp_path / "deploy" / "prod" / "Prod.cscfg").write_bytes(cscfg)
    (tmp_path / "deployment.cscfg").write_bytes(cscfg)  # not in the folder: kept
    found = discover([str(tmp_path)], cwd=str(tmp_path), exclude=[pattern])
    shown = sorted(c.display for c in found.files)
    assert "deploy/prod/Prod.cscfg" not in shown and "deployment.cscfg" in shown
    shown_as = pattern if pattern.endswith("**") else pattern.rstrip("/") + "/**"
    assert ("deploy/prod/Prod.cscfg", f"excluded by {shown_as}") in found.skipped
