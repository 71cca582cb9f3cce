"""GitHub workflow and YAML config refs, found on PyYAML's node graph (``yaml.compose``).

Composing (not loading) keeps every key's line mark and keeps ``on`` a plain
string (YAML 1.1 would load it as ``True``).  PyYAML is therefore a runtime
dependency of the checker.

- ``workflow``: a dotted key path from the top (``on.push``, ``jobs.lint``,
  ``jobs.publish.strategy``); under ``on`` an event given as a scalar or list
  (``on: [push]``) also counts.  ``jobs.JOB:Step name`` = the step of that job
  whose ``name`` is the text (exact, else the only case-insensitive substring
  match), at the line of its ``name`` key.
- ``config``: a dotted key path (``db.message_channel``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import BadSymbol


@dataclass
class YamlIndex:
    root: object
    error: str = ""


def parse(text: str, path: str = "") -> YamlIndex:
    import yaml

    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as e:
        return YamlIndex(None, f"cannot parse {path}: {str(e).splitlines()[0]}")
    return YamlIndex(nodes[0] if nodes else None)


def _child(node, key: str):
    """(key line, value node) of ``key`` in a mapping; for sequences/scalars, a matching item."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k.start_mark.line + 1, v
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value == key:
                return item.start_mark.line + 1, None
    elif isinstance(node, yaml.ScalarNode) and node.value == key:
        return node.start_mark.line + 1, None
    return None


def _path(root, dotted: str):
    node, line = root, None
    for part in dotted.split("."):
        if node is None:
            return None
        hit = _child(node, part)
        if hit is None:
            return None
        line, node = hit
    return line, node


def lookup(idx: YamlIndex, kind: str, symbol: str, relaxed: bool = False) -> int | None:
    import yaml

    if idx.root is None:
        return None
    key, sep, step = symbol.partition(":")
    key, step = key.strip(), step.strip()
    if not key or any(not p for p in key.split(".")) or (sep and (kind != "workflow" or not step)):
        raise BadSymbol("symbol must be a dotted key path" + (" optionally ':Step name'" if kind == "workflow" else ""))
    hit = _path(idx.root, key)
    if hit is None:
        return None
    line, node = hit
    if not sep:
        return line
    steps = _child(node, "steps") if node is not None else None
    if steps is None or not isinstance(steps[1], yaml.SequenceNode):
        return None
    named = []
    for item in steps[1].value:
        name = _child(item, "name")
        if name and isinstance(name[1], yaml.ScalarNode):
            named.append((name[1].value.strip(), name[0]))
    for text, ln in named:
        if text == step:
            return ln
    loose = [ln for text, ln in named if step.lower() in text.lower()]
    return loose[0] if len(loose) == 1 else None
