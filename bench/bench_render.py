#!/usr/bin/env python3
"""Benchmark the rendering engine against the naive way.

    python3 bench/bench_render.py [SOURCES_DIR] [--samples N] [--naive-limit K] [--formats png,svg,pdf]

SOURCES_DIR holds emitted sources (*.mmd, *.puml, *.dot). Without it, N sample
sources per backend are written to a temp dir. Prints a table:
  engine cold   render() of every source in every format into an empty folder
  engine cached the same call again (nothing changed: nothing may start)
  naive         the same outputs (PNGs as many pixels as the engine's, shrunk to the paper area),
                one `mmdc` process per output (node_modules/.bin/mmdc with a locked
                puppeteer config), one `java -jar plantuml.jar` per output (PDF: its
                SVG through rsvg-convert), one `dot` per output — the first K sources
                per backend (all by default), reported per output.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from lablink_diagrams.render import RenderJob, Toolchain, render, summarise  # noqa: E402
from lablink_diagrams.presets import PRESETS  # noqa: E402
from lablink_diagrams.render.mermaid import mermaid_config  # noqa: E402
from lablink_diagrams.render.pdf import page_size  # noqa: E402
from lablink_diagrams.render.raster import fit_scale  # noqa: E402

EXT = {".mmd": "mermaid", ".puml": "plantuml", ".dot": "dot"}
BACKENDS = ("mermaid", "plantuml", "dot")
LOCKED_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
               "--disable-extensions", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
               "--host-resolver-rules=MAP * ~NOTFOUND"]


def samples(folder: pathlib.Path, n: int) -> None:
    for i in range(n):
        if i % 2:
            mmd = (f"sequenceDiagram\n  autonumber\n  participant C as Client {i}\n  participant S as Server\n"
                   f"  participant D as Postgres\n  C->>S: request {i}\n  alt cached\n    S-->>C: hit\n  else miss\n"
                   f"    S->>D: SELECT\n    D-->>S: rows\n    S-->>C: {i} rows\n  end\n  Note over S,D: LISTEN/NOTIFY\n")
            puml = (f"@startuml\nautonumber\nactor User\nparticipant \"API {i}\" as A\ndatabase DB\n"
                    f"User -> A : call {i}\nalt ok\n  A -> DB : query\n  DB --> A : rows\nelse error\n"
                    f"  A --> User : 500\nend\nnote over A, DB : long poll\n@enduml\n")
        else:
            mmd = (f"flowchart LR\n  subgraph lab[\"Lab {i}\"]\n    A[\"Instrument\"] --> B[(\"Buffer\")]\n  end\n"
                   f"  subgraph cloud[\"Cloud\"]\n    C[[\"API\"]] --> D[(\"Postgres\")]\n  end\n"
                   f"  B -->|\"upload {i}\"| C\n  D -.->|\"NOTIFY\"| C\n")
            puml = (f"@startuml\nnode \"Lab PC {i}\" {{\n  component Agent\n}}\ncloud Cloud {{\n"
                    f"  component API\n  database Postgres\n  queue Events\n}}\nAgent --> API : HTTPS\n"
                    f"API --> Postgres\nAPI --> Events\n@enduml\n")
        dot = (f"digraph G{i} {{\n  graph [fontname=\"DejaVu Sans\" rankdir=LR]\n  node [fontname=\"DejaVu Sans\" shape=box]\n"
               f"  edge [fontname=\"DejaVu Sans\"]\n  subgraph cluster_lab {{ label=\"Lab {i}\" style=filled fillcolor=\"#eeeeff\"\n"
               f"    inst [label=\"Instrument\"] agent [label=\"Agent\"] }}\n"
               f"  subgraph cluster_cloud {{ label=\"Cloud\" style=dashed\n    api [label=\"API\"] db [label=\"Postgres\" shape=cylinder] }}\n"
               f"  inst -> agent; agent -> api [label=\"upload\\n{i}\"]; api -> db; db -> api [style=dotted label=NOTIFY]\n}}\n")
        (folder / f"sample{i:02d}.mmd").write_text(mmd)
        (folder / f"sample{i:02d}.puml").write_text(puml)
        (folder / f"sample{i:02d}.dot").write_text(dot)


def engine_jobs(sources, out: pathlib.Path, fmts):
    return [RenderJob(EXT[p.suffix], p.read_text("utf-8"), f, out / f"{p.stem}.{EXT[p.suffix]}.{f}")
            for p in sources for f in fmts]


def png_scales(sources, engine_out: pathlib.Path) -> dict[pathlib.Path, float]:
    """Per source, how much the engine shrank its PNG to the paper area (read from the engine's PDF),
    so the naive PNG has the same pixels; 1.0 where no PDF was rendered."""
    scales = {}
    for p in sources:
        f = engine_out / f"{p.stem}.{EXT[p.suffix]}.pdf"
        scales[p] = fit_scale(page_size(f.read_bytes()), (PRESETS["paper"].print_width, PRESETS["paper"].print_height)) if f.exists() else 1.0
    return scales


def naive(sources, out: pathlib.Path, fmts, tools: Toolchain, cfg_dir: pathlib.Path,
          scales: dict[pathlib.Path, float]) -> dict[str, tuple[int, float, int]]:
    """Returns backend -> (outputs, seconds, failures). PNGs come out the engine's size (`scales`)."""
    out.mkdir(parents=True, exist_ok=True)
    pcfg = cfg_dir / "puppeteer.json"
    pcfg.write_text(json.dumps({"executablePath": tools.chromium, "headless": "shell", "args": LOCKED_ARGS}))
    mcfg = cfg_dir / "mermaid.json"
    mcfg.write_text(json.dumps(mermaid_config("paper")))  # the engine's own config, for a fair comparison
    mmdc = tools.node_modules / ".bin" / "mmdc"
    stats: dict[str, list] = {b: [0, 0.0, 0] for b in BACKENDS}
    for p in sources:
        b = EXT[p.suffix]
        for f in fmts:
            dest = out / f"{p.stem}.{b}.{f}"
            if b == "mermaid":
                cmds = [[str(mmdc), "-q", "-p", str(pcfg), "-c", str(mcfg), "-i", str(p), "-o", str(dest)]
                        + (["-s", f"{3.125 * scales[p]:.4f}"] if f == "png" else []) + (["-f"] if f == "pdf" else [])]
            elif b == "plantuml":
                base = [tools.java, "-Djava.awt.headless=true", "-jar", str(tools.plantuml_jar), "-nometadata", "-pipe"]
                if f == "png":
                    cmds = [base + ["-tpng", f"-Sdpi={round(300 * scales[p])}"]]
                else:
                    cmds = [base + ["-tsvg"]] + ([[tools.rsvg, "-f", "pdf"]] if f == "pdf" else [])
            else:
                cmds = [[tools.dot, f"-T{f}"] + ([f"-Gdpi={300 * scales[p]:.2f}"] if f == "png" else []) + [str(p), "-o", str(dest)]]
            t0 = time.monotonic()
            ok = True
            if b == "plantuml":
                data = p.read_bytes()
                for c in cmds:
                    r = subprocess.run(c, input=data, capture_output=True, env={"PLANTUML_SECURITY_PROFILE": "SANDBOX", "PATH": "/usr/bin:/bin"}, timeout=300)
                    ok = ok and r.returncode == 0
                    data = r.stdout
                dest.write_bytes(data)
            else:
                for c in cmds:
                    r = subprocess.run(c, capture_output=True, timeout=300)
                    ok = ok and r.returncode == 0
            stats[b][0] += 1
            stats[b][1] += time.monotonic() - t0
            stats[b][2] += not ok
    return {b: tuple(v) for b, v in stats.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="?", type=pathlib.Path)
    ap.add_argument("--samples", type=int, default=12, help="sample sources per backend when no folder is given")
    ap.add_argument("--naive-limit", type=int, default=0, help="naive-render only the first K sources per backend (0 = all)")
    ap.add_argument("--formats", default="png,svg,pdf")
    ap.add_argument("--no-naive", action="store_true")
    a = ap.parse_args()
    fmts = tuple(a.formats.split(","))
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        src_dir = a.sources
        if src_dir is None:
            src_dir = tmp / "src"
            src_dir.mkdir()
            samples(src_dir, a.samples)
        sources = sorted(p for p in src_dir.rglob("*") if p.suffix in EXT)
        if not sources:
            print(f"no *.mmd/*.puml/*.dot under {src_dir}", file=sys.stderr)
            return 2
        tools = Toolchain.discover()
        jobs = engine_jobs(sources, tmp / "engine", fmts)

        per_backend = {b: [j for j in jobs if j.backend == b] for b in BACKENDS}
        alone = {}
        for b, bjobs in per_backend.items():  # each backend on its own: honest per-backend wall time
            if bjobs:
                solo = [RenderJob(j.backend, j.source, j.fmt, tmp / "solo" / j.out.name, j.preset, j.dpi) for j in bjobs]
                t0 = time.monotonic()
                render(solo, progress=False)
                alone[b] = time.monotonic() - t0
        t0 = time.monotonic()
        cold = render(jobs, progress=False)
        t_cold = time.monotonic() - t0
        t0 = time.monotonic()
        cached = render(jobs, progress=False)
        t_cached = time.monotonic() - t0
        t0 = time.monotonic()
        r = subprocess.run([sys.executable, "-c", "import sys,pathlib,json;"
                            "from lablink_diagrams.render import RenderJob, render;"
                            "jobs=[RenderJob(**{**j,'out':pathlib.Path(j['out'])}) for j in json.load(sys.stdin)];"
                            "rs=render(jobs, progress=False);"
                            "sys.exit(0 if all(x.status=='cached' for x in rs) else 1)"],
                           input=json.dumps([{**j.__dict__, "out": str(j.out)} for j in jobs]), text=True,
                           cwd=pathlib.Path(__file__).resolve().parent.parent)
        t_cached_proc = time.monotonic() - t0

        print(f"sources: {len(sources)} in {src_dir}   outputs: {len(jobs)} ({', '.join(fmts)})")
        print(summarise(cold).splitlines()[0])
        for line in summarise(cold).splitlines()[1:]:
            print("  " + line)
        print()
        # engine cold time per backend: backends run concurrently, so attribute by the results' own seconds
        naive_stats = {}
        if not a.no_naive:
            nsrc = []
            for b in BACKENDS:
                bs = [p for p in sources if EXT[p.suffix] == b]
                nsrc += bs[: a.naive_limit] if a.naive_limit else bs
            naive_stats = naive(nsrc, tmp / "naive", fmts, tools, tmp, png_scales(nsrc, tmp / "engine"))
        hdr = f"{'backend':<10}{'outputs':>8}{'engine wall s':>15}{'ms/output':>11}{'naive s':>10}{'ms/output':>11}{'naive/engine':>14}"
        print(hdr)
        print("-" * len(hdr))
        for b in BACKENDS:
            n = len(per_backend[b])
            if not n:
                continue
            busy = alone[b]
            line = f"{b:<10}{n:>8}{busy:>15.2f}{1000 * busy / n:>11.0f}"
            if b in naive_stats and naive_stats[b][0]:
                nn, ns, nf = naive_stats[b]
                line += f"{ns:>10.2f}{1000 * ns / nn:>11.0f}{(ns / nn) / (busy / n):>13.1f}x"
                if nf:
                    line += f"  ({nf} naive failures)"
            print(line)
        total_n = len(jobs)
        line = f"{'all (wall)':<10}{total_n:>8}{t_cold:>15.2f}{1000 * t_cold / total_n:>11.0f}"
        if naive_stats:
            nn = sum(v[0] for v in naive_stats.values())
            ns = sum(v[1] for v in naive_stats.values())
            line += f"{ns:>10.2f}{1000 * ns / nn:>11.0f}{(ns / nn) / (t_cold / total_n):>13.1f}x"
        print(line)
        print()
        ok = all(r.status == "cached" for r in cached)
        print(f"unchanged re-run, in process: {t_cached * 1000:.0f} ms for {total_n} outputs"
              f" ({'all cached' if ok else 'NOT all cached!'})")
        print(f"unchanged re-run, fresh python process (import + render): {t_cached_proc * 1000:.0f} ms"
              f" ({'all cached' if r.returncode == 0 else 'NOT all cached!'})")
        print("\n(engine wall s per backend: that backend rendered alone, cold, startup included; 'all' row: one render()"
              " call with the three backends running concurrently. naive: one process per output, sequentially.)")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
