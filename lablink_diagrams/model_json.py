"""The model's JSON form: documented, strict, and an exact round trip.

``to_json`` writes every field (defaults included) in declaration order, so the
text is stable; ``from_json`` accepts exactly that shape and names the JSON path
of anything wrong (``$.steps[3].target: unknown node 'db'``), so anyone can draw
their own system with ``--model FILE``.

Shape (all keys optional unless marked)::

    {"name"*: str, "title"*: str, "description": str, "priority": "essential"|"supplementary",
     "views": [str], "direction": "LR"|"TB", "baseline": {repo: rev},
     "nodes"*: [{"id"*, "label"*, "kind", "description", "external", "refs": [ref], "fields": [field]}],
     "groups": [{"id"*, "title"*, "kind", "nodes": [id], "groups": [id], "description", "refs"}],
     "steps": [{"number"*, "source"*, "target"*, "label"*, "kind", "protocol", "payload",
                "blocking", "reply_to", "description", "multiplicity": [end, end], "refs"}],
     "fragments": [{"kind"*, "sections"*: [{"first"*, "last"*, "label"}]}],
     "notes": [{"text"*, "node" | "step"}], "lifelines": [id]}
    ref   = {"repo"*, "path"*, "symbol"*, "kind"}
    field = {"name"*, "type"*, "constraint", "description"}
    end   = "1" | "0..1" | "0..*" | "1..*"   (a schema relation's source and target ends)
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path

from .model import Diagram, ModelError

MAX_BYTES = 20_000_000


def to_json(d: Diagram) -> dict:
    """The diagram as plain JSON data; ``from_json(to_json(d)) == d``."""
    out = _plain(d)
    out["baseline"] = dict(d.baseline)
    return out


def dumps(d: Diagram) -> str:
    return json.dumps(to_json(d), indent=2, ensure_ascii=False) + "\n"


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
    if isinstance(obj, tuple):
        return [_plain(x) for x in obj]
    return obj


def from_json(data) -> Diagram:
    """Build and validate a Diagram; every error names its JSON path."""
    if not isinstance(data, dict):
        raise ModelError("$: a model is a JSON object")
    data = dict(data)
    baseline = data.pop("baseline", {})
    if not isinstance(baseline, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in baseline.items()):
        raise ModelError("$.baseline: expected an object of repo: revision strings")
    for repo, rev in baseline.items():
        _value(str, repo, "$.baseline", "")
        _value(str, rev, f"$.baseline.{repo}", "")
    return _build(Diagram, data, "$", extra={"baseline": tuple(baseline.items())})


def load_diagram(path: str | Path) -> Diagram:
    """Read a model file; any problem becomes a one-line ModelError naming the file."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise ModelError(f"{p}: larger than {MAX_BYTES // 1_000_000} MB")
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{p}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ModelError(f"{p}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{p}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ModelError(f"{p}: JSON nested too deeply") from None
    try:
        return from_json(data)
    except ModelError as exc:
        raise ModelError(f"{p}: {exc}") from None


def _build(cls, data, path: str, extra: dict | None = None):
    if not isinstance(data, dict):
        raise ModelError(f"{path}: expected an object")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init and f.name != "baseline"}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ModelError(f"{path}: unknown field {unknown[0]!r} (allowed: {', '.join(fields)})")
    kwargs = dict(extra or {})
    for name, f in fields.items():
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ModelError(f"{path}: missing field {name!r}")
            continue
        kwargs[name] = _value(hints[name], data[name], f"{path}.{name}", name)
    try:
        return cls(**kwargs)
    except ModelError as exc:
        raise ModelError(f"{path}: {exc}") from None


def _value(hint, value, path: str, name: str):
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _value(options[0], value, path, name)
    if origin is tuple:
        if not isinstance(value, list):
            raise ModelError(f"{path}: expected a list")
        item = typing.get_args(hint)[0]
        if dataclasses.is_dataclass(item):
            return tuple(_build(item, v, f"{path}[{i}]") for i, v in enumerate(value))
        return tuple(_value(item, v, f"{path}[{i}]", "") for i, v in enumerate(value))
    if hint is bool:
        if not isinstance(value, bool):
            raise ModelError(f"{path}: expected true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ModelError(f"{path}: expected an integer")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ModelError(f"{path}: expected a string")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # JSON allows "\ud800"; no renderer or file can hold it
            raise ModelError(f"{path}: lone surrogate {value[exc.start]!r} at character {exc.start} "
                             "(not a Unicode character)") from None
        return value
    raise ModelError(f"{path}: unsupported value")
