"""CI/CD: the six GitHub Actions workflows of the two repositories (fact sheet §3 Diagram 5, §1.15).

At the baseline there are 6 workflows, not 7: ``ci``, ``lablink-images``,
``publish-pip`` and ``docs`` in lablink; ``terraform-deploy`` and
``terraform-destroy`` in lablink-template.  Only lablink-images chains jobs
(``verify-*`` ``needs: build``); ci's three jobs run in parallel.  The 90 %
coverage gate exists only in ci.yml (publish-pip runs its tests with
``--cov-fail-under=0``).  Docs are deployed by their own release-triggered
workflow, not chained from publish-pip.  AWS is reached by OIDC
(``secrets.AWS_ROLE_ARN``), PyPI by trusted publishing (no token), GHCR with
``GITHUB_TOKEN``.  The deploy job injects the password secrets into
config.yaml *before* ``terraform init``; destroy runs in two stages.
"""

from __future__ import annotations

from ..model import Diagram, Group, Node, Note, Step
from ._common import BASELINE, ref, tref

_CI = "WF/ci.yml"
_IMG = "WF/lablink-images.yml"
_PUB = "WF/publish-pip.yml"
_DOCS = "WF/docs.yml"
_DEP = "WF/terraform-deploy.yml"
_DES = "WF/terraform-destroy.yml"


def wf(path: str, symbol: str):
    return ref(path, symbol, "workflow")


def twf(path: str, symbol: str):
    return tref(path, symbol, "workflow")


def build() -> Diagram:
    nodes = (
        Node("maintainer", "Maintainer\n(PR, push, tag, release, dispatch)", "person",
             description="Whoever opens pull requests, pushes, publishes releases or dispatches workflows.",
             refs=(wf(_CI, "on.pull_request"), wf(_PUB, "on.release"), twf(_DES, "on.workflow_dispatch"))),
        # -- lablink ------------------------------------------------------------------
        Node("ci", "lint ∥ test ∥\ndocker-build-test-allocator\ntest: --cov-fail-under=90", "job",
             description="Three parallel jobs; both test legs (client, allocator) enforce 90 % coverage.",
             refs=(wf(_CI, "jobs.lint"), wf(_CI, "jobs.test"), wf(_CI, "jobs.docker-build-test-allocator"),
                   wf(_CI, "jobs.test:Run tests"))),
        Node("img_build", "build\nallocator + client images", "job",
             description="Matrix allocator-image / client-base-image; dev builds use Dockerfile.dev with the "
                         "local code, prod builds use Dockerfile with PACKAGE_VERSION from PyPI.",
             refs=(wf(_IMG, "jobs.build"), wf(_IMG, "jobs.build:Select Dockerfile and build args"))),
        Node("img_verify", "verify-allocator ·\nverify-client\n(pull from GHCR)", "job",
             description="Pull the pushed image and run its console scripts, imports and (dev) tests.",
             refs=(wf(_IMG, "jobs.verify-allocator"), wf(_IMG, "jobs.verify-client"))),
        Node("publish", "publish: guardrails 1-6\ntests: --cov-fail-under=0", "job",
             description="Matrix per package: release from main, tag == version, metadata, ruff, pytest "
                         "(no coverage gate), uv build, then uv publish.",
             refs=(wf(_PUB, "jobs.publish"), wf(_PUB, "jobs.publish:Verify release from main branch"),
                   wf(_PUB, "jobs.publish:Run tests"), wf(_PUB, "jobs.publish:Build package"))),
        Node("docs", "docs: mkdocs + mike", "job",
             description="Separate workflow; not chained from publish-pip.",
             refs=(wf(_DOCS, "jobs.docs"),)),
        # -- lablink-template ---------------------------------------------------------------
        Node("deploy", "terraform: OIDC → secrets\n→ init → plan → apply\n→ verify", "job",
             description="Single job; Terraform 1.6.6 (the allocator image ships 1.4.6).",
             refs=(twf(_DEP, "jobs.terraform"), twf(_DEP, "jobs.terraform:Setup Terraform"),
                   twf(_DEP, "jobs.terraform:Terraform Plan"), twf(_DEP, "jobs.terraform:Verify Service Health"))),
        Node("destroy", "destroy\n(confirm_destroy == yes):\nclient VMs, then infra", "job",
             description="Single job, two destroy stages.",
             refs=(twf(_DES, "jobs.destroy"), twf(_DES, "jobs.destroy:Terraform Init Infrastructure"))),
        # -- services ------------------------------------------------------------------------
        Node("gh_secrets", "repository secrets\nADMIN_PASSWORD, DB_PASSWORD", "config",
             description="Template repository secrets; sed replaces PLACEHOLDER_ADMIN_PASSWORD / "
                         "PLACEHOLDER_DB_PASSWORD in config/config.yaml.",
             refs=(twf(_DEP, "jobs.terraform:Inject Password Secrets"),
                   tref("TI/config/config.yaml", "app.admin_password", "config"),
                   tref("TI/config/config.yaml", "db.password", "config"))),
        Node("ghcr", "GHCR\nlablink-allocator-image,\nlablink-client-base-image", "storage",
             description="GitHub Container Registry; login with GITHUB_TOKEN.",
             refs=(wf(_IMG, "jobs.build:Authenticate to GitHub Container Registry"),
                   wf(_IMG, "jobs.build:Generate tags"))),
        Node("gh_pages", "GitHub Pages\n(gh-pages branch)", "storage",
             description="mike pushes versioned docs to gh-pages.",
             refs=(wf(_DOCS, "jobs.docs:Deploy documentation (release)"),)),
        Node("pypi", "PyPI\nlablink-allocator-service,\nlablink-client-service", "storage",
             description="Trusted publishing: the job's OIDC token (id-token: write), no API token secret.",
             refs=(wf(_PUB, "jobs.publish:Publish to PyPI"),)),
        Node("aws_role", "AWS IAM role (OIDC)\nsecrets.AWS_ROLE_ARN", "cloud",
             description="configure-aws-credentials assumes the role with the job's OIDC token; the role and "
                         "OIDC provider are set up by the operator (template README), not by Terraform.",
             refs=(wf(_CI, "jobs.test:Configure AWS credentials for Terraform tests"),
                   twf(_DEP, "jobs.terraform:Configure AWS credentials via OIDC"))),
        Node("tf_state", "AWS S3 Terraform state\n+ DynamoDB lock-table", "storage",
             description="Key ENV/terraform.tfstate (allocator) and ENV/client/terraform.tfstate (client VMs); "
                         "bucket from config.yaml bucket_name.",
             refs=(tref("TI/backend-test.hcl", "dynamodb_table", "terraform"),
                   tref("TI/backend-prod.hcl", "key", "terraform"),
                   tref("TI/backend.tf", "*", "file"))),
        Node("aws_infra", "LabLink on AWS\nallocator EC2, EIP,\nlog pipeline, VMs", "cloud",
             description="What the template's main.tf creates (allocator EC2, EIP, DNS record, CloudWatch log "
                         "groups, Lambda) plus the client VMs the allocator created.",
             refs=(tref("TI/main.tf", "aws_instance.lablink_allocator_server", "terraform"),
                   tref("TI/main.tf", "aws_lambda_function.log_processor", "terraform"))),
    )
    groups = (
        Group("repo_lablink", "talmolab/lablink", "repo", groups=("wf_images", "wf_docs", "wf_publish", "wf_ci")),
        Group("wf_images", "lablink-images.yml", "cluster", nodes=("img_build", "img_verify"),
              refs=(wf(_IMG, "on.push"),)),
        Group("wf_docs", "docs.yml", "cluster", nodes=("docs",), refs=(wf(_DOCS, "on.release"),)),
        Group("wf_publish", "publish-pip.yml", "cluster", nodes=("publish",), refs=(wf(_PUB, "on.release"),)),
        Group("wf_ci", "ci.yml", "cluster", nodes=("ci",), refs=(wf(_CI, "on.pull_request"),)),
        # The password secrets are lablink-template repository secrets: they sit in that repo's frame.
        Group("repo_template", "talmolab/lablink-template", "repo", nodes=("gh_secrets",),
              groups=("wf_deploy", "wf_destroy")),
        Group("wf_deploy", "terraform-deploy.yml", "cluster", nodes=("deploy",),
              refs=(twf(_DEP, "on.push"),)),
        Group("wf_destroy", "terraform-destroy.yml", "cluster", nodes=("destroy",),
              refs=(twf(_DES, "on.workflow_dispatch"),)),
        # GHCR, GitHub Pages, PyPI and the three AWS nodes stand alone, each under the job that uses it:
        # frames around them only added titles for the arrows to cross.
    )
    steps = (
        # -- development: pull requests ----------------------------------------------------
        Step(1, "maintainer", "ci", "pull_request", "trigger",
             payload="paths packages/**, ci.yml",
             refs=(wf(_CI, "on.pull_request"),)),
        Step(2, "ci", "aws_role", "OIDC (test leg)", "request",
             protocol="aws-actions/configure-aws-credentials, id-token: write",
             refs=(wf(_CI, "jobs.test:Configure AWS credentials for Terraform tests"),)),
        Step(3, "maintainer", "img_build", "PR, push, dispatch", "trigger",
             payload="PR on packages/**, push to main/test, workflow_dispatch",
             refs=(wf(_IMG, "on.pull_request"), wf(_IMG, "on.push"), wf(_IMG, "on.workflow_dispatch"))),
        Step(4, "img_build", "ghcr", "build-push", "write",
             protocol="docker login with GITHUB_TOKEN, docker/build-push-action",
             refs=(wf(_IMG, "jobs.build:Authenticate to GitHub Container Registry"),
                   wf(_IMG, "jobs.build:Build and push Docker image"))),
        Step(5, "img_build", "img_verify", "needs: build", "trigger",
             refs=(wf(_IMG, "jobs.verify-allocator"), wf(_IMG, "jobs.verify-client"))),
        # -- release ---------------------------------------------------------------------
        Step(6, "maintainer", "publish", "release or tag", "trigger",
             payload="release published, tag lablink-{allocator,client}-service_v*",
             refs=(wf(_PUB, "on.release"), wf(_PUB, "on.push"))),
        Step(7, "publish", "pypi", "uv publish (trusted publishing, no token)", "write",
             protocol="OIDC id-token, no secret",
             refs=(wf(_PUB, "jobs.publish:Publish to PyPI"),)),
        Step(8, "maintainer", "docs", "release (own workflow)", "trigger",
             refs=(wf(_DOCS, "on.release"), wf(_DOCS, "on.push"))),
        Step(9, "docs", "gh_pages", "mike deploy --push", "write",
             refs=(wf(_DOCS, "jobs.docs:Deploy documentation (release)"),
                   wf(_DOCS, "jobs.docs:Deploy documentation (branch)"))),
        # A pull, drawn as one: the package flows from PyPI into the prod image build.
        Step(10, "pypi", "img_build", "installed by prod builds", "read",
             payload="pip install of the published package (manual follow-up: publish-pip only prints "
                     "a gh workflow run lablink-images.yml hint)",
             refs=(wf(_IMG, "jobs.build:Validate production build requirements"),
                   wf(_IMG, "jobs.build:Select Dockerfile and build args"))),
        # -- deployment (lablink-template) ----------------------------------------------
        Step(11, "maintainer", "deploy", "push, dispatch", "trigger",
             payload="push to test, workflow_dispatch, repository_dispatch deploy-prod-image",
             refs=(twf(_DEP, "on.push"), twf(_DEP, "on.workflow_dispatch"), twf(_DEP, "on.repository_dispatch"))),
        Step(12, "deploy", "aws_role", "OIDC role", "request",
             refs=(twf(_DEP, "jobs.terraform:Configure AWS credentials via OIDC"),)),
        # A read, drawn as one: the secrets flow into the job's config.yaml.
        Step(13, "gh_secrets", "deploy", "passwords, before init", "read",
             payload="sed over config/config.yaml before terraform init/validate; fails if any "
                     "PLACEHOLDER_ remains",
             refs=(twf(_DEP, "jobs.terraform:Inject Password Secrets"),)),
        Step(14, "deploy", "tf_state", "terraform init", "read",
             protocol="-backend-config=backend-ENV.hcl, bucket from config.yaml",
             refs=(twf(_DEP, "jobs.terraform:Terraform Init"),)),
        Step(15, "deploy", "aws_infra", "apply (destroy on failure)", "write",
             refs=(twf(_DEP, "jobs.terraform:Terraform Apply"),
                   twf(_DEP, "jobs.terraform:Terraform Destroy on Failure"))),
        # -- destruction -------------------------------------------------------------------
        Step(16, "maintainer", "destroy", "dispatch", "trigger",
             payload="workflow_dispatch with confirm_destroy = yes",
             refs=(twf(_DES, "on.workflow_dispatch"), twf(_DES, "jobs.destroy"))),
        Step(17, "destroy", "aws_role", "OIDC role", "request",
             refs=(twf(_DES, "jobs.destroy:Configure AWS credentials via OIDC"),)),
        Step(18, "destroy", "aws_infra", "stage 1: client VMs", "write",
             payload="temporary backend for key ENV/client/terraform.tfstate",
             refs=(twf(_DES, "jobs.destroy:Destroy Client VMs via S3 Backend"),)),
        Step(19, "destroy", "aws_infra", "stage 2: infrastructure", "write",
             refs=(twf(_DES, "jobs.destroy:Terraform Destroy Infrastructure"),)),
    )
    notes = (
        Note("Docs are not chained from publish-pip: both react to the same release event.", step=8),
        Note("On success: PEM key as a 1-day artifact, DNS and service-health checks.", step=15),
        Note("No lablink workflow sends deploy-prod-image at the baseline.", step=11),
    )
    return Diagram(
        name="cicd-workflow",
        title="CI/CD: six GitHub Actions workflows in two repositories",
        description=(
            "The four lablink workflows (ci, lablink-images, publish-pip, docs) and the two "
            "lablink-template workflows (terraform-deploy, terraform-destroy) with their triggers, key jobs "
            "and the services they reach: AWS by OIDC, PyPI by trusted publishing, GHCR, S3 state with a "
            "DynamoDB lock, GitHub Pages."
        ),
        priority="supplementary",
        views=("architecture",),
        direction="LR",
        nodes=nodes, groups=groups, steps=steps, notes=notes,
        baseline=BASELINE,
    )
