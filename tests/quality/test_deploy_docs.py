"""The CI workflows of docs/deploy.md are valid YAML and their sitegen commands work: run on a
copy of the example site, they check it, build it for the Pages address and leave sitegen's
own state outside the folder that gets published."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import sitegen
from tests.quality.conftest import FIXED_NOW_EPOCH, REPO

DEPLOY_DOC = REPO / "docs" / "deploy.md"


def yaml_blocks() -> list[dict]:
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def github_workflow() -> dict:
    return next(block for block in yaml_blocks() if "jobs" in block)


def gitlab_pipeline() -> dict:
    return next(block for block in yaml_blocks() if "pages" in block)


def test_github_workflow_checks_builds_uploads_and_deploys():
    workflow = github_workflow()
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert {"actions/cache", "actions/configure-pages", "actions/upload-pages-artifact"} <= set(
        uses
    )
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".sitegen-cache"
    upload = next(
        step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"] == "public"
    runs = [step["run"] for step in steps if "run" in step]
    assert any(run.startswith("pip install") for run in runs)
    assert runs.index("sitegen check") < next(
        i for i, run in enumerate(runs) if "sitegen build" in run
    )
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_gitlab_pages_job_publishes_the_public_folder():
    pipeline = gitlab_pipeline()
    job = pipeline["pages"]
    assert job["artifacts"]["paths"] == ["public"]
    assert job["script"][0].startswith("pip install")
    assert job["script"][1:] == ["sitegen check", 'sitegen build --base-url "$CI_PAGES_URL/"']
    assert ".sitegen-cache/" in pipeline["cache"]["paths"]


def run_script(lines: list[str], site: Path, env: dict[str, str]) -> None:
    """The workflow's sitegen lines in bash, with `sitegen` the sitegen under test."""
    script = 'set -euo pipefail\nsitegen() { "$PYTHON" -m sitegen "$@"; }\n' + "\n".join(lines)
    package_root = str(Path(sitegen.__file__).parents[1])
    python_path = os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])
    full_env = {
        **os.environ,
        **env,
        "PYTHON": sys.executable,
        "PYTHONPATH": python_path,
        "SOURCE_DATE_EPOCH": FIXED_NOW_EPOCH,
    }
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=site,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    site = tmp_path / "repo"
    site.mkdir()
    shutil.copy(REPO / "config.yaml", site)
    for folder in ("content", "layouts", "static"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, site / folder)
    return site


def assert_published_for(site: Path, base_url: str) -> None:
    public = site / "public"
    assert (public / "index.html").is_file() and (public / "feed.xml").is_file()
    home = (public / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base_url}">' in home
    assert (site / ".public.sitegen").is_dir() and not (public / ".public.sitegen").exists()
    assert (site / ".sitegen-cache").is_dir() and not (public / ".sitegen-cache").exists()


@pytest.mark.parametrize("pages_url", ["https://owner.github.io/repo", ""])
def test_github_workflow_commands_build_the_example_site(site_copy, pages_url):
    steps = github_workflow()["jobs"]["build"]["steps"]
    lines = [step["run"] for step in steps if "sitegen" in step.get("run", "")]
    run_script(lines, site_copy, {"PAGES_URL": pages_url})
    assert_published_for(site_copy, f"{pages_url}/" if pages_url else "https://example.org/")


def test_gitlab_pages_commands_build_the_example_site(site_copy):
    lines = [line for line in gitlab_pipeline()["pages"]["script"] if line.startswith("sitegen")]
    run_script(lines, site_copy, {"CI_PAGES_URL": "https://group.gitlab.io/project"})
    assert_published_for(site_copy, "https://group.gitlab.io/project/")
