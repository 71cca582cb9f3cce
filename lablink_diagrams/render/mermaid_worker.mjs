// One Chromium, one warm page with mermaid.min.js sent once; renders every job it
// is sent. Protocol: JSON lines. stdin: {id, source, config, svgId, frame:{titlePx, captionPx}, outputs:[{fmt}]}
// with fmt "svg" or "pdf" (PNG is drawn from the PDF by the caller, raster.py).
// stdout: {ready:true} once, then per job {id, ok:true, width, height, blocked, layout,
// outputs:[{data:<base64>}]} or {id, ok:false, error}. Nothing else goes to stdout.
// Environment: LABLINK_NODE_MODULES, LABLINK_CHROMIUM (set by mermaid.py).
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const nm = process.env.LABLINK_NODE_MODULES;
const chromium = process.env.LABLINK_CHROMIUM;
const require = createRequire(path.join(nm, "lablink-noop.js"));
const puppeteer = require("puppeteer");

let blocked = 0; // requests aborted during the current job
const send = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-default-apps", "--disable-extensions", "--disable-quic", "--no-first-run",
  "--no-default-browser-check", "--mute-audio", "--font-render-hinting=none",
  // locked network: nothing leaves the machine, not even to loopback hosts
  "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
  "--host-resolver-rules=MAP * ~NOTFOUND",
  // new headless mode preloads the omnibox popups' WebUI pages in a renderer of their own
  "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
];

// Mermaid measures text while laying out, so layout always happens in this viewport.
// The drawing is laid out but never painted on screen (visibility: hidden, which keeps
// every measure): only the print to PDF shows it. Painting each figure into the
// viewport, at full size for the PDF, cost ~0.6 CPU-s a suite for pixels nobody used.
const RELOAD_EVERY = 100;
const DETOUR = 3;  // an edge this many times longer than the distance between its ends goes the long way round
const LARGER = 1.25;  // ... which a figure may take only to print this much larger
const FLIP_COST = 1.1;  // back edges against the flow may print a figure this much smaller, no more
const LAYOUT_VIEWPORT = { width: 1200, height: 800, deviceScaleFactor: 1 };

// The ELK layout (@mermaid-js/layout-elk, a dependency of mermaid-cli) is ES modules that
// import their chunks by relative URL. The page may load them from this one made-up origin,
// answered from that package's dist folder and nothing else; every other request is refused.
const ELK_ORIGIN = "http://elk.invalid/";
const ELK_ROOT = path.join(nm, "@mermaid-js/layout-elk/dist");
function elkFile(url) {
  if (!url.startsWith(ELK_ORIGIN)) return null;
  const rel = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, "");
  const file = path.resolve(ELK_ROOT, rel);
  return file.startsWith(ELK_ROOT + path.sep) && file.endsWith(".mjs") && fs.existsSync(file) ? file : null;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>diagram</title>
<style>html,body{margin:0;padding:0;background:#fff}#c{display:inline-block;visibility:hidden}@media print{#c{visibility:visible}}</style>
</head><body><div id="c"></div></body></html>`;

async function main() {
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: "shell", args: ARGS, pipe: true,
    defaultViewport: LAYOUT_VIEWPORT,
  });
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    const u = req.url();
    if (u.startsWith("data:") || u === "about:blank") { req.continue(); return; }
    const file = elkFile(u);
    if (file) {
      req.respond({ status: 200, contentType: "text/javascript", headers: { "Access-Control-Allow-Origin": "*" },
                    body: fs.readFileSync(file) });
      return;
    }
    blocked += 1; req.abort("blockedbyclient");
  });
  page.on("console", () => {});
  const mermaidJs = fs.readFileSync(path.join(nm, "mermaid/dist/mermaid.min.js"), "utf8");
  // Every RELOAD_EVERY diagrams the page is replaced, so old mermaid instances cannot pile up.
  const reload = async () => {
    await page.goto("data:text/html;charset=utf-8," + encodeURIComponent(PAGE));
    await page.evaluate((js) => { window.__mermaidJs = js; }, mermaidJs);
  };
  await reload();
  // The bundle text is sent once and evaluated again whenever the instance may carry
  // state into the next diagram: output must not depend on what was rendered before
  // (determinism, the cache). Flowcharts and ER diagrams clear their state per render (a
  // suite drawn on one instance gave the same bytes for every one of them). A sequence
  // keeps one module-level counter, its actors' number, in four ids (layout below
  // numbers them from 0 again, as a fresh instance does), and nothing else: the suite's,
  // compact and paper figures came out byte for byte as from fresh instances. So an
  // instance that drew only those three kinds is kept: evaluating the bundle again, and
  // warming its code again, cost ~0.4 s of a suite's Mermaid figures.
  const fresh = () => page.evaluate(() => {
    window.__drawn = new Map();  // Mermaid's texts of this job's layouts (layout below)
    if (window.mermaid && !window.__mermaidUsed) return typeof window.mermaid;
    window.__mermaidUsed = false;
    delete window.mermaid;
    const s = document.createElement("script");
    s.textContent = window.__mermaidJs;
    document.head.appendChild(s);
    s.remove();
    return typeof window.mermaid;
  });
  let count = 0;
  send({ ready: true });

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let job;
    try { job = JSON.parse(line); } catch (e) { send({ id: null, ok: false, error: "bad request" }); continue; }
    try {
      if (++count % RELOAD_EVERY === 0) await reload();
      await fresh();
      blocked = 0;
      const res = await renderOne(page, job);
      res.blocked = blocked;
      send(res);
    } catch (e) {
      send({ id: job.id, ok: false, error: String((e && e.message) || e) });
    }
  }
  await browser.close();
}

// One layout per request, then every requested output from it (svg and/or pdf).
// A flowchart is laid out by dagre (what GitHub shows); if dagre ran an edge over a box
// that is neither of its ends, ELK lays it out again and wins when it does that less
// (unless one of its routes goes DETOUR times the way for a figure not LARGER in print).
// That first dagre layout is a probe: it is measured, not finished (titles, caption,
// view box), since ELK won all six times it was tried in the suite (0.3 s a run).
// Frames get a margin under their titles (mermaid.py), so an arrow entering a frame from
// above ends below the title, not in it; Mermaid adds that margin after layout, so stacked
// sibling frames can overlap (dagre, found in api-architecture): then it is laid out again without.
// A compact figure's key is set apart (placeKey below) only where that prints the figure
// larger than the key as Mermaid placed it, a node in the layout (main and vm-provisioning:
// dagre had set it where it cost less); the page then holds the winner's drawing.
async function renderOne(page, job) {
  if (!job.keySource) return outputs(page, job, await drawing(page, job));
  const apart = await drawing(page, job);
  const whole = await drawing(page, { ...job, source: job.wholeSource, keySource: null });
  const area = job.frame.area.map((a) => a * 96);
  const scale = (r) => (r.error ? 0 : Math.min(area[0] / r.w, area[1] / r.h, 1));
  if (scale(whole) >= scale(apart)) return outputs(page, job, whole);
  return outputs(page, job, await drawing(page, job));
}

// A back edge (mermaid_back.py) is laid out as written, as GitHub draws it, unless it then
// goes the long way round (DETOUR times the distance between its ends; review 63:
// vm-provisioning's "11. dashboard.html" left its frame at the foot and climbed back to the
// admin above). Then the figure is laid out again with every back edge written against the
// flow, which wins if its longest way round is shorter, it runs no more edges over boxes and
// it prints at most FLIP_COST smaller (compact vm-provisioning's, a staircase round empty
// space, printed at 5.6 pt where the short detour's printed at 6.5). Written so everywhere,
// crd-connection's clean chain became two columns with two labels over each other.
async function drawing(page, job) {
  const r = await laidOut(page, job);
  const flipped = (job.flips || []).find(([s]) => s === job.source);
  if (r.error || !flipped || !(r.backDetour > DETOUR)) return r;
  const f = await laidOut(page, { ...job, source: flipped[1] });
  const area = job.frame ? job.frame.area.map((a) => a * 96) : [Infinity, Infinity];
  const fit = (x) => Math.min(area[0] / x.w, area[1] / x.h, 1);  // finished: title, key and all
  if (!f.error && f.detour < r.detour && f.crossings.length <= r.crossings.length && fit(f) * FLIP_COST >= fit(r)) {
    f.layout = [f.layout, `back edges against the flow (one ran ${r.backDetour.toFixed(1)} times the distance between its ends)`]
      .filter(Boolean).join("; ");
    return f;
  }
  return laidOut(page, job);  // the page holds the last layout: the winner's
}

async function laidOut(page, job) {
  let r = await layout(page, job, job.config, true), config = job.config;
  if (!r.error && r.flowchart && r.crossings.length) {
    const dagre = r;
    const elk = await layout(page, job, { ...job.config, layout: "elk" });
    // ELK's orthogonal routes can go the long way round a whole figure (review 63:
    // data-collection's send_file, 4.5 times the distance between its ends, round every
    // frame): such a route is taken only for a figure that prints much larger for it
    const area = job.frame ? job.frame.area.map((a) => a * 96) : [Infinity, Infinity];
    const fit = (x) => Math.min(area[0] / x.raw[0], area[1] / x.raw[1], 1);
    const fewer = !elk.error && elk.crossings.length < dagre.crossings.length;
    const roundabout = fewer && elk.detour > DETOUR && fit(elk) < LARGER * fit(dagre);
    r = fewer && !roundabout ? elk : await layout(page, job, job.config);
    if (r === elk) config = { ...job.config, layout: "elk" };
    r.layout = r === elk ? `layout elk (dagre ran ${dagre.crossings.length} edge(s) over another box or label)`
      : roundabout ? `layout dagre (ELK ran an edge ${elk.detour.toFixed(1)} times the distance between its ends)` : "";
  }
  if (!r.error && r.overlapping) {
    const note = r.layout;
    r = await layout(page, job, { ...config, flowchart: { ...config.flowchart, subGraphTitleMargin: { top: 0, bottom: 0 } } });
    r.layout = [note, "no margin under frame titles (frames overlapped)"].filter(Boolean).join("; ");
  }
  return r;
}

async function layout(page, job, config, probe = false) {
  return page.evaluate(async ({ source, keySource, config, svgId, frame, probe, back }) => {
    // A sequence's actors are numbered on from the last sequence this Mermaid instance drew
    // (a module-level counter), in the ids of their lifelines, heads and stick figures: here
    // from 0, as on a fresh instance. Text and other attributes cannot hold ' id="actor…"'
    // (quotes inside them are escaped).
    const actorsFromZero = (text) => {
      const ids = / id="(actor|root-|actor-man-torso|actor-man-arms)(\d+)(_popup)?"/g;
      const first = Math.min(...Array.from(text.matchAll(/ id="actor(\d+)"/g), (m) => Number(m[1])));
      return first > 0 && Number.isFinite(first)
        ? text.replace(ids, (all, kind, n, popup) => ` id="${kind}${Number(n) - first}${popup || ""}"`) : text;
    };
    const c = document.getElementById("c");
    c.innerHTML = "";
    for (const el of Array.from(document.body.children)) if (el !== c && el.tagName !== "SCRIPT") el.remove();
    if (config.layout === "elk") {
      if (!window.__elkLayouts) window.__elkLayouts = (await import("http://elk.invalid/mermaid-layout-elk.esm.mjs")).default;
      mermaid.registerLayoutLoaders(window.__elkLayouts);
    }
    mermaid.initialize(config);
    let svg;
    window.__mermaidUsed = true;  // until the drawing shows a kind that keeps no state
    try {
      // a job lays one source out more than once with one config (a probe's winner, a key
      // set apart after all): Mermaid's text for those is taken from the first time
      const memo = JSON.stringify([svgId, source, config]);
      svg = window.__drawn.get(memo);
      if (svg === undefined) {
        ({ svg } = await mermaid.render(svgId, source));
        svg = actorsFromZero(svg);
        window.__drawn.set(memo, svg);
      }
    } catch (e) {
      for (const el of Array.from(document.body.children)) if (el !== c && el.tagName !== "SCRIPT") el.remove();
      return { error: String((e && (e.message || e.str)) || e) };
    }
    // a flowchart's nodes: the id the text gives each, its group and its box on screen
    const nodesOf = (el) => Array.from(el.querySelectorAll("g.node"), (g) => [/-flowchart-(.+)-\d+$/.exec(g.id), g])
      .filter(([m]) => m).map(([m, g]) => ({ id: m[1], g, box: g.getBoundingClientRect() }));
    const crossingsOf = (el) => {
      // Flowchart edges that pass over a node that is neither of their ends (read as a false link)
      // or behind another edge's label (the label then seems to belong to the wrong edge)
      const boxes = new Map(), notes = new Set();
      for (const n of nodesOf(el)) {
        boxes.set(n.id, n.box);
        if (n.g.classList.contains("note")) notes.add(n.id);
      }
      for (const g of el.querySelectorAll("g.edgeLabel g.label[data-id]")) {
        const b = g.getBoundingClientRect();
        if (b.width > 1 && b.height > 1) boxes.set("label:" + g.getAttribute("data-id"), b);
      }
      const crossings = [], m = 3 * (el.getScreenCTM().a || 1);  // 3 user units, in screen pixels
      for (const edge of el.querySelectorAll("path.flowchart-link")) {
        const id = (edge.getAttribute("data-id") || "").replace(/^L_/, "").replace(/_\d+$/, "");
        const from = [...boxes.keys()].find((a) => !a.startsWith("label:") && id.startsWith(a + "_") && boxes.has(id.slice(a.length + 1)));
        // a note's dotted tie past a box corner is no false link: not worth ELK's longer
        // routes (network-flow's TLS note: ELK then ran SSH 22 round the whole figure)
        if (!from || notes.has(from) || notes.has(id.slice(from.length + 1))) continue;
        // only boxes that the path's own box meets can hold one of its points: most edges
        // meet none but their ends, and are not sampled (getPointAtLength is the cost)
        const ends = [from, id.slice(from.length + 1)], e = edge.getBoundingClientRect(), hit = new Set();
        const near = [...boxes].filter(([nid, b]) => !ends.includes(nid) && nid !== "label:" + edge.getAttribute("data-id")
          && b.left + m < e.right + 1 && b.right - m > e.left - 1 && b.top + m < e.bottom + 1 && b.bottom - m > e.top - 1);
        const len = near.length ? edge.getTotalLength() : -1, ctm = edge.getScreenCTM();
        for (let at = 0; at <= len; at += 12) {  // a box is at least ~40 units tall: 12 cannot step over it
          const q = edge.getPointAtLength(at).matrixTransform(ctm);
          for (const [nid, b] of near) {
            if (q.x > b.left + m && q.x < b.right - m && q.y > b.top + m && q.y < b.bottom - m) hit.add(nid);
          }
        }
        for (const nid of hit) crossings.push(`${ends[0]} -> ${ends[1]} over ${nid}`);
      }
      return crossings;
    };
    c.innerHTML = svg;
    const el = c.querySelector("svg");
    el.style.backgroundColor = "white";
    const flowchart = el.getAttribute("aria-roledescription") === "flowchart-v2";
    window.__mermaidUsed = !(flowchart || ["er", "sequence"].includes(el.getAttribute("aria-roledescription")));
    // A back edge laid out against the flow is written "target <--> source" (mermaid_back.py):
    // Mermaid has no arrowhead at the start alone. Ours never draw two, so an edge with both
    // keeps only the one at its start (the target), and its end gets back the 4 units Mermaid
    // cut from it for an arrowhead there. That arrowhead is the end's own marker, reversed
    // (Mermaid's start marker printed at a third of its size), and the path's start is set
    // right: it began inside the target's box, which hid the arrowhead, with a sub-unit kink
    // that turned it sideways. A first subpath, under the arrowhead, from 4 to 8 units past
    // where the path leaves the box, puts the tip on the box's edge, pointing along the path.
    const twoHeaded = flowchart ? Array.from(el.querySelectorAll("path.flowchart-link[marker-start][marker-end]")) : [];
    const nodes = twoHeaded.length ? nodesOf(el) : [];
    for (const p of twoHeaded) {
      const end = /#([^)"]+)/.exec(p.getAttribute("marker-end"))[1], id = end + "-reversed";
      if (!el.querySelector(`marker[id="${id}"]`)) {
        const m = el.querySelector(`marker[id="${end}"]`).cloneNode(true);
        m.id = id;
        m.setAttribute("orient", "auto-start-reverse");
        el.querySelector(`marker[id="${end}"]`).after(m);
      }
      p.setAttribute("marker-start", `url(#${id})`);
      p.removeAttribute("marker-end");
      const len = p.getTotalLength(), at = (l) => p.getPointAtLength(Math.max(0, Math.min(len, l)));
      const lid = p.getAttribute("data-id") || "", ctm = p.getScreenCTM();
      let box = null, best = 0;  // the target's: the longest node id the edge's id starts with
      for (const n of nodes) if (lid.startsWith(`L_${n.id}_`) && n.id.length > best) ({ box } = n, best = n.id.length);
      const inside = (q) => { q = q.matrixTransform(ctm); return box && q.x > box.left && q.x < box.right && q.y > box.top && q.y < box.bottom; };
      let out = 0;
      while (out < Math.min(40, len / 3) && inside(at(out))) out += 0.25;
      const a = at(len - 1), b = at(len), s = at(out + 4), t = at(out + 8);
      const d = Math.hypot(b.x - a.x, b.y - a.y) || 1, r = (v) => Math.round(v * 1000) / 1000;
      p.setAttribute("d", `M${r(s.x)},${r(s.y)}L${r(t.x)},${r(t.y)}` + p.getAttribute("d")
        + `L${r(b.x + ((b.x - a.x) / d) * 4)},${r(b.y + ((b.y - a.y) / d) * 4)}`);
    }
    const crossings = flowchart ? crossingsOf(el) : [];
    // frames that overlap without one holding the other (the title margin pushed them together)
    const frames = Array.from(el.querySelectorAll("g.cluster > rect")).map((f) => f.getBoundingClientRect());
    const holds = (a, b) => a.left <= b.left + 0.5 && a.top <= b.top + 0.5 && a.right >= b.right - 0.5 && a.bottom >= b.bottom - 0.5;
    const overlapping = frames.some((a, i) => frames.some((b, j) => j > i && a.left < b.right && b.left < a.right
      && a.top < b.bottom && b.top < a.bottom && !holds(a, b) && !holds(b, a)));
    // the longest way round: an edge's length over the distance between its ends (a self
    // loop's ends meet: not counted), and the drawing's size, before titles are added
    let detour = 1, backDetour = 1;
    if (flowchart) {
      for (const p of el.querySelectorAll("path.flowchart-link")) {
        const len = p.getTotalLength(), a = p.getPointAtLength(0), b = p.getPointAtLength(len);
        const gap = Math.hypot(b.x - a.x, b.y - a.y);
        if (gap > 40) detour = Math.max(detour, len / gap);
        const id = p.getAttribute("data-id") || "";  // L_<source>_<target>_<n>, as written
        if (gap > 40 && (back || []).some(([s, t]) => id.startsWith(`L_${s}_${t}_`) && /^\d+$/.test(id.slice(s.length + t.length + 4))))
          backDetour = Math.max(backDetour, len / gap);
      }
    }
    const drawn = el.getBBox(), raw = [drawn.width, drawn.height];
    // a first dagre layout that crossed is only a measure: ELK lays it out next, and
    // whichever wins is laid out (and finished) again
    if (probe && crossings.length) return { crossings, flowchart, overlapping, detour, backDetour, raw };
    // Edges of an orthogonal (ELK) layout that run on one line: ELK may route straight
    // stretches of two edges along one line a short gap apart, or into and out of one side
    // of a box, and they read as one edge that forks (review 66: cicd's "17. OIDC role" and
    // "12. OIDC role" on one horizontal 34 units apart; 17 and "18. stage 1" on one vertical
    // through the destroy box's side). A stretch between two bends of one of them moves
    // sideways, with its rounded bends and the label on it, by the least of SHIFTS that
    // leaves it clear: off every node and other label, on no line with another edge's
    // stretch, no nearer one than NEAR along it, across no more edges and the same frame
    // borders. A pair no shift clears stays as it is.
    if (flowchart) {
      const GAP = 80, LINE = 12, NEAR = 8, LABEL_GAP = 18, SHIFTS = [16, -16, 24, -24, 32, -32];
      const edges = Array.from(el.querySelectorAll("path.flowchart-link")).map((p) => {
        const cmds = [...(p.getAttribute("d") || "").matchAll(/([A-Za-z])([^A-Za-z]*)/g)]
          .map(([, c, args]) => [c, (args.match(/-?[\d.]+(?:e-?\d+)?/g) || []).map(Number)]);
        return { p, id: p.getAttribute("data-id") || "", cmds };
      });
      // all in the paths' units: every path under one CTM
      const ctm = edges.length && edges[0].p.getScreenCTM();
      const oneCtm = ctm && edges.every((e) => e.p.getScreenCTM().a === ctm.a && e.p.getScreenCTM().e === ctm.e
        && e.p.getScreenCTM().f === ctm.f);
      const inv = oneCtm && ctm.inverse();
      const local = (r) => {
        const a = new DOMPoint(r.left, r.top).matrixTransform(inv), z = new DOMPoint(r.right, r.bottom).matrixTransform(inv);
        return { l: a.x, t: a.y, r: z.x, b: z.y };
      };
      const nodeBoxes = oneCtm ? Array.from(el.querySelectorAll("g.node")).map((n) => local(n.getBoundingClientRect())) : [];
      // only paths of straight stretches and rounded bends (ELK's)
      if (oneCtm && edges.every((e) => e.cmds.every(([c, a]) => "MLQ".includes(c) && a.length % 2 === 0))) {
        const grow = (a, d) => ({ l: a.l - d, t: a.t - d, r: a.r + d, b: a.b + d });
        const meet = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
        const pointsOf = (e) => e.cmds.flatMap(([c, a]) => a.reduce((o, v, i) => (i % 2 ? o : o.concat([{ x: v, y: a[i + 1], ctrl: c === "Q" && i === 0 }])), []));
        for (const e of edges) e.pts = pointsOf(e);
        const frames = Array.from(el.querySelectorAll("g.cluster > rect")).map((f) => local(f.getBoundingClientRect()));
        const labelOf = new Map();
        for (const g of el.querySelectorAll("g.edgeLabel")) {
          const inner = g.querySelector("g.label[data-id]"), r = g.getBoundingClientRect();
          const m = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(g.getAttribute("transform") || "");
          if (inner && m && r.width > 1 && r.height > 1) labelOf.set(inner.getAttribute("data-id"), { g, x: +m[1], y: +m[2], box: local(r) });
        }
        // the straight stretches of a point list: [axis ("h": y constant), line, from, to, first index, last index]
        const runsOf = (pts) => {
          const out = [];
          for (let i = 0; i + 1 < pts.length;) {
            const h = Math.abs(pts[i].y - pts[i + 1].y) < 0.01, v = Math.abs(pts[i].x - pts[i + 1].x) < 0.01;
            if (!h && !v) { i++; continue; }
            let j = i + 1;
            while (j + 1 < pts.length && (h ? Math.abs(pts[j + 1].y - pts[i].y) < 0.01 : Math.abs(pts[j + 1].x - pts[i].x) < 0.01)) j++;
            const along = pts.slice(i, j + 1).map((q) => (h ? q.x : q.y));
            if (Math.max(...along) - Math.min(...along) > 8) out.push([h ? "h" : "v", h ? pts[i].y : pts[i].x, Math.min(...along), Math.max(...along), i, j]);
            i = j;
          }
          return out;
        };
        // two stretches read as one: within LINE of one line a short GAP apart along it (one seems
        // to run on into the other: review 70 read vm-provisioning's 3 as going on into 7, 9 units
        // aside; no shift there is clear), or side by side along each other within NEAR
        const asOne = (a, b) => {
          const gap = Math.max(a[2], b[2]) - Math.min(a[3], b[3]);
          return a[0] === b[0] && gap < GAP && Math.abs(a[1] - b[1]) < (gap > 0 ? LINE : NEAR);
        };
        const segs = (pts, i0 = 0, i1 = pts.length - 1) => {
          const out = [];
          for (let i = Math.max(0, i0); i < Math.min(pts.length - 1, i1); i++) out.push([pts[i], pts[i + 1]]);
          return out;
        };
        const cross = ([a, b], [c, d]) => {
          const o = (p, q, r) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
          return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
        };
        const onSeg = ([a, b], step) => {  // points along a segment, every `step`
          const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / step)), out = [];
          for (let k = 0; k <= n; k++) out.push({ x: a.x + ((b.x - a.x) * k) / n, y: a.y + ((b.y - a.y) * k) / n });
          return out;
        };
        const inside = (q, r) => q.x > r.l && q.x < r.r && q.y > r.t && q.y < r.b;
        const borderHits = (ss) => frames.map((f) => ss.reduce((n, s) => n + [[{ x: f.l, y: f.t }, { x: f.r, y: f.t }], [{ x: f.r, y: f.t }, { x: f.r, y: f.b }],
          [{ x: f.r, y: f.b }, { x: f.l, y: f.b }], [{ x: f.l, y: f.b }, { x: f.l, y: f.t }]].filter((bs) => cross(s, bs)).length, 0));
        // the node an end of a path sits on (within 3 units of its box), or null
        const nodeAt = (q) => nodeBoxes.find((n) => q.x > n.l - 3 && q.x < n.r + 3 && q.y > n.t - 3 && q.y < n.b + 3) || null;
        // edge e with stretch `run` moved by d across it: its new points, or null if a bend would fold
        const moved = (e, run, d) => {
          const [axis, line, , , i, j] = run, pts = e.pts.map((q) => ({ ...q })), last = pts.length - 1;
          if (e.cmds.filter(([c]) => c === "M").length > 1) return null;  // a back edge's arrowhead subpath
          const off = (q) => Math.abs((axis === "h" ? q.y : q.x) - line);
          let a = pts[i].ctrl ? i - 1 : i, b = pts[j].ctrl ? j + 1 : j;  // a rounded bend's approach moves with its corner
          // a stretch out of (or into) a node takes its end along, with ELK's sub-unit kink off the
          // node's side: the end slides along that side, and must stay 6 units inside its corners
          if (pts.slice(0, a).every((q) => off(q) < 2)) a = 0;
          if (pts.slice(b + 1).every((q) => off(q) < 2)) b = last;
          for (const k of [a, b].filter((k) => k === 0 || k === last)) {
            const n = nodeAt(pts[k]), to = (axis === "h" ? pts[k].y : pts[k].x) + d;
            if (!n || (axis === "h" ? to < n.t + 6 || to > n.b - 6 : to < n.l + 6 || to > n.r - 6)) return null;
          }
          // the stretch's neighbours turn square off it
          const square = (p, q) => (axis === "h" ? Math.abs(p.x - q.x) : Math.abs(p.y - q.y)) < 0.01;
          if ((a > 0 && !square(pts[a - 1], pts[a])) || (b < last && !square(pts[b], pts[b + 1]))) return null;
          for (let k = a; k <= b; k++) if (axis === "h") pts[k].y += d; else pts[k].x += d;
          for (const [k, n] of [[a, a - 1], [b, b + 1]]) {
            if (n < 0 || n > last) continue;
            const was = axis === "h" ? e.pts[k].y - e.pts[n].y : e.pts[k].x - e.pts[n].x;
            const now = axis === "h" ? pts[k].y - pts[n].y : pts[k].x - pts[n].x;
            if (Math.sign(was) !== Math.sign(now) || Math.abs(now) < 1) return null;
          }
          return { pts, from: a - 1, to: b + 1 };
        };
        // the edge's label moves with its stretch where it sits on the stretch or on either of its
        // neighbours (which move along themselves): it stays on its line, as far from the bends
        const carries = (e, m) => {
          const lab = labelOf.get(e.id);
          return !!lab && segs(e.pts, m.from, m.to).some((sg) => onSeg(sg, 4).some((q) => inside(q, lab.box)));
        };
        const shiftBox = (b, run, d) => (run[0] === "h" ? { ...b, t: b.t + d, b: b.b + d } : { ...b, l: b.l + d, r: b.r + d });
        const clear = (e, m, run, d) => {
          const changed = segs(m.pts, m.from, m.to), before = segs(e.pts, m.from, m.to);
          const first = m.pts[0], last = m.pts[m.pts.length - 1], far = (q) => Math.hypot(q.x - first.x, q.y - first.y) > 5 && Math.hypot(q.x - last.x, q.y - last.y) > 5;
          const samples = changed.flatMap((s) => onSeg(s, 4)).filter(far);
          if (nodeBoxes.some((n) => samples.some((q) => inside(q, grow(n, 4))))) return false;
          const lab = labelOf.get(e.id), labBox = carries(e, m) && shiftBox(lab.box, run, d);
          // a label moved with its stretch keeps its distance from the others, or LABEL_GAP
          // (blind review 68: cicd's 17, moved to 5 units under "2. OIDC (test leg)", had the
          // label spread slide 2 onto its edge's corner)
          const gap = (a, b) => Math.max(a.l - b.r, b.l - a.r, a.t - b.b, b.t - a.b);
          for (const [id, L] of labelOf) if (id !== e.id && (samples.some((q) => inside(q, grow(L.box, 2)))
            || labBox && gap(labBox, L.box) < Math.min(gap(lab.box, L.box), LABEL_GAP))) return false;
          if (labBox && nodeBoxes.some((n) => meet(grow(labBox, 4), n))) return false;
          // nor does a bend of its edge come nearer its label than 12 units, or than it was (a
          // label at a bend reads as the end of one line and the start of another)
          const bendGap = (box, pts) => Math.min(Infinity, ...pts.filter((q) => q.ctrl)
            .map((q) => Math.max(box.l - q.x, q.x - box.r, box.t - q.y, q.y - box.b, 0)));
          if (lab && bendGap(labBox || lab.box, m.pts) < Math.min(12, bendGap(lab.box, e.pts))) return false;
          const others = edges.filter((o) => o !== e), mine = runsOf(m.pts).filter((r) => r[5] >= m.from && r[4] <= m.to);
          // the moved stretch itself stands twice NEAR off every other stretch along it: a shift
          // past its partner to its other side (monitoring's 7, 7 units under 10's line, to 9
          // over it) sets nothing apart
          const shifted = (q) => q[0] === run[0] && Math.abs(q[1] - run[1] - d) < 0.01;
          if (others.some((o) => runsOf(o.pts).some((r) => mine.some((q) => asOne(q, r)
            || shifted(q) && q[0] === r[0] && Math.abs(q[1] - r[1]) < 2 * NEAR && Math.max(q[2], r[2]) - Math.min(q[3], r[3]) < GAP)))) return false;
          const crossings = (ss) => others.reduce((n, o) => n + segs(o.pts).reduce((k, t) => k + ss.filter((s) => cross(s, t)).length, 0), 0);
          if (crossings(changed) > crossings(before)) return false;
          const a = borderHits(changed), b = borderHits(before);
          if (a.some((n, k) => n !== b[k])) return false;
          // every point that moved stays on its side of every frame border (the counts alone let
          // vm-provisioning's 3 leave its frame by the side instead of the foot)
          if (m.pts.some((q, k) => (q.x !== e.pts[k].x || q.y !== e.pts[k].y) && frames.some((f) => inside(q, f) !== inside(e.pts[k], f)))) return false;
          // no stretch of it along a frame border
          return !mine.some((r) => frames.some((f) => (r[0] === "h" ? [f.t, f.b] : [f.l, f.r]).some((line) => Math.abs(line - r[1]) < NEAR)
            && (r[0] === "h" ? Math.min(r[3], f.r) - Math.max(r[2], f.l) : Math.min(r[3], f.b) - Math.max(r[2], f.t)) > 0));
        };
        const write = (e, m, run, d) => {
          e.pts = m.pts;
          let k = 0;
          for (const cmd of e.cmds) for (let i = 0; i < cmd[1].length; i += 2, k++) { cmd[1][i] = e.pts[k].x; cmd[1][i + 1] = e.pts[k].y; }
          e.p.setAttribute("d", e.cmds.map(([c, a]) => c + a.reduce((o, v, i) => (i % 2 ? o : o.concat(`${v},${a[i + 1]}`)), []).join(" ")).join(""));
          const lab = labelOf.get(e.id);
          if (carries(e, m)) {
            const s = lab.g.parentNode.getScreenCTM(), c = ctm;  // label units per path unit
            const dx = run[0] === "v" ? (d * c.a) / (s.a || 1) : 0, dy = run[0] === "h" ? (d * c.d) / (s.d || 1) : 0;
            lab.x += dx; lab.y += dy;
            lab.g.setAttribute("transform", `translate(${lab.x}, ${lab.y})`);
            lab.box = shiftBox(lab.box, run, d);
          }
        };
        for (let round = 0; round < 8; round++) {
          let done = false;
          for (const e of edges) {
            for (const f of edges) {
              if (done || e === f) continue;
              for (const [a, b] of runsOf(e.pts).flatMap((a) => runsOf(f.pts).filter((b) => asOne(a, b)).map((b) => [a, b]))) {
                let pick = null;
                for (const d of SHIFTS) {
                  for (const [x, run] of [[e, a], [f, b]]) {
                    const m = moved(x, run, d);
                    if (m && clear(x, m, run, d)) { pick = [x, m, run, d]; break; }
                  }
                  if (pick) break;
                }
                if (pick) { write(...pick); done = true; break; }
              }
            }
          }
          if (!done) break;
        }
      } else if (oneCtm) {
        // dagre: two edges that leave one side of a node a few units apart read as one line that
        // forks (review 70: data-collection's 5 and 6/8/9 left download_all_data 4.8 units
        // apart). One start moves away from the other along the side, with its first straight
        // piece and its curve's first handle, until the two stand ENDS_APART apart and 6 units
        // inside the side's corners; with no room either way, both stay.
        const ENDS_APART = 12;
        // a path "M start L p C handle ...": its start, the node side it is on, its place along it
        const starts = edges.map((e) => {
          const [m, l, c] = e.cmds;
          if (!m || !l || !c || m[0] !== "M" || l[0] !== "L" || c[0] !== "C" || m[1].length !== 2) return null;
          const [x, y] = m[1], n = nodeBoxes.find((b) => x > b.l - 3 && x < b.r + 3 && y > b.t - 3 && y < b.b + 3);
          if (!n) return null;
          const gaps = { l: Math.abs(x - n.l), r: Math.abs(x - n.r), t: Math.abs(y - n.t), b: Math.abs(y - n.b) };
          const side = Object.keys(gaps).reduce((a, k) => (gaps[k] < gaps[a] ? k : a));
          const along = side === "l" || side === "r" ? 1 : 0;  // index of the coordinate that runs along the side
          return { e, n, side, along, at: m[1][along], lo: along ? n.t + 6 : n.l + 6, hi: along ? n.b - 6 : n.r - 6 };
        });
        for (const [i, a] of starts.entries()) {
          for (const b of starts.slice(i + 1)) {
            if (!a || !b || a.n !== b.n || a.side !== b.side || Math.abs(a.at - b.at) >= ENDS_APART) continue;
            const [first, second] = a.at <= b.at ? [a, b] : [b, a], need = ENDS_APART - (second.at - first.at);
            const [mover, by] = second.at + need <= second.hi ? [second, need] : first.at - need >= first.lo ? [first, -need] : [null, 0];
            if (!mover) continue;
            const [m, l, c] = mover.e.cmds;
            for (const args of [m[1], l[1]]) args[mover.along] += by;
            c[1][mover.along] += by;  // the first handle: the curve leaves as it did, only further along
            mover.at += by;
            mover.e.p.setAttribute("d", mover.e.cmds.map(([cmd, args]) => cmd + args.join(",")).join(""));
          }
        }
      }
    }
    // Mermaid 11 with mirrorActors:false leaves every lifeline at a fixed 2000 px
    // (fixLifeLineHeights returns early), so long sequences had messages below
    // their lifelines: end each lifeline just below the lowest message or note.
    const lifelines = el.querySelectorAll("line.actor-line");
    if (lifelines.length) {
      let bottom = 0;
      for (const n of el.querySelectorAll("line:not(.actor-line), rect.note, rect.rect, .loopLine")) {
        try { const b = n.getBBox(); bottom = Math.max(bottom, b.y + b.height); } catch (e) { /* not rendered */ }
      }
      if (bottom > 0) for (const l of lifelines) l.setAttribute("y2", String(Math.ceil(bottom + 10)));
    }
    // A participant's name lines 1.2 em apart, not Mermaid's 1.0 (each line a text of its
    // own, one tspan dy from the shared centre): an underscore touched the capitals under it,
    // "send‾status()" (review 49). As far as the participant's box leaves 3 px above and below.
    const names = new Map();
    for (const t of el.querySelectorAll("text.actor-box")) {
      const span = t.querySelector("tspan[dy]");
      if (!span) continue;
      const key = `${t.getAttribute("x")},${t.getAttribute("y")}`;
      if (!names.has(key)) names.set(key, []);
      names.get(key).push({ t, span, dy: Number(span.getAttribute("dy")) });
    }
    for (const lines of names.values()) {
      if (lines.length < 2) continue;
      const size = parseFloat(getComputedStyle(lines[0].t).fontSize) || 16;
      const box = lines[0].t.parentNode.querySelector("rect.actor");
      const span = Math.max(...lines.map((l) => Math.abs(l.dy)));  // the outer lines' offset
      let k = 1.2;
      if (box && span > 0) {
        const half = Number(box.getAttribute("height")) / 2 - 3 - 0.6 * size;  // room for the outer baselines
        k = Math.max(1, Math.min(k, half / span));
      }
      if (k > 1) for (const l of lines) l.span.setAttribute("dy", String(Math.round(l.dy * k * 100) / 100));
    }
    // Texts off the activation bars: Mermaid centres a self-message's label on its lifeline
    // and a guard in its frame, then draws the bars over both (crd-connection's step 12 and
    // its par guard were cut by two bars). A label's lines (same x, one under the other)
    // move together, by the smallest shift that clears every bar and frame side and stays
    // on the canvas (a message's to the right first); a label with no such shift stays.
    const bars = Array.from(el.querySelectorAll('rect[class^="activation"]')).map((r) => r.getBBox());
    if (bars.length) {
      const sides = Array.from(el.querySelectorAll("line.loopLine")).map((l) => l.getBBox()).filter((b) => b.width < 1);
      const walls = bars.concat(sides);
      const groups = [];
      for (const t of el.querySelectorAll("text.messageText, text.loopText, text.sectionTitle")) {
        const b = t.getBBox();
        if (!b.width || !b.height) continue;
        const g = groups[groups.length - 1];
        if (g && g.x === t.getAttribute("x") && g.cls === t.getAttribute("class") && b.y - g.bottom < 0.6 * b.height) {
          g.items.push(t); g.boxes.push(b); g.bottom = b.y + b.height;
        } else groups.push({ x: t.getAttribute("x"), cls: t.getAttribute("class"), items: [t], boxes: [b], bottom: b.y + b.height });
      }
      const vb = el.viewBox.baseVal;
      const hits = (boxes, dx, rects) => rects.some((r) => boxes.some((b) => b.x + dx < r.x + r.width + 3
        && b.x + b.width + dx > r.x - 3 && b.y < r.y + r.height && b.y + b.height > r.y));
      for (const g of groups) {
        if (!hits(g.boxes, 0, bars)) continue;
        const shifts = [];
        for (const r of walls) for (const b of g.boxes) shifts.push(r.x + r.width + 4 - b.x, r.x - 4 - b.x - b.width);
        // a message over a bar is a self-message (its loop is drawn right of the lifeline):
        // right first; a guard either way
        const rightFirst = g.cls === "messageText";
        shifts.sort((a, b) => (rightFirst && (a < 0) - (b < 0)) || Math.abs(a) - Math.abs(b) || b - a);
        const dx = shifts.find((d) => !hits(g.boxes, d, walls)
          && g.boxes.every((b) => b.x + d >= vb.x && b.x + b.width + d <= vb.x + vb.width));
        if (dx === undefined) continue;
        for (const t of g.items) {
          for (const n of [t, ...t.querySelectorAll("tspan[x]")]) {
            if (n.hasAttribute("x")) n.setAttribute("x", String(Number(n.getAttribute("x")) + dx));
          }
        }
      }
    }
    // Sequence message and fragment-guard texts on patches, as flowchart edge labels are:
    // lifelines and box borders ran through them. One layer (a patch drawn after a line of
    // text would cut that line's descenders), right above the boxes, heads and lifelines and
    // under everything Mermaid draws after them: activation bars (hidden, one held request
    // read as several), notes, fragment frames, texts and arrows all stay whole.
    const seqTexts = Array.from(el.querySelectorAll("text.messageText, text.loopText, text.sectionTitle"));
    if (seqTexts.length && seqTexts.every((t) => t.parentNode === el || !t.parentNode.getAttribute("transform"))) {
      const layer = document.createElementNS("http://www.w3.org/2000/svg", "g");
      layer.setAttribute("class", "lablinkTextPatches");
      // a patch takes the colours under it (white, and a box's fill where it crosses a box),
      // so it shows only where a line passes
      const boxes = Array.from(el.querySelectorAll("rect.rect")).map((r) => ({ b: r.getBBox(), fill: r.getAttribute("fill") }));
      const patch = (x0, x1, y, h, fill) => {
        const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
        r.setAttribute("x", String(x0));
        r.setAttribute("y", String(y));
        r.setAttribute("width", String(x1 - x0));
        r.setAttribute("height", String(h));
        r.setAttribute("style", `fill:${fill};stroke:none`);
        layer.appendChild(r);
      };
      for (const t of seqTexts) {
        const b = t.getBBox();
        if (!b.width || !b.height) continue;
        const x0 = b.x - 2, x1 = b.x + b.width + 2, cy = b.y + b.height / 2;
        patch(x0, x1, b.y, b.height, "#ffffff");
        for (const o of boxes) {
          const a = Math.max(x0, o.b.x), z = Math.min(x1, o.b.x + o.b.width);
          if (o.fill && z > a && cy > o.b.y && cy < o.b.y + o.b.height) patch(a, z, b.y, b.height, o.fill);
        }
      }
      const first = el.querySelector('rect[class^="activation"], rect.note, line.loopLine, polygon.labelBox, '
        + 'text.labelText, text.loopText, text.sectionTitle, text.messageText, [class^="messageLine"]');
      first.parentNode.insertBefore(layer, first);
    }
    // A flowchart's edge labels in svg units, what they may not meet, and how one moves:
    // shared by the two label passes below. A label slides along its own edge, keeping its
    // offset from it, so it stays beside the line it names.
    const SPREAD = 36, CLEAR = 4, NODE_CLEAR = 10, STEP = 10, BEND = 12;  // STEP: the samples' spacing
    const labelKit = (el, sampled) => {
      const s = el.getScreenCTM().a || 1;  // screen px per svg unit
      const box = (r) => ({ l: r.left / s, t: r.top / s, r: r.right / s, b: r.bottom / s });
      const grow = (a, d) => ({ l: a.l - d, t: a.t - d, r: a.r + d, b: a.b + d });
      const shift = (a, dx, dy) => ({ l: a.l + dx, t: a.t + dy, r: a.r + dx, b: a.b + dy });
      const meet = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
      const holds = (a, b) => a.l <= b.l && a.t <= b.t && a.r >= b.r && a.b >= b.b;
      // overlapping, or sharing a band (rows or columns: by 30 % to count as one; by any
      // amount, within CLEAR, for a spot to count as apart: half a line's stagger reads as a slip)
      const asOne = (a, b, strict = false) => {
        const rows = Math.min(a.b, b.b) - Math.max(a.t, b.t), cols = Math.min(a.r, b.r) - Math.max(a.l, b.l);
        if (rows > 0 && cols > 0) return true;
        const share = (x, y) => (strict ? x > -CLEAR : x > 0.3 * y);
        return (share(rows, Math.min(a.b - a.t, b.b - b.t)) && -cols < SPREAD)
          || (share(cols, Math.min(a.r - a.l, b.r - b.l)) && -rows < SPREAD / 2);
      };
      const pathPoints = (p) => sampled(p).map((q) => ({ x: q.x / s, y: q.y / s }));
      const labels = [];
      for (const g of el.querySelectorAll("g.edgeLabel")) {
        const inner = g.querySelector("g.label[data-id]"), r = g.getBoundingClientRect();
        const m = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(g.getAttribute("transform") || "");
        if (!inner || !m || r.width < 2 || r.height < 2) continue;
        labels.push({ g, m, box: box(r), id: inner.getAttribute("data-id") });
      }
      const paths = new Map(Array.from(el.querySelectorAll("path.flowchart-link")).map((p) => [p.getAttribute("data-id"), p]));
      let nodes, frames, titles;
      const obstacles = () => {  // read once, when a pass first needs them
        if (nodes) return;
        nodes = Array.from(el.querySelectorAll("g.node")).map((n) => box(n.getBoundingClientRect()));
        frames = Array.from(el.querySelectorAll("g.cluster > rect")).map((f) => box(f.getBoundingClientRect()));
        titles = Array.from(el.querySelectorAll("g.cluster > g.cluster-label")).map((t) => box(t.getBoundingClientRect()));
      };
      const pointsOf = (L) => {
        if (!L.points) { const path = paths.get(L.id); L.points = path ? pathPoints(path) : []; }
        return L.points;
      };
      // may L stand at box a? clear of nodes, frame titles and other labels (`other` excepted),
      // sharing a band with no label it did not share one with (`asOne`), and on the same side
      // of every frame border
      const placeable = (L, a, other = null) => {
        obstacles();
        const near = grow(a, CLEAR);
        if (nodes.some((n) => meet(grow(a, NODE_CLEAR), n)) || titles.some((t) => meet(near, t))) return false;
        if (labels.some((o) => o !== L && o !== other && (meet(grow(a, 2 * CLEAR), o.box)
          || asOne(a, o.box, true) && !asOne(L.box, o.box, true)))) return false;
        return !frames.some((f) => meet(near, f) && !holds(f, near)) && !frames.some((f) => holds(f, L.box) !== holds(f, a));
      };
      // how near a box comes to a rounded bend of L's own edge (ELK's; dagre's curves have
      // none): a label at a bend reads as the end of one line and the start of another
      // (blind review 68: cicd's "2. OIDC (test leg)", slid to its edge's corner, the line on
      // from the corner running under it like an underline)
      const bendGap = (L, a) => {
        if (!L.bends) {
          const path = paths.get(L.id), ctm = path && path.getScreenCTM();
          L.bends = !ctm ? [] : [...(path.getAttribute("d") || "").matchAll(/Q\s*(-?[\d.e]+)[ ,]+(-?[\d.e]+)/g)]
            .map(([, x, y]) => new DOMPoint(Number(x), Number(y)).matrixTransform(ctm)).map((q) => ({ x: q.x / s, y: q.y / s }));
        }
        return Math.min(Infinity, ...L.bends.map((q) => Math.max(a.l - q.x, q.x - a.r, a.t - q.y, q.y - a.b, 0)));
      };
      // the nearest slide of L along its edge to a box where ok(box) holds, or null; never
      // within 16 units of the edge's ends, nor nearer a bend of it than BEND (or than it was)
      const slide = (L, ok) => {
        const c = { x: (L.box.l + L.box.r) / 2, y: (L.box.t + L.box.b) / 2 }, pts = pointsOf(L);
        if (pts.length < 2) return null;
        const bend = Math.min(BEND, bendGap(L, L.box));
        let k0 = 0;
        pts.forEach((q, k) => { if (Math.hypot(q.x - c.x, q.y - c.y) < Math.hypot(pts[k0].x - c.x, pts[k0].y - c.y)) k0 = k; });
        const ends = Math.ceil(16 / STEP);
        for (let d = 1; d < pts.length; d++) {
          for (const k of [k0 - d, k0 + d]) {
            if (k < ends || k >= pts.length - ends) continue;
            const dx = pts[k].x - pts[k0].x, dy = pts[k].y - pts[k0].y;
            const a = shift(L.box, dx, dy);
            if (bendGap(L, a) >= bend && ok(a)) return { dx, dy, d };
          }
        }
        return null;
      };
      const move = (L, dx, dy) => {
        const sx = Number(L.m[1]) + dx * s / (L.g.parentNode.getScreenCTM().a || 1);
        const sy = Number(L.m[2]) + dy * s / (L.g.parentNode.getScreenCTM().d || 1);
        L.g.setAttribute("transform", `translate(${sx}, ${sy})`);
        L.m = [null, String(sx), String(sy)];
        L.box = shift(L.box, dx, dy);
      };
      return { s, box, grow, shift, meet, asOne, labels, pointsOf, placeable, slide, move };
    };
    // Edge labels that read as one: dagre and ELK keep two labels of neighbouring edges
    // only ~20 units apart, side by side on one band (21 pairs in the suite, e.g.
    // vm-provisioning's "3. describe_instance_types" and "8. upload_to_s3(tfvars)"), and a
    // reader joins them into one line (review 24). One of the two slides along its own edge,
    // keeping its offset from it, to the nearest spot where the pair no longer shares a band
    // within SPREAD units, clear of nodes, frame titles and other labels, no nearer other
    // edges (within EDGE_CLEAR: review 26 found one wedged in another edge's corner), and on
    // the same side of every frame border; the smaller slide of the two wins, else both stay.
    const spreadLabels = (kit) => {
      const EDGE_CLEAR = 10, BESIDE = 4;
      const { grow, shift, asOne, labels, pointsOf, placeable, slide, move } = kit;
      // boxes first: most figures have no such pair, and sampling the paths is the cost
      if (!labels.some((A, i) => labels.some((B, j) => j > i && asOne(A.box, B.box)))) return;
      labels.forEach(pointsOf);
      const through = (a, skip) => labels.reduce((n, o) => n + (o === skip ? 0
        : o.points.filter((q) => q.x > a.l && q.x < a.r && q.y > a.t && q.y < a.b).length), 0);
      // may label L move to box a, with `other` where it will be?
      const fits = (L, a, other) => !asOne(a, other.box, true) && placeable(L, a, other)
        && through(grow(a, EDGE_CLEAR), L) <= through(grow(L.box, EDGE_CLEAR), L);  // no nearer other edges
      const slides = (L, other) => slide(L, (a) => fits(L, a, other));
      // Two labels on a band with no clear slide (the edges too short: crd-connection's
      // "13. HTTP 200 {pin, command}" and "1. POST /vm_startup {hostname}", review 49): each
      // steps off its edge to the far side of it from the other, BESIDE units clear, as DOT
      // sets its labels, so both edges run between the two. Where the edge runs in the label's
      // band gives the step; both must fit, else both stay.
      const besides = (A, B) => {
        const [P, Q] = (A.box.l + A.box.r) / 2 <= (B.box.l + B.box.r) / 2 ? [A, B] : [B, A];
        const band = (L) => L.points.filter((q) => q.y >= L.box.t && q.y <= L.box.b).map((q) => q.x);
        const xp = band(P), xq = band(Q);
        if (!xp.length || !xq.length || Math.min(...xp) >= Math.max(...xq)) return null;  // no band, or edges crossed
        const p = shift(P.box, Math.min(...xp) - BESIDE - P.box.r, 0), q = shift(Q.box, Math.max(...xq) + BESIDE - Q.box.l, 0);
        if (p.r > P.box.r + 0.5 || q.l < Q.box.l - 0.5) return null;  // a step toward the other: no better
        return fits(P, p, { box: q }) && fits(Q, q, { box: p }) ? [[P, p.l - P.box.l], [Q, q.l - Q.box.l]] : null;
      };
      for (const A of labels) {
        for (const B of labels) {
          if (A === B || !asOne(A.box, B.box)) continue;
          const options = [[A, slides(A, B)], [B, slides(B, A)]].filter(([, o]) => o);
          if (options.length) {
            const [L, o] = options.reduce((x, y) => (y[1].d < x[1].d ? y : x));
            move(L, o.dx, o.dy);
          } else {
            for (const [L, dx] of besides(A, B) || []) move(L, dx, 0);
          }
        }
      }
    };
    // a flowchart edge sampled every 10 units, in screen pixels, once and only when asked:
    // the label spread and the title placement below read these (getPointAtLength is the
    // cost: every 4 units cost 0.45 s a suite)
    const samples = new Map();
    const sampled = (edge) => {
      let pts = samples.get(edge);
      if (!pts) {
        const len = edge.getTotalLength(), ctm = edge.getScreenCTM();
        pts = [];
        for (let at = 0; at <= len; at += 10) pts.push(edge.getPointAtLength(at).matrixTransform(ctm));
        samples.set(edge, pts);
      }
      return pts;
    };
    const links = Array.from(el.querySelectorAll("path.flowchart-link")).map((p) => ({ p, b: p.getBoundingClientRect() }));
    // the points of every edge whose box meets the region (no other edge has one there)
    const pointsIn = (r) => links.filter(({ b }) => b.left - 1 < r.right && b.right + 1 > r.left && b.top - 1 < r.bottom
      && b.bottom + 1 > r.top).flatMap(({ p }) => sampled(p));
    // An edge label over another edge: its patch hides that edge there, so the edge seems cut
    // or to end at the label (review 66: data-collection's "10. rsync writes" over the tip of
    // edge 4). The label slides to the nearest spot along its own edge where no other edge
    // passes within CLEAR units and the spread's rules hold; with no such spot it stays.
    const uncoverLabels = (kit) => {
      const { s, box, grow, meet, labels, placeable, slide, move } = kit;
      // does a segment from u to v meet box g? (clipped to its x span, then its y span)
      const crosses = (u, v, g) => {
        let t0 = 0, t1 = 1;
        for (const [p, q, lo, hi] of [[u.x, v.x, g.l, g.r], [u.y, v.y, g.t, g.b]]) {
          if (Math.abs(q - p) < 1e-9) { if (p <= lo || p >= hi) return false; continue; }
          const a = (lo - p) / (q - p), b = (hi - p) / (q - p);
          t0 = Math.max(t0, Math.min(a, b)); t1 = Math.min(t1, Math.max(a, b));
          if (t0 >= t1) return false;
        }
        return true;
      };
      // does an edge other than L's pass within d units of box a (d < 0: inside it by -d)? Its
      // samples' segments, not the samples alone: 10 units apart, they stepped over a box's
      // corner (data-collection's 6/8/9 was cut 4 units by the corner of "11. zip every")
      const passes = (L, a, d) => {
        const g = grow(a, d);
        return links.some(({ p, b }) => {
          if (p.getAttribute("data-id") === L.id || !meet(g, box(b))) return false;
          const q = sampled(p).map((v) => ({ x: v.x / s, y: v.y / s }));
          return q.some((u, i) => i > 0 && crosses(q[i - 1], u, g));
        });
      };
      for (const L of labels) {
        if (!passes(L, L.box, -1)) continue;
        const o = slide(L, (a) => !passes(L, a, CLEAR) && placeable(L, a));
        if (o) move(L, o.dx, o.dy);
      }
    };
    if (flowchart) {
      const kit = labelKit(el, sampled);
      spreadLabels(kit);
      uncoverLabels(kit);
    }
    // An edge label's patch (it hides the lines under its words) in the fill of the innermost
    // frame that holds the whole label, not white: white boxes on tinted frames read as
    // stickers (review 29). A label across a border keeps the fill of the frame around both.
    if (flowchart) {
      const frames = Array.from(el.querySelectorAll("g.cluster > rect")).map((f) => ({ b: f.getBoundingClientRect(), f }));
      for (const g of el.querySelectorAll("g.edgeLabel")) {
        const r = g.getBoundingClientRect();
        if (r.width < 2 || r.height < 2) continue;
        const inner = frames.filter(({ b }) => b.left <= r.left && b.top <= r.top && b.right >= r.right && b.bottom >= r.bottom)
          .sort((a, z) => a.b.width * a.b.height - z.b.width * z.b.height)[0];
        const fill = inner && getComputedStyle(inner.f).fill;
        if (!fill || fill === "none") continue;
        for (const n of g.querySelectorAll(".labelBkg, .edgeLabel, p")) n.style.setProperty("background-color", fill, "important");
      }
    }
    // Frame titles at the top left, as DOT draws them: centred, they sat where edges enter a
    // frame, so arrows ran through them. Where an edge still runs through the title at the
    // left, it goes to the right end or the middle if no edge crosses it there (paths sampled
    // every 10 units: a title band is over 40 tall; every 4 cost 0.45 s a suite), or else to
    // the free spot nearest the left; otherwise it stays left (a title moved and still struck
    // only looks out of line with the others).
    const NS = "http://www.w3.org/2000/svg";
    // The ink of each glyph of an HTML label, in screen px, grown by `pad`: where the text
    // box of a character is (a Range), its baseline (the box's top plus the font's ascent),
    // and the glyph's extent from its origin (canvas metrics of the same font).
    const glyphInk = (container, pad) => {
      const ctx = document.createElement("canvas").getContext("2d"), range = document.createRange(), out = [];
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const cs = getComputedStyle(n.parentElement);
        ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = n.textContent;
        for (let i = 0; i < text.length; i++) {
          const cp = text.codePointAt(i), ch = String.fromCodePoint(cp), k = ch.length;
          if (!/\s/.test(ch)) {
            range.setStart(n, i);
            range.setEnd(n, i + k);
            const box = range.getBoundingClientRect(), m = ctx.measureText(ch);
            const em = m.fontBoundingBoxAscent + m.fontBoundingBoxDescent;
            if (box.width > 0 && box.height > 0 && em > 0) {
              const s = box.height / em, base = box.top + m.fontBoundingBoxAscent * s;
              out.push({ l: box.left - m.actualBoundingBoxLeft * s - pad, r: box.left + m.actualBoundingBoxRight * s + pad,
                t: base - m.actualBoundingBoxAscent * s - pad, b: base + m.actualBoundingBoxDescent * s + pad });
            }
          }
          i += k - 1;
        }
      }
      return out;
    };
    // A compact figure's key (mermaid_key.py): drawn alone, then set where the figure prints
    // largest in the preset's print area, as key_spot.py chooses for DOT and PlantUML: a free
    // corner of the drawing (under the title band, 18 units clear of nodes, frames, labels and
    // edges), else right of it, else under it. Returns the place's name.
    const placeKey = async (el, title, frame) => {
      const { svg: keySvg } = await mermaid.render(svgId + "-key", keySource);
      const holder = document.createElement("div");
      holder.innerHTML = keySvg;
      document.body.appendChild(holder);
      const node = holder.querySelector("g.node");
      if (!node) { holder.remove(); return null; }
      const kb = node.getBBox(), w = kb.width, h = kb.height, GAP = 18;
      const toSvg = el.getScreenCTM().inverse();
      const box = (r) => {
        const a = new DOMPoint(r.left, r.top).matrixTransform(toSvg), z = new DOMPoint(r.right, r.bottom).matrixTransform(toSvg);
        return [a.x, a.y, z.x, z.y];
      };
      const obstacles = [];
      for (const n of el.querySelectorAll("g.node, g.cluster > rect, g.edgeLabel, g.lablinkLifted")) {
        const r = n.getBoundingClientRect();
        if (r.width > 1 && r.height > 1) obstacles.push(box(r));
      }
      for (const p of el.querySelectorAll("path.flowchart-link")) {
        const len = p.getTotalLength(), m = p.getScreenCTM();
        for (let at = 0; at <= len; at += 10) {
          const q = new DOMPoint(p.getPointAtLength(at).x, p.getPointAtLength(at).y).matrixTransform(m).matrixTransform(toSvg);
          obstacles.push([q.x - 1, q.y - 1, q.x + 1, q.y + 1]);
        }
      }
      const heads = [title, el.querySelector("text.lablinkCaption")].filter(Boolean).map((t) => box(t.getBoundingClientRect()));
      // corners of the drawing itself, not of a title wider than it (crd-connection's key went
      // under the title's right end, 1.2 in from the drawing); outside it, 48 units off (at
      // 18 a key under a frame read as part of it: review 48)
      const gx1 = Math.min(...obstacles.map((b) => b[0])), gx2 = Math.max(...obstacles.map((b) => b[2])), OUT = 48;
      const all = obstacles.concat(heads);
      const x1 = Math.min(...all.map((b) => b[0])), y1 = Math.min(...all.map((b) => b[1]));
      const x2 = Math.max(...all.map((b) => b[2])), y2 = Math.max(...all.map((b) => b[3]));
      const top = heads.length ? Math.max(...heads.map((b) => b[3])) : y1;
      if (heads.length) obstacles.push([x1, y1, x2, top - 1]);
      const free = (b) => !obstacles.some((o) => o[0] <= b[2] + GAP && o[2] >= b[0] - GAP && o[1] <= b[3] + GAP && o[3] >= b[1] - GAP);
      const aw = frame.area[0] * 96, ah = frame.area[1] * 96, pad = frame.captionPx;
      const spots = [
        ["top right", [gx2 - w, top + GAP, gx2, top + GAP + h]], ["bottom right", [gx2 - w, y2 - h, gx2, y2]],
        ["top left", [gx1, top + GAP, gx1 + w, top + GAP + h]], ["bottom left", [gx1, y2 - h, gx1 + w, y2]],
        ["right", [gx2 + OUT, top + GAP, gx2 + OUT + w, top + GAP + h]], ["below", [(gx1 + gx2 - w) / 2, y2 + OUT, (gx1 + gx2 + w) / 2, y2 + OUT + h]],
      ];
      let best = null;
      spots.forEach(([name, b], i) => {
        if (i < 4 && (b[0] < gx1 || b[3] > y2 || !free(b))) return;
        const g = [Math.min(x1, b[0]), Math.min(y1, b[1]), Math.max(x2, b[2]), Math.max(y2, b[3])];
        const scale = Math.min(aw / (g[2] - g[0] + 2 * pad), ah / (g[3] - g[1] + 2 * pad), 1);
        const key = [Math.round(scale * 1e4), -Math.round((g[2] - g[0]) * (g[3] - g[1]))];
        if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && key[1] > best.key[1])) best = { key, name, b };
      });
      node.setAttribute("transform", `translate(${best.b[0] - kb.x}, ${best.b[1] - kb.y})`);
      el.appendChild(node);
      holder.remove();
      return { name: best.name, left: Math.min(gx1, best.b[0]), right: Math.max(gx2, best.b[2]) };
    };
    let titleCrossings = 0;
    const struck = [];
    for (const cl of el.querySelectorAll("g.cluster")) {
      const rect = cl.querySelector(":scope > rect"), lab = cl.querySelector(":scope > g.cluster-label");
      const m = lab && /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(lab.getAttribute("transform") || "");
      if (!rect || !m) continue;
      const x = Number(rect.getAttribute("x")), lw = lab.getBBox().width;
      const room = Number(rect.getAttribute("width")) - lw;  // never past the right border
      const pad = Math.max(0, Math.min(8, room / 2));
      let best = null;
      const spots = [x + pad, x + room - pad, x + room / 2].map((cand) => {
        lab.setAttribute("transform", `translate(${cand}, ${m[2]})`);
        return { cand, b: lab.getBoundingClientRect() };
      });
      // 8 units around the title: a path ends where its arrowhead begins, a few units short of
      // the node. In screen px that is 8 * s: the page draws a big figure small (main at
      // 0.2 px a unit), and 8 screen px had been 40 units there, so no spot was ever free
      const M = 12 * (el.getScreenCTM().a || 1);
      const edgePoints = pointsIn({ left: Math.min(...spots.map(({ b }) => b.left)) - M, right: Math.max(...spots.map(({ b }) => b.right)) + M,
        top: Math.min(...spots.map(({ b }) => b.top)) - M, bottom: Math.max(...spots.map(({ b }) => b.bottom)) + M });
      for (const { cand, b } of spots) {
        const hits = edgePoints.filter((q) => q.x > b.left - M && q.x < b.right + M && q.y > b.top - M && q.y < b.bottom + M).length;
        if (!best) best = { cand, hits };  // the top left, unless another place is free
        else if (!hits) best = { cand, hits };
        if (!hits) break;
      }
      if (best.hits) {
        // struck at all three: the free spot of the band nearest its left end, if there is one
        // (network-flow's "Allocator EC2"); the same points, the left spot's box shifted
        const s = el.getScreenCTM().a || 1, b0 = spots[0].b;
        for (let cand = x + pad + 5; cand < x + room - pad; cand += 5) {
          const dx = (cand - spots[0].cand) * s, l = b0.left + dx - M, r = b0.right + dx + M;
          if (!edgePoints.some((q) => q.x > l && q.x < r && q.y > b0.top - M && q.y < b0.bottom + M)) {
            best = { cand, hits: 0 };
            break;
          }
        }
      }
      lab.setAttribute("transform", `translate(${best.cand}, ${m[2]})`);
      if (best.hits) struck.push({ rect, lab });
    }
    // A title struck wherever it stands is lifted over the edges with a halo, unless an
    // arrow ends in its words.
    const tips = [];
    for (const edge of el.querySelectorAll("path.flowchart-link")) {
      const len = edge.getTotalLength(), ctm = edge.getScreenCTM();
      if (edge.getAttribute("marker-end")) tips.push(edge.getPointAtLength(len).matrixTransform(ctm));
      if (edge.getAttribute("marker-start")) tips.push(edge.getPointAtLength(0).matrixTransform(ctm));
    }
    let lifted = null;
    const toSvg = el.getScreenCTM().inverse();
    for (const { rect, lab } of struck) {
      // the words' band in the svg's units: a frame title is one line at line-height 1.5,
      // its glyphs the middle 1.2 em of it
      const mtx = toSvg.multiply(lab.getScreenCTM()), bb = lab.getBBox();
      const em = bb.height / 1.5, cy = bb.y + bb.height / 2;
      const x1 = mtx.a * bb.x + mtx.e, x2 = mtx.a * (bb.x + bb.width) + mtx.e;
      const y1 = mtx.d * (cy - 0.6 * em) + mtx.f, y2 = mtx.d * (cy + 0.6 * em) + mtx.f;
      // a head is centred on its path's end (refX at half its length): an end in the words
      // puts a head in them, which no halo mends
      if (tips.some((q) => { const p = q.matrixTransform(toSvg); return p.x > x1 && p.x < x2 && p.y > y1 - 1 && p.y < y2 + 1; })) {
        titleCrossings += 1;
        continue;
      }
      if (!lifted) {
        lifted = document.createElementNS(NS, "g");
        lifted.setAttribute("class", "lablinkLifted");
        el.appendChild(lifted);
      }
      // over the edges, on one patch of the frame's fill 2 units round its ink, as DOT's and
      // PlantUML's: the edges pass under the words (with a halo they showed between the
      // letters and read as striking them, review 49). Where an edge runs along the title
      // (over twice its height of it under the title), each glyph gets its own patch instead:
      // under one patch that edge seemed to end at the frame (review 21, main). Not a stroke
      // round the text: Chromium's PDF writes stroked text as Type 3 glyphs, which journals'
      // PDF checks refuse.
      const fill = getComputedStyle(rect).fill;
      let ink = glyphInk(lab, 2 * (el.getScreenCTM().a || 1));
      if (ink.length) {
        const all = { l: Math.min(...ink.map((g) => g.l)), t: Math.min(...ink.map((g) => g.t)),
          r: Math.max(...ink.map((g) => g.r)), b: Math.max(...ink.map((g) => g.b)) };
        const step = 10 * (el.getScreenCTM().a || 1);  // the samples' spacing, screen px
        const along = links.some(({ p, b }) => b.left < all.r && b.right > all.l && b.top < all.b && b.bottom > all.t
          && sampled(p).filter((q) => q.x > all.l && q.x < all.r && q.y > all.t && q.y < all.b).length * step > 2 * (all.b - all.t));
        if (!along) ink = [all];
      }
      for (const g of ink) {
        const a = new DOMPoint(g.l, g.t).matrixTransform(toSvg), z = new DOMPoint(g.r, g.b).matrixTransform(toSvg);
        const r = document.createElementNS(NS, "rect");
        r.setAttribute("x", a.x.toFixed(2));
        r.setAttribute("y", a.y.toFixed(2));
        r.setAttribute("width", (z.x - a.x).toFixed(2));
        r.setAttribute("height", (z.y - a.y).toFixed(2));
        r.setAttribute("style", `fill:${fill};stroke:none`);
        lifted.append(r);
      }
      lab.setAttribute("transform", `matrix(${mtx.a},${mtx.b},${mtx.c},${mtx.d},${mtx.e},${mtx.f})`);
      lifted.append(lab);  // its span carries its own colour; font and size come from the svg
    }
    // Title and commit line as DOT and PlantUML draw them: the title at the preset's
    // title size (sequence and ER titles have no class the theme CSS can size), the
    // diagram's accDescr (the commit line; screen readers get it too) under it in grey.
    // Untitled (--no-title: the caption carries it), the key is still set apart and the view box fitted.
    const title = frame && !frame.titled ? null : el.querySelector("text.flowchartTitleText, text.erDiagramTitleText")
      || Array.from(el.querySelectorAll(":scope > text")).find((t) => Number(t.getAttribute("y")) < 0);
    if (title && frame) {
      title.setAttribute("text-anchor", "middle");
      title.style.fontSize = `${frame.titlePx}px`;
      title.style.fontWeight = "normal";
      title.style.fill = "#1a1a1a";
      const desc = el.querySelector(":scope > desc");
      const caption = desc ? desc.textContent.trim() : "";
      if (caption) {
        const y = Number(title.getAttribute("y"));
        title.setAttribute("y", String(y - frame.captionPx * 1.5));
        const t = document.createElementNS(NS, "text");
        t.textContent = caption;
        t.setAttribute("x", title.getAttribute("x"));
        t.setAttribute("y", String(y));
        t.setAttribute("text-anchor", "middle");
        t.setAttribute("class", "lablinkCaption");
        t.setAttribute("style", `font-size:${frame.captionPx}px;fill:#666666;font-family:${getComputedStyle(title).fontFamily.replace(/"/g, "'")}`);
        title.after(t);
      }
    }
    if (frame && (title || !frame.titled)) {
      const keyed = keySource ? await placeKey(el, title, frame) : null;
      if (keyed) {  // the title centred over the drawing and its key, the view box made anew round all
        for (const t of [title, el.querySelector("text.lablinkCaption")]) if (t) t.setAttribute("x", String((keyed.left + keyed.right) / 2));
        el.setAttribute("viewBox", "0 0 0 0");
      }
      // the view box grows to hold whatever now lies outside it (a title wider than the drawing, a key)
      const vb0 = el.viewBox.baseVal, bb = el.getBBox(), pad = frame.captionPx;
      const x0 = keyed ? bb.x - pad : Math.min(vb0.x, bb.x - pad), y0 = keyed ? bb.y - pad : Math.min(vb0.y, bb.y - pad);
      const x1 = Math.max(keyed ? -Infinity : vb0.x + vb0.width, bb.x + bb.width + pad);
      const y1 = Math.max(keyed ? -Infinity : vb0.y + vb0.height, bb.y + bb.height + pad);
      el.setAttribute("viewBox", `${x0} ${y0} ${x1 - x0} ${y1 - y0}`);
      if (el.style.maxWidth) el.style.maxWidth = `${x1 - x0}px`;
    }
    const vb = el.viewBox && el.viewBox.baseVal;
    let w = vb && vb.width, h = vb && vb.height;
    if (!w || !h) { const b = el.getBoundingClientRect(); w = b.width; h = b.height; }
    const text = new XMLSerializer().serializeToString(el);
    return { w, h, text, crossings, titleCrossings, flowchart, overlapping, detour, backDetour, raw };
  }, { source: job.source, keySource: job.keySource || null, config, svgId: job.svgId, frame: job.frame || null, probe, back: job.back || [] });
}

async function outputs(page, job, r) {
  if (r.error) return { id: job.id, ok: false, error: r.error };
  const w = Math.ceil(r.w), h = Math.ceil(r.h);
  const outputs = [];
  let sized = false;
  for (const o of job.outputs) {
    if (o.fmt === "svg") {
      outputs.push({ data: Buffer.from(r.text, "utf8").toString("base64") });
      continue;
    }
    if (o.fmt !== "pdf") throw new Error(`unsupported format ${o.fmt}`);
    if (!sized) {  // fix the svg to its natural size for print output; the paper is that
      // size too (page.pdf below), so the screen viewport stays as it is
      await page.evaluate(({ w, h }) => {
        const el = document.querySelector("#c svg");
        el.removeAttribute("style");
        el.style.backgroundColor = "white";
        el.style.display = "block";
        el.setAttribute("width", String(w));
        el.setAttribute("height", String(h));
      }, { w, h });
      sized = true;
    }
    const pdf = await page.pdf({
      width: `${w}px`, height: `${h}px`, printBackground: true, pageRanges: "1",
      margin: { top: 0, right: 0, bottom: 0, left: 0 },
    });
    outputs.push({ data: Buffer.from(pdf).toString("base64") });
  }
  return { id: job.id, ok: true, width: w, height: h, outputs, layout: r.layout || "",
           titleCrossings: r.titleCrossings || 0 };
}

main().catch((e) => {
  process.stderr.write("mermaid worker: " + String((e && e.stack) || e) + "\n");
  process.exit(3);
});
