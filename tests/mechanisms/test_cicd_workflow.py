"""Facts the cicd-workflow diagram must state (fact sheet §3 Diagram 5, §1.15)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from lablink_diagrams.mechanisms import load

MIRRORS = {
    "lablink": (Path("/work/.mirror/talmolab+lablink/repo"), "d3b6b02"),
    "lablink-template": (Path("/work/.mirror/talmolab+lablink-template/repo"), "3c2808a"),
}


@pytest.fixture(scope="module")
def d():
    return load("cicd-workflow")


def workflow_files(d) -> dict[str, set[str]]:
    """repo -> workflow files referenced anywhere in the model."""
    out: dict[str, set[str]] = {}
    items = [r for n in d.nodes for r in n.refs] + [r for g in d.groups for r in g.refs] + \
            [r for s in d.steps for r in s.refs]
    for r in items:
        if r.kind == "workflow":
            out.setdefault(r.repo, set()).add(r.path.rsplit("/", 1)[-1])
    return out


def test_six_workflows_four_plus_two(d):
    files = workflow_files(d)
    assert files["lablink"] == {"ci.yml", "lablink-images.yml", "publish-pip.yml", "docs.yml"}
    assert files["lablink-template"] == {"terraform-deploy.yml", "terraform-destroy.yml"}
    wf_groups = [g for g in d.groups if g.title.endswith(".yml")]
    assert len(wf_groups) == 6  # not 7 (COMPLETED.md's count)
    parent = d.parent_of()
    by_id = {g.id: g for g in d.groups}
    for g in wf_groups:
        repo = by_id[parent[g.id]]
        expected = "talmolab/lablink-template" if g.title.startswith("terraform-") else "talmolab/lablink"
        assert repo.title == expected and repo.kind == "repo", g.title


def test_only_lablink_images_has_needs(d):
    needs = [s for s in d.steps if "needs" in s.label]
    assert len(needs) == 1
    s = needs[0]
    assert [g.title for g in d.group_path(s.source)][-1] == "lablink-images.yml"
    assert [g.title for g in d.group_path(s.target)][-1] == "lablink-images.yml"
    # no job of any other workflow points at another job
    jobs = {n.id for n in d.nodes if n.kind == "job"}
    for st in d.steps:
        if st.source in jobs and st.target in jobs:
            assert st is s


def test_coverage_gate_only_in_ci(d):
    ci = d.node("ci")
    assert "--cov-fail-under=90" in ci.label
    assert "--cov-fail-under=0" in d.node("publish").label
    others = [n for n in d.nodes if n.id != "ci"]
    assert not any("=90" in n.label for n in others)


def test_pypi_trusted_publishing_no_token(d):
    pub = next(s for s in d.steps if s.source == "publish" and s.target == "pypi")
    assert "trusted publishing" in pub.label and "no token" in pub.label


def test_oidc_to_aws_from_ci_deploy_destroy(d):
    oidc = {s.source for s in d.steps if s.target == "aws_role"}
    assert oidc == {"ci", "deploy", "destroy"}
    assert all("OIDC" in s.label for s in d.steps if s.target == "aws_role")


def test_ghcr_and_state_backend(d):
    assert any(s.source == "img_build" and s.target == "ghcr" for s in d.steps)
    assert "DynamoDB" in d.node("tf_state").label and "S3" in d.node("tf_state").label
    assert not any(s.source == "publish" and s.target in ("ghcr", "img_build") for s in d.steps)


def test_docs_is_its_own_release_triggered_workflow(d):
    trig = [s for s in d.steps if s.target == "docs"]
    assert [s.source for s in trig] == ["maintainer"]
    assert any(r.symbol == "on.release" for r in trig[0].refs)
    assert not any(s.source == "publish" and s.target == "docs" for s in d.steps)


def test_deploy_injects_secrets_before_init(d):
    # the secrets are read (drawn as a pull, secrets -> deploy) after OIDC and before init/apply
    def number(src, dst):
        return next(s.number for s in d.steps if (s.source, s.target) == (src, dst))
    secrets = number("gh_secrets", "deploy")
    assert number("deploy", "aws_role") < secrets < number("deploy", "tf_state") < number("deploy", "aws_infra")
    assert not any(s.source == "deploy" and s.target == "gh_secrets" for s in d.steps)


def test_pulls_point_at_the_puller(d):
    # prod image builds install the package from PyPI: PyPI -> build, unlike the publish (7) into PyPI
    assert any((s.source, s.target) == ("pypi", "img_build") for s in d.steps)
    assert not any((s.source, s.target) == ("img_build", "pypi") for s in d.steps)


def test_destroy_has_two_stages_clients_first(d):
    stages = [s for s in d.steps if s.source == "destroy" and s.target == "aws_infra"]
    assert len(stages) == 2
    assert "client" in stages[0].label and "stage 1" in stages[0].label
    assert "infrastructure" in stages[1].label and "stage 2" in stages[1].label
    assert stages[0].number < stages[1].number


def test_every_node_and_step_is_cited_and_numbered(d):
    for n in d.nodes:
        assert n.external or n.refs, n.id
    for s in d.steps:
        assert s.refs, s.number
    assert [s.number for s in d.steps] == list(range(1, len(d.steps) + 1))
    assert len(d.nodes) <= 16


def _yaml(repo: str, path: str):
    git, rev = MIRRORS[repo]
    text = subprocess.run(["git", "-C", str(git), "show", f"{rev}:{path}"],
                          capture_output=True, text=True, check=True).stdout
    return yaml.safe_load(text)


@pytest.mark.skipif(not all(g.exists() for g, _ in MIRRORS.values()), reason="no LabLink mirrors here")
def test_workflow_refs_resolve_at_baseline(d):
    items = [r for n in d.nodes for r in n.refs] + [r for g in d.groups for r in g.refs] + \
            [r for s in d.steps for r in s.refs]
    for r in items:
        if r.kind != "workflow":
            continue
        y = _yaml(r.repo, r.path)
        if r.symbol.startswith("on."):
            on = y.get("on", y.get(True))
            assert r.symbol[3:] in on, r
            continue
        job, _, step = r.symbol[len("jobs."):].partition(":")
        assert job in y["jobs"], r
        if step:
            assert step in [s.get("name") for s in y["jobs"][job]["steps"]], r


@pytest.mark.skipif(not all(g.exists() for g, _ in MIRRORS.values()), reason="no LabLink mirrors here")
def test_needs_in_source_only_in_lablink_images():
    for repo, files in (("lablink", ["ci", "lablink-images", "publish-pip", "docs"]),
                        ("lablink-template", ["terraform-deploy", "terraform-destroy"])):
        for f in files:
            jobs = _yaml(repo, f".github/workflows/{f}.yml")["jobs"]
            with_needs = {j for j, v in jobs.items() if v.get("needs")}
            assert with_needs == ({"verify-allocator", "verify-client"} if f == "lablink-images" else set()), f
