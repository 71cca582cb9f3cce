"""The PlantUML JVM in -pipe mode: one process reads diagram texts on stdin, one after
another (more may be sent while it runs), and answers each with an SVG or an error, in
order, between delimiters of our own. Nothing here reads a diagram; plantuml.py does.

Output names never come from diagram text: -pipe writes to stdout only, and
`@startuml <name>` is ignored there. Runs with PLANTUML_SECURITY_PROFILE=SANDBOX.
"""
from __future__ import annotations

import collections
import queue
import re
import secrets
import threading

from . import proc
from .errors import RenderFailed, RenderTimeout, one_line
from .tools import Toolchain

JVM_FLAGS = ["-Djava.awt.headless=true", "-DPLANTUML_LIMIT_SIZE=16384",
             "-DPLANTUML_SECURITY_PROFILE=SANDBOX", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
             "-Xss8m"]
_START = re.compile(r"^\s*@start\w+")
_END = re.compile(r"^\s*@end\w+")


def block_start(source: str) -> int:
    """0-based line index of the single @start… line; RenderFailed unless the text is
    exactly one @start…/@end… block (pipe mode maps outputs to inputs by order)."""
    lines = source.splitlines()
    starts = [i for i, l in enumerate(lines) if _START.match(l)]
    ends = [i for i, l in enumerate(lines) if _END.match(l)]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise RenderFailed("plantuml", f"source must hold exactly one @startuml…@enduml block "
                                       f"(found {len(starts)} @start and {len(ends)} @end lines)")
    return starts[0]


def parse_error(chunk: bytes, start: int) -> RenderFailed:
    lines = chunk.decode("utf-8", "replace").splitlines()
    line = None
    if len(lines) > 1 and lines[1].strip().lstrip("-").isdigit():
        line = start + int(lines[1].strip()) + 1
    msg = " ".join(l.strip() for l in lines[2:] if l.strip()) or "syntax error"
    return RenderFailed("plantuml", msg, line)


def problem(chunk: bytes, start: int) -> RenderFailed | None:
    """The error in one of the JVM's answers, if it is not an SVG."""
    if chunk.startswith(b"ERROR\n"):
        return parse_error(chunk, start)
    if b"<svg" not in chunk[:400]:
        return RenderFailed("plantuml", "renderer produced no SVG: " + one_line(chunk[:80].decode("utf-8", "replace")))
    return None


class Pipe:
    """One JVM: `java -jar plantuml.jar -pipe`; output chunks arrive in `self.chunks`."""

    def __init__(self, tools: Toolchain, fmt_args: list[str], sources: list[str]):
        self.delim = ("LABLINK-" + secrets.token_hex(16)).encode()
        env = proc.child_env({"PLANTUML_SECURITY_PROFILE": "SANDBOX", "JAVA_TOOL_OPTIONS": ""})
        if tools.dot:
            env["GRAPHVIZ_DOT"] = tools.dot
        cmd = [tools.java, *JVM_FLAGS, "-jar", str(tools.plantuml_jar), "-pipe", "-pipeNoStderr",
               "-pipedelimitor", self.delim.decode(), "-charset", "UTF-8", "-nometadata", *fmt_args]
        self.p = proc.spawn(cmd, env=env, background=True)
        self.chunks: queue.Queue = queue.Queue()
        self.stderr: collections.deque = collections.deque(maxlen=20)
        self._texts: queue.Queue = queue.Queue()
        for s in sources:
            self.send(s)
        threading.Thread(target=self._write, daemon=True).start()
        threading.Thread(target=self._read, daemon=True).start()
        self._err_thread = threading.Thread(target=self._read_err, daemon=True)
        self._err_thread.start()

    def send(self, source: str) -> None:
        """One more text to render after those given (its SVG comes after theirs)."""
        self._texts.put(source if source.endswith("\n") else source + "\n")

    def finish(self) -> None:
        """No more texts: the JVM exits once it has drawn those it has."""
        self._texts.put(None)

    def _write(self) -> None:
        try:
            while (text := self._texts.get()) is not None:
                self.p.stdin.write(text.encode("utf-8"))
                if self._texts.empty():
                    self.p.stdin.flush()
            self.p.stdin.close()
        except (OSError, ValueError):
            pass

    def _read(self) -> None:
        sep = self.delim + b"\n"
        buf = b""
        try:
            while True:
                data = self.p.stdout.read1(1 << 16)
                if not data:
                    break
                buf += data
                while (i := buf.find(sep)) >= 0:
                    self.chunks.put(buf[:i])
                    buf = buf[i + len(sep):]
        except (OSError, ValueError):
            pass
        self.chunks.put(None)

    def _read_err(self) -> None:
        try:
            for raw in self.p.stderr:
                line = raw.decode("utf-8", "replace").strip()
                if line and not line.startswith("Picked up"):
                    self.stderr.append(line)
        except (OSError, ValueError):
            pass

    def next(self, timeout: float) -> bytes | None:
        try:
            return self.chunks.get(timeout=timeout)
        except queue.Empty:
            raise RenderTimeout("plantuml", timeout) from None

    def tail(self) -> str:
        try:
            self.p.wait(timeout=2)
        except Exception:
            pass
        self._err_thread.join(timeout=2)
        return one_line(" | ".join(list(self.stderr)[-3:]))

    def close(self, graceful: bool = True) -> None:
        self.finish()
        if graceful:
            try:
                self.p.wait(timeout=10)
            except Exception:
                pass
        proc.kill(self.p)
