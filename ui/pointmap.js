// embedlab point map: every point of a large 2-D map, rasterised in JavaScript into one image a frame (each
// pixel: the mean colour of its points, opacity by log count, so overlaps read as density), contour lines of
// the density, region names that refine with zoom, hover, click, box and lasso selection sent back to
// Python, and a flight to highlighted words. Served inline by ui/pointmap.py (Streamlit components v2): no
// network, no fonts, no build step, no WebGL (which a machine without a GPU emulates at ~0.8 µs a point,
// against ~0.02 µs a point here: benchmarks/bench_map_renderers.py).
//
// The payload (embedlab/plots/pointmap.py writes it) is bytes: "EMBM", a u32 header length, a JSON header,
// padding to 8, then the arrays the header lists as [dtype, offset from the end of the padding, count].
// A header without arrays names data the browser already holds (DATA, by key).
// User text (words, category and region names) is only ever set as textContent or drawn with fillText.

const DATA = new Map(); // data key -> parsed arrays; the two most recent are kept
const MAPS = new Map(); // instance id -> map kept across reruns (its canvas keeps its WebGL context)
const TYPES = { f4: Float32Array, u1: Uint8Array, u4: Uint32Array };
const LEVEL_ZOOM = 2; // region level l is the active one from zoom 2 ** l (each level splits regions in 4)
const CELL = 4; // px per density cell
const WORDS_IN_VIEW = 300; // with at most this many points in view, each point's word is written beside it
const dec = new TextDecoder();

function readPayload(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== 0x4d424d45) throw new Error("not an embedlab point-map payload");
  const length = view.getUint32(4, true);
  const header = JSON.parse(dec.decode(bytes.subarray(8, 8 + length)));
  const start = Math.ceil((8 + length) / 8) * 8;
  const arrays = {};
  for (const [name, [dtype, offset, count]] of Object.entries(header.arrays || {})) {
    const Ctor = TYPES[dtype];
    const a = start + offset;
    arrays[name] = new Ctor(bytes.slice(a, a + count * Ctor.BYTES_PER_ELEMENT).buffer);
  }
  return { header, arrays };
}

function buildGrid(d) {
  // points bucketed into a G x G grid over the bounds (counting sort): hover, clicks, density in view
  const [x0, x1, y0, y1] = d.bounds;
  const G = Math.max(16, Math.min(1024, Math.ceil(Math.sqrt(d.n / 6))));
  const cell = new Uint32Array(d.n), count = new Uint32Array(G * G + 1);
  const fx = G / Math.max(x1 - x0, 1e-12), fy = G / Math.max(y1 - y0, 1e-12);
  for (let i = 0; i < d.n; i++) {
    const cx = Math.min(G - 1, Math.max(0, Math.floor((d.xy[2 * i] - x0) * fx)));
    const cy = Math.min(G - 1, Math.max(0, Math.floor((d.xy[2 * i + 1] - y0) * fy)));
    cell[i] = cy * G + cx;
    count[cell[i] + 1]++;
  }
  for (let c = 0; c < G * G; c++) count[c + 1] += count[c];
  const order = new Uint32Array(d.n), fill = count.slice(0, G * G);
  for (let i = 0; i < d.n; i++) order[fill[cell[i]]++] = i;
  return { G, start: count, order, fx, fy };
}

function label(d, i) {
  return dec.decode(d.ltext.subarray(d.loff[i], d.loff[i + 1]));
}

function hexRGB(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255];
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

const CSS = `
.pm-root { font: 13px system-ui, sans-serif; color: #222; }
.pm-bar { display: flex; gap: 6px; align-items: center; margin: 0 0 6px 0; flex-wrap: wrap; }
.pm-bar button { font: inherit; padding: 2px 9px; border: 1px solid #ccc; border-radius: 6px; background: #fff;
  cursor: pointer; }
.pm-bar button.on { background: #e8f0fe; border-color: #4c78a8; }
.pm-status { color: #666; margin-left: auto; }
.pm-body { display: flex; gap: 8px; }
.pm-stage { position: relative; flex: 1; min-width: 0; border: 1px solid #eee; border-radius: 6px;
  overflow: hidden; background: #fff; touch-action: none; }
.pm-stage canvas { position: absolute; left: 0; top: 0; }
.pm-title { font-weight: 600; margin: 2px 0 6px 0; font-size: 15px; }
.pm-legend { width: 210px; max-height: 100%; overflow: auto; font-size: 12px; }
.pm-legend .t { font-weight: 600; margin-bottom: 4px; }
.pm-legend div.i { display: flex; gap: 6px; align-items: baseline; margin: 2px 0; }
.pm-legend span.s { width: 10px; height: 10px; border-radius: 50%; flex: none; display: inline-block; }
.pm-tip { position: absolute; pointer-events: none; background: rgba(255,255,255,.95); border: 1px solid #bbb;
  border-radius: 4px; padding: 3px 6px; white-space: pre; display: none; max-width: 420px; overflow: hidden;
  text-overflow: ellipsis; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
`;

class PointMap {
  constructor(id) {
    this.id = id;
    this.root = el("div", "pm-root");
    this.root.setAttribute("data-testid", "embedlab-pointmap");
    this.root.appendChild(el("style", null, CSS));
    this.title = this.root.appendChild(el("div", "pm-title"));
    const bar = this.root.appendChild(el("div", "pm-bar"));
    this.buttons = {};
    for (const [mode, text] of [["pan", "✥ Pan / zoom"], ["box", "▭ Box select"], ["lasso", "◌ Lasso select"]]) {
      const b = bar.appendChild(el("button", null, text));
      b.onclick = () => this.setMode(mode);
      this.buttons[mode] = b;
    }
    bar.appendChild(el("button", null, "✕ Clear selection")).onclick = () => this.select(null);
    bar.appendChild(el("button", null, "⟲ Reset view")).onclick = () => this.fly(this.home(), 300);
    this.status = bar.appendChild(el("span", "pm-status"));
    const body = this.root.appendChild(el("div", "pm-body"));
    this.stage = body.appendChild(el("div", "pm-stage"));
    this.legend = body.appendChild(el("div", "pm-legend"));
    this.canvas = this.stage.appendChild(el("canvas"));
    this.over = this.stage.appendChild(el("canvas"));
    this.tip = this.stage.appendChild(el("div", "pm-tip"));
    this.mode = "pan";
    this.setMode("pan");
    this.events();
    new ResizeObserver(() => this.resize()).observe(this.stage);
  }

  setMode(mode) {
    this.mode = mode;
    for (const [m, b] of Object.entries(this.buttons)) b.classList.toggle("on", m === mode);
    this.root.setAttribute("data-mode", mode);
    if (this.over) this.over.style.cursor = mode === "pan" ? "grab" : "crosshair";
  }

  update(d, h, setState) {
    this.setState = setState;
    this.h = h;
    const fresh = this.d !== d;
    this.d = d;
    this.title.textContent = h.title || "";
    this.stage.style.height = `${h.height || 620}px`;
    this.drawLegend();
    this.resize();
    if (fresh) {
      this.cam = this.home();
      this.density = null;
      this.visible = null;
      this.selection = null;
    }
    const focus = h.focus || {};
    if (focus.token && focus.token !== this.focusToken && focus.rows && focus.rows.length) {
      this.focusToken = focus.token;
      this.fly(this.around(focus.rows), fresh ? 0 : 700);
    }
    this.root.setAttribute("data-points", String(d.n));
    this.root.setAttribute("data-key", h.key);
  }

  drawLegend() {
    const h = this.h, lg = this.legend;
    lg.replaceChildren();
    const cats = h.categories || [];
    lg.style.display = cats.length ? "" : "none";
    if (!cats.length) return;
    lg.appendChild(el("div", "t", h.legend || ""));
    for (const c of cats) {
      const row = lg.appendChild(el("div", "i"));
      row.appendChild(el("span", "s")).style.background = c.color;
      row.appendChild(el("span", null, c.name));
    }
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(50, this.stage.clientWidth), hgt = Math.max(50, this.stage.clientHeight);
    if (w === this.W && hgt === this.H) return this.schedule();
    const home = this.d && this.cam ? this.home() : null, atHome = home && Math.abs(home.kx / this.cam.kx - 1) < 1e-6;
    this.W = w;
    this.H = hgt;
    for (const c of [this.canvas, this.over]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(hgt * dpr);
      c.style.width = `${w}px`;
      c.style.height = `${hgt}px`;
    }
    this.density = null;
    if (atHome) this.cam = this.home(); // a map not yet moved keeps filling its frame
    this.schedule();
  }

  home() {
    const [x0, x1, y0, y1] = this.d.bounds;
    const W = this.W || 800, H = this.H || 600;
    return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, kx: (x1 - x0 || 1) * 1.06 / W, ky: (y1 - y0 || 1) * 1.06 / H };
  }

  around(rows) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const r of rows) {
      const x = this.d.xy[2 * r], y = this.d.xy[2 * r + 1];
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    const home = this.home(), zoom = Math.min(40, Math.max(1, Math.min(
      home.kx * this.W / Math.max((x1 - x0) * 1.8, 1e-12), home.ky * this.H / Math.max((y1 - y0) * 1.8, 1e-12))));
    const z = rows.length === 1 ? 25 : zoom;
    return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, kx: home.kx / z, ky: home.ky / z };
  }

  fly(to, ms) {
    const from = { ...this.cam }, t0 = performance.now();
    const step = () => {
      const t = ms ? Math.min(1, (performance.now() - t0) / ms) : 1, e = t * t * (3 - 2 * t);
      const lerp = (a, b) => a + (b - a) * e, geo = (a, b) => a * Math.pow(b / a, e);
      this.cam = { cx: lerp(from.cx, to.cx), cy: lerp(from.cy, to.cy), kx: geo(from.kx, to.kx), ky: geo(from.ky, to.ky) };
      this.schedule();
      if (t < 1) requestAnimationFrame(step);
    };
    step();
  }

  zoom() { return this.home().kx / this.cam.kx; }
  toPx(x, y) { return [this.W / 2 + (x - this.cam.cx) / this.cam.kx, this.H / 2 - (y - this.cam.cy) / this.cam.ky]; }
  toData(px, py) { return [this.cam.cx + (px - this.W / 2) * this.cam.kx, this.cam.cy - (py - this.H / 2) * this.cam.ky]; }

  schedule() {
    if (!this.d || this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.frame(); });
  }

  frame() {
    const t0 = performance.now();
    this.drawPoints();
    this.drawOver();
    const ms = performance.now() - t0;
    this.root.setAttribute("data-frame-ms", ms.toFixed(1));
    this.root.setAttribute("data-zoom", this.zoom().toFixed(3));
    this.root.setAttribute("data-drawn", String(this.drawn));
    this.status.textContent = `${this.drawn.toLocaleString("en")} of ${this.d.n.toLocaleString("en")} points drawn · zoom ${this.zoom().toFixed(1)}×`;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.computeDensity(), 150);
    if (!this.root.hasAttribute("data-ready")) requestAnimationFrame(() => this.root.setAttribute("data-ready", this.h.key));
  }

  drawPoints() {
    // every point into a float buffer (r, g, b sums and a count per pixel; a disc of `size` px once zoomed in),
    // then one pass to RGBA: mean colour, opacity by log count relative to the fullest pixel in view
    const d = this.d, dpr = window.devicePixelRatio || 1, W = this.canvas.width, H = this.canvas.height;
    const z = this.zoom(), crowd = this.visible != null ? this.visible : d.n;
    let size = Math.round(Math.min(8, 1 + 1.2 * Math.log2(Math.max(1, z)) + (crowd < 20000 ? 2 : crowd < 100000 ? 1 : 0)) * dpr);
    if (crowd > 250000 && z < 2) size = Math.min(size, Math.round(dpr));
    const M = 8, W2 = W + 2 * M, H2 = H + 2 * M;
    if (!this.acc || this.acc.length !== W2 * H2 * 4) this.acc = new Float32Array(W2 * H2 * 4);
    const acc = this.acc;
    acc.fill(0);
    const offs = disc(size, W2), pal = this.palette(), code = d.code, xy = d.xy;
    const ax = dpr / this.cam.kx, bx = W / 2 - this.cam.cx * ax, ay = -dpr / this.cam.ky, by = H / 2 - this.cam.cy * ay;
    const lo = -M + size, hiX = W + M - size, hiY = H + M - size, half = size >> 1;
    let drawn = 0;
    for (let i = 0, n = d.n; i < n; i++) {
      const px = xy[2 * i] * ax + bx, py = xy[2 * i + 1] * ay + by;
      if (px < lo || py < lo || px >= hiX || py >= hiY) continue;
      drawn++;
      const base = ((py | 0) - half + M) * W2 + ((px | 0) - half + M), c = code ? 3 * code[i] : 0;
      const r = pal[c], g = pal[c + 1], b = pal[c + 2];
      for (let k = 0; k < offs.length; k++) {
        const j = (base + offs[k]) << 2;
        acc[j] += r; acc[j + 1] += g; acc[j + 2] += b; acc[j + 3] += 1;
      }
    }
    this.drawn = drawn;  // the points rasterised in this frame (those in view)
    if (!this.img || this.img.width !== W || this.img.height !== H) this.img = new ImageData(W, H);
    const out = this.img.data;
    let kmax = 1;
    for (let y = 0; y < H; y++) for (let x = 0, j = ((y + M) * W2 + M) << 2; x < W; x++, j += 4) kmax = Math.max(kmax, acc[j + 3]);
    const floor = size > 2 ? 0.8 : 0.45, scale = (1 - floor) / Math.log1p(kmax);
    for (let y = 0, o = 0; y < H; y++) {
      for (let x = 0, j = ((y + M) * W2 + M) << 2; x < W; x++, j += 4, o += 4) {
        const k = acc[j + 3];
        if (k === 0) { out[o + 3] = 0; continue; }
        out[o] = acc[j] / k; out[o + 1] = acc[j + 1] / k; out[o + 2] = acc[j + 2] / k;
        out[o + 3] = 255 * Math.min(1, floor + scale * Math.log1p(k));
      }
    }
    this.canvas.getContext("2d").putImageData(this.img, 0, 0);
  }

  palette() {
    const colors = (this.h.categories || []).map((c) => c.color);
    const key = colors.join() + (this.h.color || "");
    if (this.pal && this.palKey === key) return this.pal;
    this.pal = new Float32Array(3 * 256);
    for (let i = 0; i < 256; i++) this.pal.set(hexRGB(colors[i] || this.h.color || "#4c78a8").map((v) => 255 * v), 3 * i);
    this.palKey = key;
    return this.pal;
  }

  computeDensity() {
    // counts of the points in view on a grid of CELL px, smoothed; where the view is crowded (points overlap),
    // contour lines of log density drawn once into an image that follows the view until the next pass
    if (!this.d) return;
    const d = this.d, W = this.W, H = this.H, gw = Math.ceil(W / CELL), gh = Math.ceil(H / CELL);
    const c = new Float32Array(gw * gh), cam = { ...this.cam };
    const fx = 1 / (cam.kx * CELL), fy = 1 / (cam.ky * CELL), ox = W / 2 / CELL, oy = H / 2 / CELL;
    let inView = 0, filled = 0;
    for (let i = 0; i < d.n; i++) {
      const gx = Math.floor(ox + (d.xy[2 * i] - cam.cx) * fx), gy = Math.floor(oy - (d.xy[2 * i + 1] - cam.cy) * fy);
      if (gx >= 0 && gy >= 0 && gx < gw && gy < gh) { if (!c[gy * gw + gx]++) filled++; inView++; }
    }
    const changed = this.visible !== inView;
    this.visible = inView;
    this.root.setAttribute("data-in-view", String(inView));
    let image = null;
    if (filled && inView / filled >= 3) {
      const s = blur(c, gw, gh);
      let max = 0;
      for (let i = 0; i < s.length; i++) { s[i] = Math.log1p(s[i]); max = Math.max(max, s[i]); }
      image = document.createElement("canvas");
      image.width = this.over.width; image.height = this.over.height;
      const ctx = image.getContext("2d"), k = image.width / gw;
      ctx.setTransform(k, 0, 0, k, 0, 0);
      ctx.lineWidth = 1 / k;
      [0.35, 0.55, 0.75].forEach((f, i) => {
        const segs = contour(s, gw, gh, f * max);
        ctx.strokeStyle = `rgba(30, 40, 70, ${0.3 + 0.15 * i})`;
        ctx.beginPath();
        for (let j = 0; j < segs.length; j += 4) { ctx.moveTo(segs[j], segs[j + 1]); ctx.lineTo(segs[j + 2], segs[j + 3]); }
        ctx.stroke();
      });
    }
    this.density = { cam, image };
    if (changed) this.schedule(); else this.drawOver();
  }

  drawOver() {
    const ctx = this.over.getContext("2d"), dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.over.width, this.over.height);
    if (this.density && this.density.image) {
      // the contours were drawn for an earlier view: place them where that view sits now
      const k = this.density.cam, [ax, ay] = this.toPx(k.cx - k.kx * this.W / 2, k.cy + k.ky * this.H / 2);
      ctx.setTransform(k.kx / this.cam.kx, 0, 0, k.ky / this.cam.ky, dpr * ax, dpr * ay);
      ctx.drawImage(this.density.image, 0, 0);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawSelection(ctx);
    this.drawHighlights(ctx);
    this.drawRegions(ctx);
    if (this.path) this.drawPath(ctx, this.path.map(([x, y]) => [x, y]), false);
    if (this.hover != null) {
      const [px, py] = this.toPx(this.d.xy[2 * this.hover], this.d.xy[2 * this.hover + 1]);
      ctx.strokeStyle = "#111"; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.arc(px, py, 6, 0, 2 * Math.PI); ctx.stroke();
    }
  }

  drawPath(ctx, pts, closed) {
    if (pts.length < 2) return;
    ctx.strokeStyle = "#d62728"; ctx.lineWidth = 1.5; ctx.setLineDash([5, 4]);
    ctx.fillStyle = "rgba(214, 39, 40, 0.06)";
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    if (closed) { ctx.closePath(); ctx.fill(); }
    ctx.stroke(); ctx.setLineDash([]);
  }

  drawSelection(ctx) {
    if (this.selection && this.selection.polygon) {
      this.drawPath(ctx, this.selection.polygon.map(([x, y]) => this.toPx(x, y)), true);
    }
  }

  drawHighlights(ctx) {
    ctx.font = "bold 13px system-ui, sans-serif";
    for (const { row, text } of this.h.highlight || []) {
      const [px, py] = this.toPx(this.d.xy[2 * row], this.d.xy[2 * row + 1]);
      ctx.fillStyle = "#d62728"; ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.arc(px, py, 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      halo(ctx, text, px + 8, py - 6, "#d62728");
    }
  }

  visibleRows(limit) {
    // rows of the points in view, from the grid (null when there are more than `limit`)
    const d = this.d;
    if (!d.grid) d.grid = buildGrid(d);
    const g = d.grid, [x0, , y0] = d.bounds;
    const [a, b] = [this.toData(0, this.H), this.toData(this.W, 0)];
    const c0 = Math.max(0, Math.floor((a[0] - x0) * g.fx)), c1 = Math.min(g.G - 1, Math.floor((b[0] - x0) * g.fx));
    const r0 = Math.max(0, Math.floor((a[1] - y0) * g.fy)), r1 = Math.min(g.G - 1, Math.floor((b[1] - y0) * g.fy));
    const out = [];
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
      const cell = r * g.G + c;
      for (let k = g.start[cell]; k < g.start[cell + 1]; k++) {
        const i = g.order[k], [px, py] = this.toPx(d.xy[2 * i], d.xy[2 * i + 1]);
        if (px < 0 || py < 0 || px > this.W || py > this.H) continue;
        if (out.push(i) > limit) return null;
      }
    }
    return out;
  }

  drawWords(ctx, placed) {
    // zoomed in far enough that few points are in view: each point's word beside it, where it fits
    if (this.visible == null || this.visible > WORDS_IN_VIEW) return 0;
    const rows = this.visibleRows(WORDS_IN_VIEW);
    if (!rows) return 0;
    ctx.font = "12px system-ui, sans-serif";
    let shown = 0;
    for (const i of rows) {
      const [px, py] = this.toPx(this.d.xy[2 * i], this.d.xy[2 * i + 1]), text = label(this.d, i);
      const w = ctx.measureText(text).width, box = [px + 5, py - 8, px + 9 + w, py + 6];
      if (placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      placed.push(box);
      halo(ctx, text, px + 6, py + 4, "#333");
      shown++;
    }
    return shown;
  }

  drawRegions(ctx) {
    // the active level (by zoom) in full, coarser levels where they still fit, bigger regions first; zoomed
    // in far enough, the words of the points themselves (region names then only where they fit)
    const regions = this.h.regions || [], placed = [];
    for (const { row } of this.h.highlight || []) {
      const [px, py] = this.toPx(this.d.xy[2 * row], this.d.xy[2 * row + 1]);
      placed.push([px - 6, py - 20, px + 120, py + 6]);
    }
    const words = this.drawWords(ctx, placed);
    const top = regions.reduce((m, r) => Math.max(m, r.level), 0);
    const active = Math.min(top, Math.floor(Math.log(Math.max(1, this.zoom())) / Math.log(LEVEL_ZOOM)));
    const order = regions.filter((r) => r.level <= active)
      .sort((a, b) => (b.level === active) - (a.level === active) || b.size - a.size);
    let shown = 0;
    for (const r of order) {
      const [px, py] = this.toPx(r.x, r.y);
      if (px < 0 || py < 0 || px > this.W || py > this.H) continue;
      const coarse = r.level < active || words > 0;
      ctx.font = `${coarse ? "" : "bold "}${r.level === 0 ? 14 : 12}px system-ui, sans-serif`;
      const w = ctx.measureText(r.name).width, box = [px - w / 2 - 3, py - 10, px + w / 2 + 3, py + 8];
      if (placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      placed.push(box);
      ctx.textAlign = "center";
      halo(ctx, r.name, px, py + 4, coarse ? "rgba(40,40,40,.55)" : "#1a1a1a");
      ctx.textAlign = "start";
      shown++;
    }
    this.root.setAttribute("data-labels", String(shown));
    this.root.setAttribute("data-words", String(words));
    this.root.setAttribute("data-level", String(active));
  }

  nearest(px, py, radius) {
    const d = this.d;
    if (!d.grid) d.grid = buildGrid(d);
    const g = d.grid, [x, y] = this.toData(px, py), rx = radius * this.cam.kx, ry = radius * this.cam.ky;
    const [x0, , y0] = d.bounds;
    const c0 = Math.max(0, Math.floor((x - rx - x0) * g.fx)), c1 = Math.min(g.G - 1, Math.floor((x + rx - x0) * g.fx));
    const r0 = Math.max(0, Math.floor((y - ry - y0) * g.fy)), r1 = Math.min(g.G - 1, Math.floor((y + ry - y0) * g.fy));
    let best = null, bestD = 1;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * g.G + c;
        for (let k = g.start[cell]; k < g.start[cell + 1]; k++) {
          const i = g.order[k], dx = (d.xy[2 * i] - x) / rx, dy = (d.xy[2 * i + 1] - y) / ry, dd = dx * dx + dy * dy;
          if (dd < bestD) { bestD = dd; best = i; }
        }
      }
    }
    return best;
  }

  showTip(i, px, py) {
    this.hover = i;
    if (i == null) { this.tip.style.display = "none"; return; }
    let text = label(this.d, i);
    const cats = this.h.categories || [];
    if (this.d.code && cats.length) text += `\n${this.h.legend}: ${cats[this.d.code[i]].name}`;
    this.tip.textContent = text;
    this.tip.style.display = "block";
    this.tip.style.left = `${Math.min(px + 12, this.W - 180)}px`;
    this.tip.style.top = `${Math.max(0, py - 34)}px`;
  }

  select(sel) {
    this.selection = sel;
    this.schedule();
    if (this.setState) this.setState("selection", sel ? { ...sel, token: `${Date.now()}` } : null);
  }

  events() {
    const o = this.over;
    const pos = (e) => { const r = o.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    o.addEventListener("pointerdown", (e) => {
      o.setPointerCapture(e.pointerId);
      const p = pos(e);
      this.drag = { start: p, last: p, moved: 0 };
      if (this.mode !== "pan") this.path = [p];
    });
    o.addEventListener("pointermove", (e) => {
      const p = pos(e);
      if (!this.drag) {
        if (this.d && !this.hoverQueued) {
          this.hoverQueued = true;
          requestAnimationFrame(() => { this.hoverQueued = false; this.showTip(this.nearest(...p, 8), ...p); this.drawOver(); });
        }
        return;
      }
      const [dx, dy] = [p[0] - this.drag.last[0], p[1] - this.drag.last[1]];
      this.drag.moved += Math.abs(dx) + Math.abs(dy);
      this.drag.last = p;
      if (this.mode === "pan") {
        this.cam = { ...this.cam, cx: this.cam.cx - dx * this.cam.kx, cy: this.cam.cy + dy * this.cam.ky };
        this.showTip(null);
        this.schedule();
      } else if (this.mode === "lasso") {
        this.path.push(p); this.drawOver();
      } else {
        const [a, b] = [this.drag.start, p];
        this.path = [a, [b[0], a[1]], b, [a[0], b[1]], a]; this.drawOver();
      }
    });
    o.addEventListener("pointerup", (e) => {
      const drag = this.drag, p = pos(e);
      this.drag = null;
      if (!drag) return;
      if (drag.moved < 4) {
        this.path = null;
        const i = this.nearest(...p, 8);
        if (i != null) this.select({ kind: "point", row: i });
        return;
      }
      if (this.mode !== "pan" && this.path && this.path.length > 2) {
        const polygon = this.path.map(([x, y]) => this.toData(x, y));
        this.path = null;
        this.select({ kind: this.mode, polygon });
      }
    });
    o.addEventListener("wheel", (e) => {
      e.preventDefault();
      const p = pos(e), [x, y] = this.toData(...p), f = Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.0015)));
      const kx = this.cam.kx * f, ky = this.cam.ky * f;
      this.cam = { kx, ky, cx: x - (p[0] - this.W / 2) * kx, cy: y + (p[1] - this.H / 2) * ky };
      this.showTip(null);
      this.schedule();
    }, { passive: false });
    o.addEventListener("dblclick", () => this.fly(this.home(), 300));
    o.addEventListener("pointerleave", () => { this.showTip(null); this.drawOver(); });
  }
}

function disc(size, stride) {
  // buffer offsets of the pixels of a round dot `size` px wide
  const out = [], r = size / 2;
  for (let dy = 0; dy < size; dy++) for (let dx = 0; dx < size; dx++) {
    const u = dx + 0.5 - r, v = dy + 0.5 - r;
    if (size <= 2 || u * u + v * v <= r * r) out.push(dy * stride + dx);
  }
  return out;
}

function halo(ctx, text, x, y, color) {
  ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,.9)"; ctx.lineJoin = "round";
  ctx.strokeText(text, x, y);
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

function blur(c, w, h) {
  // two passes of a 3-wide box blur in each direction (close to a small Gaussian)
  let a = c, b = new Float32Array(c.length);
  for (let pass = 0; pass < 2; pass++) {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = y * w + x;
      b[i] = (a[i] + (x > 0 ? a[i - 1] : 0) + (x < w - 1 ? a[i + 1] : 0)) / 3;
    }
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = y * w + x;
      a[i] = (b[i] + (y > 0 ? b[i - w] : 0) + (y < h - 1 ? b[i + w] : 0)) / 3;
    }
  }
  return a;
}

function contour(s, w, h, v) {
  // marching squares: line segments (x0, y0, x1, y1 in grid units) where the field crosses v
  const out = [];
  const at = (x, y) => s[y * w + x];
  const lerp = (a, b) => (v - a) / (b - a || 1e-12);
  for (let y = 0; y < h - 1; y++) for (let x = 0; x < w - 1; x++) {
    const a = at(x, y), b = at(x + 1, y), c = at(x + 1, y + 1), d = at(x, y + 1);
    const k = (a >= v) | ((b >= v) << 1) | ((c >= v) << 2) | ((d >= v) << 3);
    if (k === 0 || k === 15) continue;
    const e = [[x + lerp(a, b), y], [x + 1, y + lerp(b, c)], [x + lerp(d, c), y + 1], [x, y + lerp(a, d)]];
    const pairs = { 1: [0, 3], 2: [0, 1], 3: [1, 3], 4: [1, 2], 5: [0, 1, 2, 3], 6: [0, 2], 7: [2, 3],
      8: [2, 3], 9: [0, 2], 10: [0, 3, 1, 2], 11: [1, 2], 12: [1, 3], 13: [0, 1], 14: [0, 3] }[k];
    for (let j = 0; j < pairs.length; j += 2) {
      const [p, q] = [e[pairs[j]], e[pairs[j + 1]]];
      out.push(p[0] + 0.5, p[1] + 0.5, q[0] + 0.5, q[1] + 0.5);
    }
  }
  return out;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  if (!data) return undefined;
  const { header, arrays } = readPayload(data instanceof Uint8Array ? data : new Uint8Array(data));
  if (arrays.xy && !DATA.has(header.key)) {
    DATA.set(header.key, { n: header.n, bounds: header.bounds, xy: arrays.xy, code: arrays.code || null,
      loff: arrays.loff, ltext: arrays.ltext });
    while (DATA.size > 2) DATA.delete(DATA.keys().next().value);
  }
  let map = MAPS.get(header.id);
  if (!map) { map = new PointMap(header.id); MAPS.set(header.id, map); }
  if (map.root.parentNode !== parentElement) parentElement.appendChild(map.root);
  const d = DATA.get(header.key);
  if (!d) {
    map.status.textContent = "Loading the points…";
    setStateValue("have", null); // the server sends the points again
    return undefined;
  }
  map.update(d, header, setStateValue);
  if (header.have !== header.key) setStateValue("have", header.key);
  return undefined;
}
