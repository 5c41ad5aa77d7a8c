// The horizontal time axis: era bands, ticks and event cards to scale. Cards and ticks are
// laid out in "world" pixels on tracks that a pan only translates, so a drag moves one
// transform per frame; a zoom lays the cards out again.

import { TimeScale } from "./scale.js";
import { layoutCards } from "./layout.js";
import { attachGestures } from "./gestures.js";
import { dayOf, dateOf } from "./format.js";
import { el, onPress } from "./panel.js";

const LOAD_LIMIT = 400; // events around the view below which their years are fetched


export class Axis {
  /**
   * `stage`: the element to fill; `data`: TimelineData (overview loaded); `fmt`: formatter.
   * `onOpen(event, card)`: a card was activated; `onList(events)`: a cluster that cannot be
   * zoomed further was activated.
   */
  constructor(stage, data, fmt, { onOpen, onList, reducedMotion }) {
    this.data = data;
    this.fmt = fmt;
    this.onOpen = onOpen;
    this.onList = onList;
    this.reducedMotion = reducedMotion;
    const o = data.overview;
    this.rtl = o.dir === "rtl";
    const pad = Math.max(20, (o.range[1] - o.range[0]) * 0.02);
    this.origin = o.range[0] - pad;
    this.scale = new TimeScale(this.origin, o.range[1] + pad, this.rtl);
    this.filter = null;
    this.nodes = new Map(); // key -> li
    this.featured = null;

    this.root = el("section", "axis", stage);
    this.root.setAttribute("aria-label", fmt.t.timeline || "Timeline");
    this.root.dataset.axis = "";
    this.cardsLayer = el("div", "axis-cards", this.root);
    this.cardTrack = el("ul", "track", this.cardsLayer);
    this.line = el("div", "axis-line", this.root);
    this.line.setAttribute("aria-hidden", "true");
    this.tickTrack = el("div", "track", this.line);
    this.eraLayer = el("nav", "axis-eras", this.root);
    this.eraLayer.setAttribute("aria-label", fmt.t.eras || "Eras");
    this.eraTrack = el("ul", "track", this.eraLayer);
    this.buildEras();
    this.buildControls();

    attachGestures(this.root, {
      onPan: (dx) => { this.scale.panBy(dx); this.schedule(); },
      onZoom: (x, factor) => { this.pinching = true; this.scale.zoomAt(x - this.left, factor); this.schedule(); },
      onSettle: () => {
        const regroup = this.pinching;
        this.pinching = false;
        if (regroup) this.render(true); else this.schedule();
        this.loadVisible();
        this.remember();
      },
      onStart: () => this.stopAnimation(),
      onTap: (event) => this.activate(event),
      reducedMotion,
    });
    this.root.addEventListener("dragstart", (event) => event.preventDefault());
    this.root.addEventListener("click", (event) => this.activate(event));
    this.root.addEventListener("keydown", (event) => this.key(event));
    // The observer also reports the first size, which measure() below has already taken:
    // lay out again only when the size (or the text size, which changes the em) really changed.
    window.addEventListener("kt-textsize", () => { this.measure(); this.render(true); });
    new ResizeObserver(() => {
      const box = this.root.getBoundingClientRect();
      const em = parseFloat(getComputedStyle(this.cardsLayer).fontSize);
      if (box.width === this.scale.width && box.height === this.measuredHeight && em === this.em) return;
      this.measure();
      this.render(true);
    }).observe(this.root);
    this.measure();
  }

  // MARK: Building

  buildEras() {
    const rows = Math.max(0, ...this.data.overview.eras.map((e) => e.row)) + 1;
    this.eraLayer.style.setProperty("--era-rows", rows);
    this.eras = this.data.overview.eras.map((era) => {
      const li = el("li", "era-band era-" + era.id, this.eraTrack);
      li.style.setProperty("--row", era.row);
      const a = el("a", "", li);
      a.href = era.url;
      a.draggable = false;
      a.dataset.era = era.id;
      const label = el("span", "label", a);
      label.textContent = era.name;
      return { era, li, label };
    });
  }

  buildControls() {
    const box = el("div", "axis-controls", this.root);
    const button = (cls, text, label, action) => {
      const b = el("button", "control " + cls, box);
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.title = label;
      b.addEventListener("pointerdown", (event) => event.stopPropagation());
      onPress(b, (event) => { event.stopPropagation(); action(); });
      return b;
    };
    const t = this.fmt.t;
    // Icons drawn as SVG: the theme's fonts carry no arrows, and a hyphen is too slight.
    const icon = (b, d) => {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("aria-hidden", "true");
      const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
      b.appendChild(svg);
    };
    icon(button("zoom-out", "", t.zoom_out || "Zoom out", () => this.zoomBy(1 / 1.6)), "M4 12h16");
    icon(button("zoom-in", "", t.zoom_in || "Zoom in", () => this.zoomBy(1.6)), "M4 12h16M12 4v16");
    icon(button("zoom-all", "", t.zoom_all || "Whole timeline", () => this.animateTo(this.scale.min, this.scale.max, null, 0)),
      "M2 12h20M2 12l5-5M2 12l5 5M22 12l-5-5M22 12l-5 5");
  }

  // MARK: Geometry

  measure() {
    const box = this.root.getBoundingClientRect();
    this.left = box.left;
    this.measuredHeight = box.height;
    const first = this.scale.width <= 1;
    this.scale.width = Math.max(1, box.width);
    const style = getComputedStyle(this.cardsLayer);
    this.em = parseFloat(style.fontSize) || 16;
    this.cardW = parseFloat(style.getPropertyValue("--card-w")) * this.em || 12 * this.em;
    this.cardH = parseFloat(style.getPropertyValue("--card-h")) * this.em || 4.5 * this.em;
    this.gap = 0.5 * this.em;
    const height = this.cardsLayer.clientHeight;
    // A tall (portrait) screen stacks more rows, so fewer events merge into clusters.
    this.rows = Math.max(1, Math.min(14, Math.floor((height - this.em) / (this.cardH + this.gap))));
    if (first) this.home();
    this.paintedPpd = 0;
    this.measureLabels = true;
  }

  /** The first view: the start of the exhibit, zoomed so a few cards fit side by side. */
  home() {
    const o = this.data.overview;
    const stored = this.restored();
    if (stored) { this.scale.start = stored.start; this.scale.span = stored.span; this.scale.clamp(); return; }
    const cardsAcross = Math.max(2, this.scale.width / (this.cardW + this.gap));
    const whole = o.range[1] - o.range[0];
    const perCard = whole / Math.max(1, o.events);
    const span = Math.min(whole, Math.max(365, perCard * cardsAcross * this.rows * 0.8));
    this.scale.span = span;
    this.scale.start = o.range[0] - span * 0.05;
    this.scale.clamp();
  }

  // MARK: View state kept across language switches (cleared by the idle reset)

  remember() {
    try { sessionStorage.setItem("kt-view", JSON.stringify({ start: this.scale.start, span: this.scale.span })); } catch (_) {}
  }

  restored() {
    try { return JSON.parse(sessionStorage.getItem("kt-view") || "null"); } catch (_) { return null; }
  }

  // MARK: Rendering

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  setFilter(predicate) {
    this.filter = predicate;
    this.render(true);
  }

  /** What the axis places: loaded events (filtered) and one stand-in per year not loaded. */
  items() {
    const items = [];
    const o = this.data.overview;
    for (const info of o.years) {
      const events = this.data.years.get(info.year);
      if (events) {
        for (const e of events) if (!this.filter || this.filter(e)) items.push(e);
      } else {
        items.push({ year: info.year, count: info.count, at: dayOf(info.year, 7, 1), placeholder: true });
      }
    }
    items.sort((a, b) => a.at - b.at);
    return items;
  }

  render(force) {
    const s = this.scale;
    const ppd = s.ppd;
    const zoomed = Math.abs(ppd - this.paintedPpd) > 1e-9;
    // While fingers pinch, the cards regroup a few times a second, not every frame: in
    // between, the groups only slide to their days at the new scale. Rebuilding clusters
    // every frame cost a small board more than a frame's time.
    const regroup = force || (zoomed && (!this.pinching || performance.now() - this.laidOutAt > 150));
    if (regroup) {
      this.groups = layoutCards(this.items(), {
        ppd, origin: this.origin, width: this.cardW, gap: this.gap, rows: this.rows,
      });
      this.laidOutAt = performance.now();
    } else if (zoomed) {
      for (const group of this.groups) group.x = (group.items[0].at - this.origin) * ppd;
    }
    if (regroup || zoomed) {
      this.paintedPpd = ppd;
      this.paintedWindow = null;
      this.paintEras();
    }
    const offset = (s.start - this.origin) * ppd;
    const translate = this.rtl ? s.width + offset : -offset;
    const shift = "translateX(" + translate.toFixed(1) + "px)";
    this.cardTrack.style.transform = shift;
    this.tickTrack.style.transform = shift;
    this.eraTrack.style.transform = shift;
    // Repaint cards only when the view nears the edge of what is painted.
    const w = s.width;
    if (!this.paintedWindow || offset < this.paintedWindow[0] + w * 0.25 || offset + w > this.paintedWindow[1] - w * 0.25) {
      this.paintedWindow = [offset - w, offset + 2 * w];
      this.paintCards();
      this.paintTicks();
    }
    this.placeEraLabels(offset);
    this.root.dataset.start = s.start.toFixed(3);
    this.root.dataset.end = s.end.toFixed(3);
    this.root.dataset.rtl = this.rtl ? "1" : "0";
  }

  /** x of a world position on a track: cards grow forward in time from their anchor. */
  trackX(worldX, width = 0) {
    return this.rtl ? -worldX - width : worldX;
  }

  paintCards() {
    const [from, to] = this.paintedWindow;
    const keep = new Set();
    const ordered = [];
    for (const group of this.groups) {
      if (group.x + this.cardW < from || group.x > to) continue;
      // A cluster keeps its node while its first event stays first, so that a pinch updates
      // a count instead of building and laying out new cards every frame.
      const single = group.items.length === 1 && !group.items[0].placeholder;
      const key = (single ? "e:" : "c:") + (group.items[0].id || group.items[0].year);
      keep.add(key);
      let li = this.nodes.get(key);
      if (!li) { li = this.makeNode(group); this.nodes.set(key, li); }
      if (!single) this.fillCluster(li, group);
      li.group = group;
      const place = "translate(" + this.trackX(group.x, this.cardW).toFixed(1) + "px," +
        (-(group.row + 1) * (this.cardH + this.gap)).toFixed(1) + "px)";
      if (li.place !== place) {
        li.place = place;
        li.style.transform = place;
      }
      if (li.row !== group.row) {
        li.row = group.row;
        li.style.setProperty("--stem", (group.row * (this.cardH + this.gap) + this.gap) + "px");
        // Rows nearer the axis sit on top, so the stems of the rows above pass behind them.
        li.style.zIndex = String(10 - group.row);
      }
      ordered.push(li);
    }
    for (const [key, li] of this.nodes) {
      if (!keep.has(key)) { this.nodes.delete(key); li.remove(); }
    }
    // Insert only what is new, where it belongs (time order is the reading order for the
    // keyboard and a screen reader); nodes already in place are not touched, since moving a
    // node restyles it, which is what made a pinch stutter on a slow board.
    let cursor = this.cardTrack.firstElementChild;
    for (const li of ordered) {
      if (li === cursor) { cursor = cursor.nextElementSibling; continue; }
      this.cardTrack.insertBefore(li, cursor);
    }
    if (this.featured) this.feature(this.featured);
  }

  makeNode(group) {
    const li = el("li", "axis-item");
    const first = group.items[0];
    if (group.items.length === 1 && !first.placeholder) {
      const a = el("a", "axis-card" + (first.highlight ? " highlight" : "") + (first.eras[0] ? " era-" + first.eras[0] : ""), li);
      a.href = first.url;
      a.draggable = false;
      a.dataset.id = first.id;
      el("span", "date", a).textContent = first.date;
      el("span", "title", a).textContent = first.title;
    } else {
      const b = el("button", "axis-card axis-cluster", li);
      b.type = "button";
      el("span", "count", b);
      el("span", "date", b);
    }
    return li;
  }

  /** A cluster's count and the years it spans (its events' own date lines are too long to join). */
  fillCluster(li, group) {
    const first = group.items[0], last = group.items[group.items.length - 1];
    const from = this.fmt.year(first.placeholder ? first.year : dateOf(first.at)[0]);
    const to = this.fmt.year(last.placeholder ? last.year : dateOf(last.at)[0]);
    const text = [this.fmt.count(group.count), from === to ? from : from + " – " + to];
    if (li.text && li.text[0] === text[0] && li.text[1] === text[1]) return;
    li.text = text;
    const b = li.firstElementChild;
    b.children[0].textContent = text[0];
    b.children[1].textContent = text[1];
    b.dataset.count = String(group.count);
  }

  paintTicks() {
    if (!this.paintedWindow) return;
    const ppd = this.scale.ppd;
    const [from, to] = this.paintedWindow;
    const dayFrom = this.origin + from / ppd, dayTo = this.origin + to / ppd;
    const yearPx = 365.25 * ppd;
    const labels = [];
    const minGap = 5 * this.em;
    const [y0] = dateOf(Math.floor(dayFrom));
    const [y1] = dateOf(Math.ceil(dayTo));
    if (yearPx >= minGap * 3) {
      // Months, every one or every quarter.
      const step = 30.4 * ppd >= minGap ? 1 : 3;
      for (let y = y0; y <= y1; y++) {
        for (let m = 1; m <= 12; m += step) {
          const day = dayOf(y, m, 1);
          if (day < dayFrom || day > dayTo) continue;
          labels.push([day, m === 1 ? this.fmt.year(y) : this.fmt.monthName(m), m === 1]);
        }
      }
    } else {
      const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
      const step = steps.find((n) => n * yearPx >= minGap) || 1000;
      for (let y = Math.ceil(y0 / step) * step; y <= y1; y += step) {
        const day = dayOf(y, 1, 1);
        if (day >= dayFrom && day <= dayTo) labels.push([day, this.fmt.year(y), true]);
      }
    }
    // Tick nodes are reused in order: a pinch moves them rather than making new ones.
    const old = [...this.tickTrack.children];
    labels.forEach(([day, text, major], i) => {
      const tick = old[i] || el("span", "tick", this.tickTrack);
      if (tick.textContent !== text) tick.textContent = text;
      tick.classList.toggle("major", major);
      tick.style.transform = "translateX(" + this.trackX((day - this.origin) * ppd).toFixed(1) + "px)";
    });
    for (const tick of old.slice(labels.length)) tick.remove();
  }

  paintEras() {
    const ppd = this.scale.ppd;
    // Label widths are read once per layout, before any write, so a frame never forces a
    // second layout.
    for (const item of this.eras) if (!item.labelWidth || this.measureLabels) item.labelWidth = item.label.offsetWidth;
    this.measureLabels = false;
    for (const item of this.eras) {
      const x0 = (item.era.start - this.origin) * ppd;
      const width = (item.era.end + 1 - item.era.start) * ppd;
      item.x0 = x0;
      item.width = width;
      item.li.style.width = width.toFixed(1) + "px";
      item.li.style.transform = "translateX(" + this.trackX(x0, width).toFixed(1) + "px)";
    }
  }

  /** Keeps each era's name inside the screen while any of its band is. */
  placeEraLabels(offset) {
    for (const item of this.eras) {
      const visibleFrom = Math.max(0, offset - item.x0);
      const room = item.width - visibleFrom - item.labelWidth;
      const shift = Math.max(0, Math.min(visibleFrom, visibleFrom + Math.min(0, room)));
      item.label.style.transform = "translateX(" + ((this.rtl ? -shift : shift)).toFixed(1) + "px)";
    }
  }

  // MARK: Data

  /** Fetches the years around the view when they hold few enough events to show. */
  loadVisible() {
    const s = this.scale;
    const [yFrom] = dateOf(Math.floor(s.start - s.span / 2));
    const [yTo] = dateOf(Math.ceil(s.end + s.span / 2));
    const wanted = this.data.overview.years.filter((y) => y.year >= yFrom && y.year <= yTo);
    const total = wanted.reduce((n, y) => n + y.count, 0);
    if (total > LOAD_LIMIT) return Promise.resolve();
    const missing = wanted.filter((y) => !this.data.years.has(y.year)).map((y) => y.year);
    if (!missing.length) return Promise.resolve();
    return this.data.fetchYears(missing).then(() => this.render(true));
  }

  // MARK: Input

  activate(event) {
    const target = event.target.closest("a, button");
    if (!target || !this.root.contains(target)) return;
    if (target.classList.contains("control")) return;
    const li = target.closest(".axis-item");
    if (li && li.group) {
      event.preventDefault();
      const group = li.group;
      if (group.items.length === 1 && !group.items[0].placeholder) {
        this.onOpen(group.items[0], target);
      } else {
        this.openCluster(group);
      }
    } else if (target.dataset.era) {
      event.preventDefault();
      const era = this.data.overview.eras.find((e) => e.id === target.dataset.era);
      if (era) this.animateTo(era.start, era.end);
    }
  }

  openCluster(group) {
    const first = group.items[0], last = group.items[group.items.length - 1];
    const from = first.placeholder ? dayOf(first.year, 1, 1) : first.at;
    const to = last.placeholder ? dayOf(last.year, 12, 31) : last.at;
    const needed = (to - from) + (this.cardW + this.gap) * 2 / this.scale.ppd;
    if (to - from < this.scale.minSpan / 3 || this.scale.span <= this.scale.minSpan * 1.01) {
      if (!first.placeholder) { this.onList(group.items); return; }
    }
    this.animateTo(from, Math.max(to, from + Math.min(needed, this.scale.minSpan)), () => this.loadVisible());
  }

  key(event) {
    const w = this.scale.width;
    const moves = { ArrowLeft: w / 4, ArrowRight: -w / 4, PageUp: w, PageDown: -w };
    if (event.key in moves) { this.scale.panBy(moves[event.key]); }
    else if (event.key === "+" || event.key === "=") this.scale.zoomAt(w / 2, 1.6);
    else if (event.key === "-") this.scale.zoomAt(w / 2, 1 / 1.6);
    else return;
    event.preventDefault();
    this.render();
    this.loadVisible();
    this.remember();
  }

  zoomBy(factor) {
    const s = this.scale;
    const target = Math.min(s.maxSpan, Math.max(s.minSpan, s.span / factor));
    const mid = s.start + s.span / 2;
    this.animateTo(mid - target / 2, mid + target / 2, null, 0);
  }

  // MARK: Animation

  stopAnimation() {
    if (this.animation) cancelAnimationFrame(this.animation);
    this.animation = 0;
  }

  /** Moves the view to show `from`…`to`, smoothly unless motion is reduced. */
  animateTo(from, to, done, margin = 0.08, duration = 450) {
    this.stopAnimation();
    const s = this.scale;
    const target = new TimeScale(s.min, s.max, s.rtl);
    target.width = s.width;
    target.fit(from, to, margin);
    const start0 = s.start, span0 = s.span;
    const finish = () => {
      s.start = target.start; s.span = target.span; s.clamp();
      this.render(); this.loadVisible(); this.remember();
      done && done();
    };
    if (this.reducedMotion()) { finish(); return; }
    const t0 = performance.now();
    const step = (now) => {
      const k = Math.min(1, (now - t0) / duration);
      const e = k < 0.5 ? 2 * k * k : 1 - Math.pow(-2 * k + 2, 2) / 2;
      // Interpolate the span geometrically so zooming feels even.
      s.span = span0 * Math.pow(target.span / span0, e);
      const mid0 = start0 + span0 / 2, mid1 = target.start + target.span / 2;
      s.start = mid0 + (mid1 - mid0) * e - s.span / 2;
      s.clamp();
      this.render();
      if (k < 1) this.animation = requestAnimationFrame(step);
      else { this.animation = 0; finish(); }
    };
    this.animation = requestAnimationFrame(step);
  }

  /** Centres an event and marks its card (the attract loop, an event just closed). */
  showEvent(id, day, animate = true) {
    const s = this.scale;
    const span = Math.min(s.span, 365 * 2);
    const go = () => { this.feature(id); };
    if (animate) this.animateTo(day - span / 2, day + span / 2, go, 0, 1400);
    else { s.span = span; s.centre(day); this.render(true); this.loadVisible().then(go); go(); }
  }

  feature(id) {
    this.featured = id;
    for (const node of this.cardTrack.querySelectorAll(".featured")) node.classList.remove("featured");
    const card = id && this.cardTrack.querySelector('[data-id="' + CSS.escape(id) + '"]');
    if (card) card.classList.add("featured");
  }
}
