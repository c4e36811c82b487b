/* warmonitor's map widget: the dashboard's map, drawn on a <canvas> with no library and no network
 * beyond the basemap JSON that `warmonitor serve` ships (the dashboard must work offline, so there is
 * no tile server). Plain ES2019, no modules: load it with <script src="/static/map.js"> and use
 *
 *   const map = new WarMap(element, {basemapUrl: "/static/basemap.json", onSelect: feature => ...,
 *                                    typeColours: {TYPE: "#rrggbb", ...}});
 *   map.setPoints(featureCollection);   // GeoJSON Points, properties as /api/places gives them
 *   map.fitToPoints();
 *
 * Positions are kept in Web Mercator "world units": x and y in [0, 1], (0, 0) the north-west corner.
 * At zoom z the world is 256 * 2^z CSS pixels wide, as on the usual web maps, so zoom levels feel familiar.
 * For browser tests: element.warmap is the widget, its data-points the number of points on the map (every
 * feature of the last setPoints with a usable Point geometry; those panned out of view included),
 * data-basemap is "loading", "loaded" or "failed", and pointAt / screenPosition map client coordinates.
 */
(function () {
  "use strict";

  const MAX_LAT = 85.0511287798;   // Mercator's y is infinite at the poles; web maps stop here
  const MIN_ZOOM = 0;
  const MAX_ZOOM = 12;             // the basemap is ~2 km accurate: deeper zoom only spreads out points
  const ATTRIBUTION = "Boundaries: Natural Earth \u00b7 Places: GeoNames (CC BY 4.0)";
  // A circle's colour is its place's most frequent fact type's (options.typeColours, which the
  // dashboard takes from GET /api/fact-types); types without one get OTHER_COLOUR, so new types still show.
  const OTHER_COLOUR = "#34495e";
  const STYLE = {
    sea: "#dde8f0", land: "#f6f3ec", border: "#a9a294", city: "#5d5850",
    label: "#3b3832", halo: "rgba(246,243,236,0.9)",
  };

  function project(lon, lat) {
    const phi = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180;
    return {x: (lon + 180) / 360, y: (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2};
  }

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  // Number from a feature property; missing or malformed values count as 0, never NaN.
  function num(v) { const n = Number(v); return Number.isFinite(n) && n > 0 ? n : 0; }

  // The type with the most facts; keys sorted so that ties resolve the same way every time.
  function dominantType(types) {
    const names = Object.keys(types || {}).sort().filter(name => num(types[name]) > 0);
    return names.reduce((best, name) => (num(types[name]) > num(types[best]) ? name : best), names[0] || null);
  }

  // Minimum population of the cities shown at a zoom: a few megacities on the world view, every
  // town of the basemap from about zoom 8 (the basemap holds 15,000+ only in conflict countries).
  function cityMinPop(zoom) { return 2e7 / Math.pow(3, zoom - 1); }

  class WarMap {
    constructor(element, options) {
      this.el = element;
      this.options = Object.assign({basemapUrl: "/static/basemap.json", onSelect: null}, options || {});
      this.typeColours = new Map(Object.entries(this.options.typeColours || {}));
      this.zoom = 1;
      this.center = {x: 0.5, y: 0.5};
      this.width = this.height = 0;
      this.countries = [];          // [{iso, name, rings: [Float64Array x0,y0,x1,y1...], box}]
      this.cities = [];             // [{name, pop, x, y}], most populous first (the basemap's order)
      this.points = [];             // [{feature, x, y, value, colour, r}], drawn in this order
      this.fitPending = true;       // fit to the points once the element has a size
      this.hover = null;            // the point under the mouse, drawn with a dark ring
      this.frame = 0;               // pending requestAnimationFrame id
      element.warmap = this;
      element.dataset.points = "0";
      element.dataset.basemap = "loading";
      this.buildDom();
      this.bindEvents();
      this.resize();
      // The element's size changes with the page layout, not only with the window: observe the element.
      this.observer = new ResizeObserver(() => this.resize());
      this.observer.observe(element);
      this.ready = this.loadBasemap();
    }

    buildDom() {
      const el = this.el;
      if (getComputedStyle(el).position === "static") el.style.position = "relative";
      el.style.overflow = "hidden";
      this.canvas = document.createElement("canvas");
      // Absolutely placed, so the canvas never sizes the element (a canvas in the flow would grow it, and
      // the ResizeObserver would grow the canvas again). touch-action none: a finger pans the map, not the page.
      Object.assign(this.canvas.style, {position: "absolute", left: "0", top: "0", width: "100%", height: "100%",
                                        display: "block", touchAction: "none", cursor: "grab"});
      this.canvas.tabIndex = 0;
      this.canvas.setAttribute("role", "img");
      this.canvas.setAttribute("aria-label", "Map of places with facts");
      this.ctx = this.canvas.getContext("2d");
      el.appendChild(this.canvas);

      // Overlays are styled inline, so the widget needs no stylesheet of its own.
      const make = (tag, parent, className, style) => {
        const node = parent.appendChild(document.createElement(tag));
        node.className = className;
        Object.assign(node.style, style);
        return node;
      };
      const controls = make("div", el, "warmap-controls", {position: "absolute", top: "8px", left: "8px",
                                                           display: "flex", flexDirection: "column", gap: "4px"});
      for (const [text, label, step] of [["+", "Zoom in", 1], ["\u2212", "Zoom out", -1]]) {
        const b = make("button", controls, "warmap-zoom", {width: "30px", height: "30px", cursor: "pointer",
          font: "bold 18px/1 sans-serif", border: "1px solid #999", borderRadius: "4px", background: "#fff",
          color: "#222"});
        b.type = "button";
        b.textContent = text;
        b.title = label;
        b.setAttribute("aria-label", label);
        b.addEventListener("click", () => this.zoomAt(this.width / 2, this.height / 2, step));
      }
      const credit = make("div", el, "warmap-attribution", {position: "absolute", right: "0", bottom: "0",
        padding: "1px 5px", font: "11px sans-serif", color: "#333", background: "rgba(255,255,255,0.75)",
        pointerEvents: "none"});
      credit.textContent = ATTRIBUTION;
      this.tooltip = make("div", el, "warmap-tooltip", {position: "absolute", display: "none", pointerEvents: "none",
        font: "12px/1.35 sans-serif", color: "#fff", background: "rgba(20,20,20,0.88)", padding: "5px 8px",
        borderRadius: "4px", whiteSpace: "nowrap", zIndex: "2"});
      this.tooltip.setAttribute("role", "tooltip");
    }

    loadBasemap() {
      return fetch(this.options.basemapUrl)
        .then(r => { if (!r.ok) throw new Error("basemap: HTTP " + r.status); return r.json(); })
        .then(data => {
          // Project once here, so that drawing a frame is only arithmetic and lineTo calls.
          this.countries = (data.countries || []).map(c => {
            const box = {x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity};
            const rings = c.rings.map(ring => {
              const a = new Float64Array(ring.length * 2);
              ring.forEach((p, i) => {
                const w = project(p[0], p[1]);
                a[2 * i] = w.x; a[2 * i + 1] = w.y;
                box.x0 = Math.min(box.x0, w.x); box.x1 = Math.max(box.x1, w.x);
                box.y0 = Math.min(box.y0, w.y); box.y1 = Math.max(box.y1, w.y);
              });
              return a;
            });
            return {iso: c.iso, name: c.name, rings, box};
          });
          this.cities = (data.cities || []).map(c => Object.assign({name: c.name, pop: c.pop}, project(c.lon, c.lat)));
          this.el.dataset.basemap = "loaded";
          this.requestDraw();
        })
        .catch(err => {
          // Without a basemap the fact circles still draw on plain sea: the facts matter more.
          this.el.dataset.basemap = "failed";
          if (window.console) console.warn("WarMap:", err);
        });
    }

    setPoints(collection) {
      const out = [];
      for (const f of (collection && collection.features) || []) {
        const g = f && f.geometry;
        if (!g || g.type !== "Point" || !Array.isArray(g.coordinates)) continue;
        const lon = Number(g.coordinates[0]), lat = Number(g.coordinates[1]);
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
        const p = f.properties || {};
        const people = num(p.killed) + num(p.injured) + num(p.displaced);
        const type = dominantType(p.types);
        out.push(Object.assign({feature: f, value: people || num(p.facts),
                                colour: this.typeColours.get(type) || OTHER_COLOUR}, project(lon, lat)));
      }
      // Circle area proportional to the value, relative to the largest, so one big displacement figure
      // does not push every other circle off the scale. Big circles first: small ones stay visible on top.
      const max = out.reduce((m, p) => Math.max(m, p.value), 1);   // no spread: thousands of places
      for (const p of out) p.r = 4 + 22 * Math.sqrt(p.value / max);
      out.sort((a, b) => b.r - a.r);
      this.points = out;
      this.hover = null;
      this.hideTooltip();
      this.el.dataset.points = String(out.length);
      this.requestDraw();
    }

    fitToPoints() {
      this.fitPending = true;
      if (this.width > 0 && this.height > 0) this.applyFit();
    }

    applyFit() {
      this.fitPending = false;
      const pts = this.points;
      if (!pts.length) {   // the world, centred a little north so the populated latitudes fill the view
        this.zoom = clamp(Math.log2(this.width / 256), MIN_ZOOM, MAX_ZOOM);
        this.center = {x: 0.5, y: project(0, 20).y};
      } else {
        let x0 = 1, x1 = 0, y0 = 1, y1 = 0;
        for (const p of pts) {
          x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
        }
        const pad = 60;   // room for the circles and the zoom buttons
        const zx = Math.log2(Math.max(1, this.width - 2 * pad) / 256 / Math.max(x1 - x0, 1e-9));
        const zy = Math.log2(Math.max(1, this.height - 2 * pad) / 256 / Math.max(y1 - y0, 1e-9));
        this.zoom = clamp(Math.min(zx, zy, 7), MIN_ZOOM, MAX_ZOOM);   // one point: a province-sized view
        this.center = {x: (x0 + x1) / 2, y: (y0 + y1) / 2};
      }
      this.requestDraw();
    }

    resize() {
      // The page must give the element a size: the map has none of its own.
      this.width = this.el.clientWidth;
      this.height = this.el.clientHeight;
      // Back the canvas with device pixels so lines and text are sharp on HiDPI screens.
      this.dpr = window.devicePixelRatio || 1;
      this.canvas.width = Math.round(this.width * this.dpr);
      this.canvas.height = Math.round(this.height * this.dpr);
      if (this.fitPending && this.width > 0 && this.height > 0) this.applyFit();
      this.draw();
    }

    // World units <-> canvas CSS pixels.
    scale() { return 256 * Math.pow(2, this.zoom); }
    toScreen(x, y) {
      const s = this.scale();
      return {x: (x - this.center.x) * s + this.width / 2, y: (y - this.center.y) * s + this.height / 2};
    }
    toWorld(sx, sy) {
      const s = this.scale();
      return {x: this.center.x + (sx - this.width / 2) / s, y: this.center.y + (sy - this.height / 2) / s};
    }

    // Zoom by `delta` levels keeping the world point under (sx, sy) where it is on screen.
    zoomAt(sx, sy, delta) {
      const before = this.toWorld(sx, sy);
      this.zoom = clamp(this.zoom + delta, MIN_ZOOM, MAX_ZOOM);
      const s = this.scale();
      this.moveTo(before.x - (sx - this.width / 2) / s, before.y - (sy - this.height / 2) / s);
    }

    panBy(dx, dy) {
      const s = this.scale();
      this.moveTo(this.center.x - dx / s, this.center.y - dy / s);
    }

    moveTo(x, y) {   // the user moved the map: no refit on resize; keep the centre on the world
      this.center = {x: clamp(x, 0, 1), y: clamp(y, 0, 1)};
      this.fitPending = false;
      this.requestDraw();
    }

    bindEvents() {
      const c = this.canvas;
      const pointers = new Map();   // pointerId -> last {x, y}: one pans, two pinch-zoom
      let moved = 0;                // how far this gesture went: a click only when it barely moved
      const local = e => { const r = c.getBoundingClientRect(); return {x: e.clientX - r.left, y: e.clientY - r.top}; };

      c.addEventListener("pointerdown", e => {
        try { c.setPointerCapture(e.pointerId); } catch (err) { /* synthetic events have no real pointer */ }
        pointers.set(e.pointerId, local(e));
        if (pointers.size === 1) moved = 0;
        c.style.cursor = "grabbing";
        this.hideTooltip();
      });
      c.addEventListener("pointermove", e => {
        const p = local(e);
        if (!pointers.has(e.pointerId)) { this.updateHover(p); return; }
        const prev = pointers.get(e.pointerId);
        if (pointers.size === 1) {
          this.panBy(p.x - prev.x, p.y - prev.y);
          moved += Math.abs(p.x - prev.x) + Math.abs(p.y - prev.y);
        } else if (pointers.size === 2) {
          const other = [...pointers.entries()].find(([id]) => id !== e.pointerId)[1];
          const d0 = Math.hypot(prev.x - other.x, prev.y - other.y), d1 = Math.hypot(p.x - other.x, p.y - other.y);
          if (d0 > 0 && d1 > 0) this.zoomAt((p.x + other.x) / 2, (p.y + other.y) / 2, Math.log2(d1 / d0));
          moved += 100;   // a pinch is never a click
        }
        pointers.set(e.pointerId, p);
      });
      const end = e => {
        if (!pointers.delete(e.pointerId)) return;
        if (!pointers.size) c.style.cursor = "grab";
        if (e.type === "pointerup" && !pointers.size && moved < 5) this.select(local(e));
      };
      c.addEventListener("pointerup", end);
      c.addEventListener("pointercancel", end);
      c.addEventListener("pointerleave", () => { if (!pointers.size) { this.hover = null; this.hideTooltip(); } });
      c.addEventListener("wheel", e => {
        e.preventDefault();   // the wheel zooms the map, not the page
        const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 500 : 1;   // lines / pages -> pixels
        const p = local(e);
        this.zoomAt(p.x, p.y, clamp(-e.deltaY * unit / 300, -1, 1));
      }, {passive: false});
      c.addEventListener("dblclick", e => {   // shift + double-click zooms out
        const p = local(e);
        this.zoomAt(p.x, p.y, e.shiftKey ? -1 : 1);
      });
      c.addEventListener("keydown", e => {
        const keys = {ArrowLeft: [80, 0], ArrowRight: [-80, 0], ArrowUp: [0, 80], ArrowDown: [0, -80]};
        if (keys[e.key]) this.panBy(keys[e.key][0], keys[e.key][1]);
        else if (e.key === "+" || e.key === "=") this.zoomAt(this.width / 2, this.height / 2, 1);
        else if (e.key === "-") this.zoomAt(this.width / 2, this.height / 2, -1);
        else return;
        e.preventDefault();
      });
    }

    // The point drawn under canvas position p, topmost first (the reverse of the drawing order).
    hit(p) {
      for (let i = this.points.length - 1; i >= 0; i--) {
        const q = this.points[i], s = this.toScreen(q.x, q.y);
        if (Math.hypot(s.x - p.x, s.y - p.y) <= q.r + 2) return q;
      }
      return null;
    }

    pointAt(clientX, clientY) {
      const r = this.canvas.getBoundingClientRect();
      const q = this.hit({x: clientX - r.left, y: clientY - r.top});
      return q ? q.feature : null;
    }

    screenPosition(feature) {
      const q = this.points.find(p => p.feature === feature);
      if (!q) return null;
      const r = this.canvas.getBoundingClientRect(), s = this.toScreen(q.x, q.y);
      return {x: r.left + s.x, y: r.top + s.y};
    }

    select(p) {
      const q = this.hit(p);
      if (!q) return;
      if (typeof this.options.onSelect === "function") { this.options.onSelect(q.feature); return; }
      // No handler: follow the feature's link, but only an http(s) one (never a javascript: URL).
      const href = q.feature.properties && q.feature.properties.href;
      if (href) {
        const url = new URL(String(href), window.location.href);
        if (url.protocol === "http:" || url.protocol === "https:") window.location.assign(url.href);
      }
    }

    updateHover(p) {
      const q = this.hit(p);
      this.canvas.style.cursor = q ? "pointer" : "grab";
      if (q !== this.hover) { this.hover = q; this.requestDraw(); }
      if (!q) { this.hideTooltip(); return; }
      const props = q.feature.properties || {};
      const place = [props.name || "(unnamed place)", props.admin1, props.country].filter(Boolean);
      const counts = (props.incidents !== undefined ? `${num(props.incidents)} incidents \u00b7 ` : "") +
                     `${num(props.facts)} facts \u00b7 ${num(props.killed)} killed \u00b7 ` +
                     `${num(props.displaced)} displaced`;
      const lines = [place[0], place.slice(1).join(", "), counts];
      // Names come from the news: build the tooltip with textContent only, never as HTML.
      this.tooltip.textContent = "";
      lines.filter(Boolean).forEach((text, i) => {
        const div = document.createElement("div");
        div.textContent = text;
        if (i === 0) div.style.fontWeight = "bold";
        this.tooltip.appendChild(div);
      });
      this.tooltip.style.display = "block";
      const tw = this.tooltip.offsetWidth, th = this.tooltip.offsetHeight;
      const left = p.x + 14 + tw > this.width ? p.x - 14 - tw : p.x + 14;   // flip at the right edge
      this.tooltip.style.left = Math.max(0, left) + "px";
      this.tooltip.style.top = clamp(p.y - th / 2, 0, Math.max(0, this.height - th)) + "px";
    }

    hideTooltip() { this.tooltip.style.display = "none"; }

    // Coalesce redraws: a drag fires many pointer events per frame but the map draws once per frame.
    requestDraw() {
      if (this.frame) return;
      const raf = window.requestAnimationFrame || (f => setTimeout(f, 16));
      this.frame = raf(() => { this.frame = 0; this.draw(); });
    }

    draw() {
      const ctx = this.ctx, w = this.width, h = this.height;
      if (!w || !h) return;
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      ctx.fillStyle = STYLE.sea;
      ctx.fillRect(0, 0, w, h);
      this.drawCountries();
      this.drawCities();
      this.drawPoints();
    }

    drawCountries() {
      const ctx = this.ctx, s = this.scale();
      const view = {a: this.toWorld(0, 0), b: this.toWorld(this.width, this.height)};
      const ox = this.width / 2 - this.center.x * s, oy = this.height / 2 - this.center.y * s;
      ctx.fillStyle = STYLE.land;
      ctx.strokeStyle = STYLE.border;
      ctx.lineWidth = 0.7;
      ctx.lineJoin = "round";
      for (const c of this.countries) {
        const b = c.box;   // skip countries wholly outside the view
        if (b.x1 < view.a.x || b.x0 > view.b.x || b.y1 < view.a.y || b.y0 > view.b.y) continue;
        ctx.beginPath();
        for (const ring of c.rings) {
          ctx.moveTo(ring[0] * s + ox, ring[1] * s + oy);
          for (let i = 2; i < ring.length; i += 2) ctx.lineTo(ring[i] * s + ox, ring[i + 1] * s + oy);
          ctx.closePath();
        }
        ctx.fill("evenodd");   // a country's rings mix outer rings and holes
        ctx.stroke();
      }
    }

    drawCities() {
      const ctx = this.ctx, minPop = cityMinPop(this.zoom);
      const taken = [];   // label boxes placed so far; a label overlapping one is skipped
      // Fact circles are what the user came for: city labels keep clear of them.
      for (const p of this.points) {
        const s = this.toScreen(p.x, p.y);
        taken.push({x0: s.x - p.r, y0: s.y - p.r, x1: s.x + p.r, y1: s.y + p.r});
      }
      ctx.font = "11px sans-serif";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = STYLE.halo;
      let labels = 0;
      for (const c of this.cities) {   // most populous first, so big cities win the space
        if (c.pop < minPop) break;
        const s = this.toScreen(c.x, c.y);
        if (s.x < -50 || s.y < -20 || s.x > this.width + 50 || s.y > this.height + 20) continue;
        ctx.fillStyle = STYLE.city;
        ctx.beginPath();
        ctx.arc(s.x, s.y, c.pop >= 1e6 ? 2.5 : 1.8, 0, 2 * Math.PI);
        ctx.fill();
        if (labels >= 250) continue;   // enough text on any screen
        const tw = ctx.measureText(c.name).width;
        const box = {x0: s.x + 4, y0: s.y - 7, x1: s.x + 6 + tw, y1: s.y + 7};
        if (taken.some(t => box.x0 < t.x1 && box.x1 > t.x0 && box.y0 < t.y1 && box.y1 > t.y0)) continue;
        taken.push(box);
        labels++;
        ctx.strokeText(c.name, s.x + 5, s.y);
        ctx.fillStyle = STYLE.label;
        ctx.fillText(c.name, s.x + 5, s.y);
      }
    }

    drawPoints() {
      const ctx = this.ctx;
      for (const p of this.points) {
        const s = this.toScreen(p.x, p.y);
        if (s.x < -p.r || s.y < -p.r || s.x > this.width + p.r || s.y > this.height + p.r) continue;
        ctx.beginPath();
        ctx.arc(s.x, s.y, p.r, 0, 2 * Math.PI);
        ctx.globalAlpha = 0.72;   // translucent, so overlapping circles and the map below stay readable
        ctx.fillStyle = p.colour;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = p === this.hover ? 2.5 : 1;
        ctx.strokeStyle = p === this.hover ? "#111" : "#fff";
        ctx.stroke();
      }
    }
  }

  window.WarMap = WarMap;
})();
