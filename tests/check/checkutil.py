"""Shared helpers: write a small LabLink-shaped tree, build refs, check them."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from lablink_diagrams.model import CodeRef

A = "packages/allocator/src/lablink_allocator_service/"
C = "packages/client/src/lablink_client_service/"
MIRROR_LABLINK = Path("/work/.mirror/talmolab+lablink/repo")
MIRROR_TEMPLATE = Path("/work/.mirror/talmolab+lablink-template/repo")


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def L(path: str, symbol: str, kind: str | None = None) -> CodeRef:
    return CodeRef("lablink", path.replace("A/", A).replace("C/", C), symbol, kind)


def T(path: str, symbol: str, kind: str | None = None) -> CodeRef:
    return CodeRef("lablink-template", path, symbol, kind)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}).stdout


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
needs_mirror = pytest.mark.skipif(not (MIRROR_LABLINK.is_dir() and MIRROR_TEMPLATE.is_dir()),
                                  reason="LabLink git mirrors not on this machine")
