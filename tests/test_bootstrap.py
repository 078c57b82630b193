"""Tests for tools/bootstrap.py: the hosted-notebook snippet that installs mathlib when missing.

The slow test builds a clean virtual environment without mathlib and runs the snippet against
a ``file://`` git URL of this checkout at HEAD: no network, as on a fresh Colab machine.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import nbformat
import pytest

from tools import bootstrap

ROOT = Path(__file__).resolve().parents[1]


def chapter_copy(tmp_path, name="05_softmax_regression.ipynb"):
    """A copy of a chapter whose setup cell has no snippet (as before `insert` ran on it)."""
    path = tmp_path / name
    shutil.copy(ROOT / "chapters" / name, path)
    nb = nbformat.read(str(path), as_version=4)
    cell = bootstrap.setup_cell(nb)
    cell.source = bootstrap._split(cell.source)[1]
    nbformat.write(nb, str(path))
    return path


def test_the_repository_is_one_setting_in_config():
    url, branch = bootstrap.repository()
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert config.count(url) == 1  # written once; the launch buttons derive from it
    text = bootstrap.snippet()
    assert f'"git+{url}@{branch}"' in text
    assert text.startswith(bootstrap.MARKER + "\n") and text.endswith("\n")


def test_repository_url_must_be_set(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  branch: main\n")
    with pytest.raises(ValueError, match="repository.url"):
        bootstrap.repository(config)
    config.write_text("repository:\n  url: https://example.org/book.git\n")
    assert bootstrap.repository(config) == ("https://example.org/book.git", "main")


@pytest.mark.parametrize(
    ("url", "ref"), [("https://x.org/a b", "main"), ("https://x.org/r", "a@b"), ('x"y', "main")]
)
def test_snippet_rejects_urls_that_would_break_it(url, ref):
    with pytest.raises(ValueError, match="without quotes"):
        bootstrap.snippet(url, ref)


def test_extras_match_requirements():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for extra in bootstrap.EXTRAS:
        name = re.match(r"[A-Za-z0-9_.-]+", extra).group(0)
        listed = re.search(rf"^{re.escape(name)}\s*([^\s#]*)", requirements, re.M)
        if listed:  # the same range as a local install
            assert f"{name}{listed.group(1)}" == extra


def test_snippet_is_silent_and_installs_nothing_where_mathlib_is_importable(monkeypatch):
    def no_install(*args, **kwargs):
        raise AssertionError(f"the snippet ran a command: {args}")

    monkeypatch.setattr(subprocess, "run", no_install)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(bootstrap.snippet(), "<snippet>", "exec"), {})
    assert out.getvalue() == ""


def test_insert_is_idempotent_and_keeps_the_cell(tmp_path):
    path = chapter_copy(tmp_path)
    before = nbformat.read(str(path), as_version=4)
    cell_before = bootstrap.setup_cell(before)
    assert not bootstrap.has_bootstrap(before)

    assert bootstrap.insert_bootstrap(path) is True
    after = nbformat.read(str(path), as_version=4)
    cell = bootstrap.setup_cell(after)
    assert bootstrap.has_bootstrap(after)
    assert cell.source == bootstrap.snippet() + "\n" + cell_before.source
    assert cell.outputs == cell_before.outputs  # stored outputs are kept
    assert len(after.cells) == len(before.cells)
    others = [c.source for c in after.cells if c is not cell]
    assert others == [c.source for c in before.cells if c is not cell_before]

    stamp = path.stat().st_mtime_ns
    assert bootstrap.insert_bootstrap(path) is False  # already there: not even rewritten
    assert path.stat().st_mtime_ns == stamp


def test_insert_replaces_an_older_snippet(tmp_path):
    path = chapter_copy(tmp_path)
    original = bootstrap.setup_cell(nbformat.read(str(path), as_version=4)).source
    old = bootstrap.snippet("https://example.org/old/book", "v1")
    bootstrap.insert_bootstrap(path, old)
    assert not bootstrap.has_bootstrap(path)  # outdated
    assert bootstrap.insert_bootstrap(path) is True
    source = bootstrap.setup_cell(nbformat.read(str(path), as_version=4)).source
    assert source == bootstrap.snippet() + "\n" + original
    assert "example.org" not in source and source.count(bootstrap.MARKER) == 1


def test_notebook_with_snippet_passes_ruff(tmp_path):
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed next to this Python")
    path = chapter_copy(tmp_path)
    bootstrap.insert_bootstrap(path)
    result = subprocess.run(
        [str(ruff), "check", "--config", str(ROOT / "pyproject.toml"), str(path)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_print_insert_check(tmp_path, capsys):
    path = chapter_copy(tmp_path)
    assert bootstrap.main(["print"]) == 0
    assert capsys.readouterr().out == bootstrap.snippet()
    assert bootstrap.main(["check", str(path)]) == 1
    assert "does not start with the current snippet" in capsys.readouterr().out
    assert bootstrap.main(["insert", str(path)]) == 0
    assert bootstrap.main(["check", str(path)]) == 0
    assert bootstrap.main(["insert", str(path)]) == 0
    assert capsys.readouterr().out.endswith("up to date\n")


# ---------------------------------------------------------------------------------------
# A clean environment without mathlib, as on a hosted notebook
# ---------------------------------------------------------------------------------------


def _setup_imports(nb_path: Path) -> str:
    """The import statements of a chapter's setup cell (run without the rest of the cell)."""
    source = bootstrap.setup_cell(nbformat.read(str(nb_path), as_version=4)).source
    tree = ast.parse(source)
    return "\n".join(
        ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    )


def _view_without_mathlib(site_packages: Path, view: Path) -> Path:
    """Links to this environment's packages (numpy, pooch, ...), leaving mathlib out.

    The clean environment sees them through a .pth line, so pip finds mathlib's dependencies
    installed and needs no index; only mathlib itself has to come from the git URL.
    """
    view.mkdir()
    for entry in site_packages.iterdir():
        if entry.name.startswith(("mathlib", "__editable__")) or entry.suffix == ".pth":
            continue
        (view / entry.name).symlink_to(entry)
    return view


@pytest.mark.slow
def test_snippet_installs_mathlib_in_a_clean_environment(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: pip needs it to install from a git URL")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    start = time.monotonic()
    # HEAD of this checkout, cloned over file:// (what pip does with a git+file:// URL too);
    # the chapters are read from the clone so code and notebooks are the same commit.
    clone = tmp_path / "repo"
    subprocess.run([git, "clone", "--quiet", f"file://{ROOT}", str(clone)], check=True)
    ref = subprocess.run(
        [git, "-C", str(clone), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()

    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    view = _view_without_mathlib(Path(sysconfig.get_paths()["purelib"]), tmp_path / "view")
    (Path(purelib) / "zz_book_dependencies.pth").write_text(f"{view}\n")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env |= {
        "PIP_NO_INDEX": "1",  # everything but mathlib is already installed: no network
        "PIP_NO_BUILD_ISOLATION": "0",  # build with the setuptools at hand (pip's odd spelling)
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CACHE_DIR": str(tmp_path / "pip-cache"),
        "MPLBACKEND": "Agg",
    }

    def run(code: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [python, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=300,
        )

    missing = run("import mathlib")
    assert missing.returncode != 0 and "No module named 'mathlib'" in missing.stderr

    text = bootstrap.snippet(f"file://{clone}", ref)
    installed = run(text)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert installed.stdout == f"Installing mathlib from git+file://{clone}@{ref} ...\n"

    where = run("import mathlib; print(mathlib.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(purelib)  # installed, not this checkout

    # Every chapter's setup imports work, and the offline sample loads (no network).
    imports = "\n".join(_setup_imports(p) for p in sorted((clone / "chapters").glob("*.ipynb")))
    assert "from mathlib" in imports
    code = (
        f"{imports}\n"
        "from mathlib.data import load_mnist\n"
        "d = load_mnist(source='sample')\n"
        "print(d.source, d.X_train.shape, d.X_val.shape)\n"
    )
    chapters = run(code)
    assert chapters.returncode == 0, chapters.stderr
    assert chapters.stdout == "sample (3667, 784) (333, 784)\n"

    again = run(text)  # now importable: silent, no install
    assert again.returncode == 0 and again.stdout == "" and again.stderr == ""
    elapsed = time.monotonic() - start
    assert elapsed < 120, f"took {elapsed:.0f} s"
