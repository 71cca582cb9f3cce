"""Where LabLink's code is read from: a checkout, a git revision, or released wheels.

A *source* answers three questions about one repository (``lablink`` or
``lablink-template``): which files it has (``paths``), what a file says
(``read``), and whether it could hold a file at all (``can_hold``).  The last
one is what lets a wheel say "workflows are never packaged" (``not-checkable``)
instead of "the workflow is missing".

Reading is cached per source: a git revision is listed once with
``git ls-tree`` and files are streamed through one long-lived
``git cat-file --batch`` process, so checking every ref of every diagram costs
one process start, not one per file. The git processes start through the renderers'
process plumbing (``render/proc.py``): one place runs children, with timeouts, and kills
what is left on Ctrl-C.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..render import proc
from ..render.errors import RenderTimeout

GIT_TIMEOUT = 120.0  # seconds for rev-parse and ls-tree (a large repository on a slow disk)

ALLOCATOR_SRC = "packages/allocator/src/lablink_allocator_service/"
CLIENT_SRC = "packages/client/src/lablink_client_service/"
_WHEEL_PACKAGES = {
    ALLOCATOR_SRC: "lablink_allocator_service/",
    CLIENT_SRC: "lablink_client_service/",
}


class SourceError(Exception):
    """A source that cannot be opened (bad path, bad revision); the message is one line."""


def to_wheel_path(repo_path: str) -> str | None:
    """The path a monorepo file has inside a released wheel, or ``None`` if never packaged.

    >>> to_wheel_path("packages/allocator/src/lablink_allocator_service/utils/scp.py")
    'lablink_allocator_service/utils/scp.py'
    >>> to_wheel_path("packages/client/src/lablink_client_service/subscribe.py")
    'lablink_client_service/subscribe.py'
    >>> to_wheel_path("packages/client/start.sh") is None
    True
    >>> to_wheel_path(".github/workflows/ci.yml") is None
    True
    """
    for repo_prefix, wheel_prefix in _WHEEL_PACKAGES.items():
        if repo_path.startswith(repo_prefix):
            return wheel_prefix + repo_path[len(repo_prefix):]
    return None


def from_wheel_path(wheel_path: str) -> str | None:
    """The monorepo path of a file found in a wheel (inverse of :func:`to_wheel_path`).

    >>> from_wheel_path("lablink_allocator_service/main.py")
    'packages/allocator/src/lablink_allocator_service/main.py'
    >>> from_wheel_path("lablink_allocator_service-0.1.0.dist-info/METADATA") is None
    True
    """
    for repo_prefix, wheel_prefix in _WHEEL_PACKAGES.items():
        if wheel_path.startswith(wheel_prefix):
            return repo_prefix + wheel_path[len(wheel_prefix):]
    return None


@dataclass(eq=False)
class Source:
    """One readable snapshot of one repository.  Subclasses fill ``_list`` and ``_load``."""

    repo: str
    label: str
    _paths: frozenset[str] | None = field(default=None, init=False, repr=False)
    _texts: dict = field(default_factory=dict, init=False, repr=False)
    cache: dict = field(default_factory=dict, init=False, repr=False)  # parsed files, per finder

    def paths(self) -> frozenset[str]:
        if self._paths is None:
            self._paths = frozenset(self._list())
        return self._paths

    def has(self, path: str) -> bool:
        return path in self.paths()

    def can_hold(self, path: str) -> bool:
        """Whether this kind of source could contain ``path`` at all."""
        return True

    def read(self, path: str) -> str | None:
        if path not in self._texts:
            self._texts[path] = self._load(path) if self.has(path) else None
        return self._texts[path]

    def describe(self) -> str:
        return self.label

    def close(self) -> None:
        pass

    def _list(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _load(self, path: str) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError


_SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache"}


@dataclass(eq=False)
class DirSource(Source):
    """A checkout (or any plain directory tree) of the repository."""

    root: Path = Path(".")

    def _list(self) -> list[str]:
        out = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
            rel = os.path.relpath(dirpath, self.root)
            for name in filenames:
                out.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
        return out

    def _load(self, path: str) -> str | None:
        try:
            return (self.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None


@dataclass(eq=False)
class GitSource(Source):
    """A revision of a git repository, read without a work tree (normal or bare)."""

    git_dir: Path = Path(".")
    rev: str = "HEAD"
    commit: str = ""
    _proc: object | None = field(default=None, init=False, repr=False)  # git cat-file --batch

    def __post_init__(self) -> None:
        rc, out, _ = self._git("rev-parse", "--verify", "--quiet", f"{self.rev}^{{commit}}")
        if rc != 0 or not out.strip():
            raise SourceError(f"{self.git_dir}: no commit {self.rev!r} in this git repository")
        self.commit = out.decode().strip()

    def _git(self, *args: str) -> tuple[int, bytes, bytes]:
        try:
            return proc.run(["git", "-C", str(self.git_dir), *args], input=b"", timeout=GIT_TIMEOUT, backend="git")
        except FileNotFoundError:
            raise SourceError("git is not installed") from None
        except RenderTimeout:
            raise SourceError(f"{self.git_dir}: git {args[0]} took over {GIT_TIMEOUT:.0f} s") from None

    def describe(self) -> str:
        return f"{self.label}@{self.commit[:7]}"

    def _list(self) -> list[str]:
        rc, out, err = self._git("ls-tree", "-r", "-z", "--name-only", self.commit)
        if rc != 0:
            raise SourceError(f"{self.git_dir}: cannot list {self.rev}: {err.decode(errors='replace').strip()}")
        return [p for p in out.decode("utf-8", errors="replace").split("\0") if p]

    def _load(self, path: str) -> str | None:
        if self._proc is None:
            self._proc = proc.spawn(["git", "-C", str(self.git_dir), "cat-file", "--batch"], stderr=None)
        batch = self._proc
        batch.stdin.write(f"{self.commit}:{path}\n".encode())
        batch.stdin.flush()
        header = batch.stdout.readline().decode()
        parts = header.split()
        if len(parts) != 3 or parts[1] != "blob":
            return None
        data = batch.stdout.read(int(parts[2]))
        batch.stdout.read(1)  # trailing newline
        return data.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self._proc is not None:
            batch, self._proc = self._proc, None
            batch.stdin.close()
            try:
                batch.wait(timeout=10)
            finally:
                proc.kill(batch)  # reaped already, or hung: either way forgotten

    def __del__(self) -> None:  # best effort; close() is the real API
        try:
            self.close()
        except Exception:
            pass


@dataclass(eq=False)
class WheelSource(Source):
    """LabLink's released wheels: ``.whl`` files, unpacked wheels or an installed site-packages.

    Only the two service packages are in a wheel; every other monorepo path
    (start.sh, Dockerfiles, workflows) and every lablink-template path cannot be
    held, so refs to them are ``not-checkable`` here rather than missing.
    """

    root: Path = Path(".")
    _where: dict = field(default_factory=dict, init=False, repr=False)  # repo path -> (zip|dir, member)
    found: list = field(default_factory=list, init=False, repr=False)  # what was found, for messages

    def __post_init__(self) -> None:
        self._scan()
        if not self._where:
            raise SourceError(f"{self.root}: no lablink_allocator_service or lablink_client_service "
                              "package or .whl file found")

    def can_hold(self, path: str) -> bool:
        return self.repo == "lablink" and to_wheel_path(path) is not None

    def _scan(self) -> None:
        root = self.root
        candidates = [root] + [p for p in sorted(root.iterdir()) if p.is_dir()] if root.is_dir() else []
        for whl in sorted(root.glob("*.whl")) if root.is_dir() else []:
            try:
                zf = zipfile.ZipFile(whl)
            except zipfile.BadZipFile:
                raise SourceError(f"{whl}: not a wheel (bad zip file)") from None
            self.found.append(whl.name)
            for member in zf.namelist():
                repo_path = from_wheel_path(member)
                if repo_path and not member.endswith("/"):
                    self._where.setdefault(repo_path, (zf, member))
        for base in candidates:
            for pkg in ("lablink_allocator_service", "lablink_client_service"):
                pkg_dir = base / pkg
                if not pkg_dir.is_dir():
                    continue
                self.found.append(str(pkg_dir))
                for dirpath, dirnames, filenames in os.walk(pkg_dir):
                    dirnames[:] = [d for d in dirnames if d != "__pycache__"]
                    for name in filenames:
                        member = os.path.relpath(os.path.join(dirpath, name), base).replace(os.sep, "/")
                        repo_path = from_wheel_path(member)
                        if repo_path:
                            self._where.setdefault(repo_path, (base, member))

    def _list(self) -> list[str]:
        return list(self._where)

    def _load(self, path: str) -> str | None:
        holder, member = self._where[path]
        if isinstance(holder, zipfile.ZipFile):
            return holder.read(member).decode("utf-8", errors="replace")
        return (holder / member).read_text(encoding="utf-8", errors="replace")


class NoSource(Source):
    """Stands in for a repository no source was given for: nothing is checkable."""

    def can_hold(self, path: str) -> bool:
        return False

    def _list(self) -> list[str]:
        return []


def open_repo(repo: str, spec: str) -> Source:
    """Open ``PATH`` (checkout; a bare git dir means its HEAD) or ``PATH@REV`` (git, no checkout)."""
    path, rev = spec, None
    if "@" in spec and not Path(spec).exists():
        path, rev = spec.rsplit("@", 1)
        if not rev:
            raise SourceError(f"{spec}: empty revision after '@'")
    p = Path(path).expanduser()
    if not p.exists():
        raise SourceError(f"{path}: no such directory")
    if not p.is_dir():
        raise SourceError(f"{path}: not a directory")
    if rev is None:
        if _is_bare_git_dir(p):
            return GitSource(repo=repo, label=str(p), git_dir=p, rev="HEAD")
        return DirSource(repo=repo, label=str(p), root=p)
    return GitSource(repo=repo, label=str(p), git_dir=p, rev=rev)


def open_wheels(path: str) -> WheelSource:
    p = Path(path).expanduser()
    if not p.is_dir():
        raise SourceError(f"{path}: no such directory")
    return WheelSource(repo="lablink", label=f"wheels:{p}", root=p)


def _is_bare_git_dir(p: Path) -> bool:
    return (p / "HEAD").is_file() and (p / "objects").is_dir() and (p / "refs").is_dir()


@dataclass
class Sources:
    """The source for each repository; a repository without one is ``not-checkable``."""

    lablink: Source | None = None
    template: Source | None = None

    def for_repo(self, repo: str) -> Source:
        src = self.lablink if repo == "lablink" else self.template
        return src if src is not None else NoSource(repo=repo, label=f"(no {repo} source)")

    def close(self) -> None:
        for s in (self.lablink, self.template):
            if s is not None:
                s.close()
