"""The source root SARIF URIs are relative to."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmlint.errors import UsageError
from csmlint.findings.fingerprints import find_source_root, git_toplevel


def test_git_top_level_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    sub = tmp_path / "repo" / "src" / "deep"
    sub.mkdir(parents=True)
    assert find_source_root(str(sub)) == str((tmp_path / "repo").resolve())


def test_a_git_file_marks_worktrees_and_submodules(tmp_path: Path) -> None:
    (tmp_path / "outer" / ".git").mkdir(parents=True)
    module = tmp_path / "outer" / "modules" / "lib"
    module.mkdir(parents=True)
    (module / ".git").write_text("gitdir: ../../.git/modules/lib\n", encoding="utf-8")
    assert git_toplevel(str(module)) == str(module)


def test_outside_a_repository_the_working_directory_is_the_root(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    if git_toplevel(str(folder)) is not None:
        pytest.skip("the temporary folder is inside a git work tree")
    assert find_source_root(str(folder)) == str(folder.resolve())


def test_override_is_relative_to_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_source_root(str(tmp_path / "a"), "b") == str((tmp_path / "a" / "b").resolve())
    assert find_source_root(str(tmp_path), str(tmp_path / "a")) == str((tmp_path / "a").resolve())
    with pytest.raises(UsageError, match="--source-root"):
        find_source_root(str(tmp_path), "missing")
