"""A build never opens a network connection: with the network cut it succeeds, with the same output.

The build runs in a new network namespace (`unshare -rn`: only a loopback interface, down),
where any connection attempt fails at once. Skipped, with the reason, where the machine
does not allow new namespaces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crash.conftest import snapshot

REPO = Path(__file__).resolve().parents[2]
PROBE = "import socket; socket.create_connection(('93.184.216.34', 80), timeout=3)"


def no_network_prefix() -> list[str] | None:
    """The command prefix that cuts the network here, or None."""
    if shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-rn"], ["unshare", "-n"]):
        try:
            result = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        if result.returncode == 0:
            return prefix
    return None


PREFIX = no_network_prefix()


def example_site(folder: Path) -> Path:
    """A copy of the repository's example site (its real content, layouts and static files)."""
    folder.mkdir()
    for name in ("content", "layouts", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "config.yaml", folder / "config.yaml")
    return folder


@pytest.mark.skipif(
    PREFIX is None,
    reason="this machine allows no new network namespace "
    "(unshare -rn and unshare -n both fail), so the network cannot be cut",
)
def test_build_with_the_network_cut_succeeds_and_equals_a_normal_build(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}
    cut = subprocess.run(
        [*PREFIX, sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=30
    )
    assert cut.returncode != 0, "the network is not cut inside the namespace"
    results = {}
    for name, prefix in (("online", []), ("offline", PREFIX)):
        site = example_site(tmp_path / name)
        command = [
            *prefix,
            sys.executable,
            "-m",
            "sitegen",
            "build",
            "--config",
            str(site / "config.yaml"),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode == 0, result.stderr
        assert "error" not in result.stderr
        results[name] = snapshot(site / "public")
    assert results["offline"] == results["online"]
    assert len(results["offline"]) > 10
