"""`mypy --strict` over a sample program that uses the installed package."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import HERE

pytest.importorskip("mypy")


def run_mypy(*files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", *files],
        capture_output=True,
        text=True,
        cwd=str(HERE),
        timeout=300,
    )


def test_sample_passes_mypy_strict() -> None:
    proc = run_mypy("typing_sample.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_wrong_types_fail_mypy() -> None:
    proc = run_mypy("typing_bad.py")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert '"till_number"' in proc.stdout
    assert "Incompatible types in assignment" in proc.stdout
