// The places map as a touch target: pins that would overlap merge into one pin with a
// count, every pin keeps a visible name and an accessible one, and a pin lists its events
// (taken from the place's own page, rendered at build time).

import { el, onPress, openPanel } from "../panel.js";

const TARGET = 48; // px: the smallest touch target

export function mapPage(fmt) {
  for (const frame of document.querySelectorAll(".map-frame")) enhance(frame, fmt);
}

function enhance(frame, fmt) {
  const pins = [...frame.querySelectorAll("a.pin")];
  for (const pin of pins) {
    const name = pin.querySelector(".label").textContent;
    pin.setAttribute("aria-label", name);
    pin.addEventListener("click", (event) => { event.preventDefault(); showPlace(pin.href, name, fmt); });
  }
  const layout = () => cluster(frame, pins, fmt);
  const image = frame.querySelector("img");
  if (image && !image.complete) image.addEventListener("load", layout, { once: true });
  new ResizeObserver(layout).observe(frame);
  layout();
}

/** Where a pin points (its centre), in the frame's pixels. */
function anchor(pin, box) {
  const r = pin.getBoundingClientRect();
  return { x: r.left - box.left + r.width / 2, y: r.top - box.top + r.height / 2 };
}

const SIDES = ["at-right", "at-left", "at-below", "at-above"];

/**
 * Merges pins that would overlap into one, then places every name where it covers no pin.
 * When some name cannot avoid a pin, the pins merge from further apart and it starts again.
 */
function cluster(frame, pins, fmt) {
  for (let reach = TARGET, round = 0; round < 8; reach *= 1.3, round++) {
    if (layout(frame, pins, fmt, reach)) return;
  }
}

function layout(frame, pins, fmt, reach) {
  for (const old of frame.querySelectorAll(".pin-cluster")) old.remove();
  for (const pin of pins) pin.classList.remove("clustered", ...SIDES);
  const box = frame.getBoundingClientRect();
  if (!box.width) return true;
  // Merge the two closest groups until every pair is `reach` apart: a merged group sits at
  // its pins' centre, which can bring it near a third, so this runs to a fixed point.
  let groups = pins.map((pin) => ({ ...anchor(pin, box), pins: [pin] }));
  for (;;) {
    let best = null;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const d = Math.hypot(groups[i].x - groups[j].x, groups[i].y - groups[j].y);
        if (d < reach && (!best || d < best[2])) best = [i, j, d];
      }
    }
    if (!best) break;
    const [a, b] = [groups[best[0]], groups[best[1]]];
    const n = a.pins.length + b.pins.length;
    const merged = { x: (a.x * a.pins.length + b.x * b.pins.length) / n, y: (a.y * a.pins.length + b.y * b.pins.length) / n,
      pins: a.pins.concat(b.pins) };
    groups = groups.filter((g) => g !== a && g !== b).concat([merged]);
  }
  for (const group of groups) {
    if (group.pins.length < 2) continue;
    const names = group.pins.map((p) => p.querySelector(".label").textContent);
    const button = el("button", "pin pin-cluster", frame);
    button.type = "button";
    button.style.left = group.x + "px";
    button.style.top = group.y + "px";
    const label = el("span", "label", button);
    label.textContent = names.length > 2 ? names[0] + " +" + fmt.num(names.length - 1) : names.join(" · ");
    button.setAttribute("aria-label", names.join(", "));
    onPress(button, () => {
      const { body } = openPanel(names.join(", "), fmt.t.close || "Close");
      const ul = el("ul", "panel-list", body);
      for (const pin of group.pins) {
        const a = el("a", "tool", el("li", "", ul));
        a.href = pin.href;
        a.textContent = pin.querySelector(".label").textContent;
        a.addEventListener("click", (event) => { event.preventDefault(); showPlace(pin.href, a.textContent, fmt); });
      }
    });
    for (const pin of group.pins) pin.classList.add("clustered");
  }
  // Each name goes on the first side where it covers nothing already placed (pins first,
  // then names), else where it covers least; a name over a pin sends us round again.
  const shown = [...frame.querySelectorAll(".pin:not(.clustered)")];
  const circles = shown.map((p) => p.getBoundingClientRect());
  const names = [];
  const area = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
    Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const inside = (r) => r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
  let clear = true;
  shown.forEach((pin, index) => {
    const label = pin.querySelector(".label");
    let best = null;
    for (const side of SIDES) {
      for (const s of SIDES) pin.classList.remove(s);
      pin.classList.add(side);
      const r = label.getBoundingClientRect();
      const onPins = circles.reduce((sum, c, i) => sum + (i === index ? 0 : area(r, c)), 0);
      const cost = onPins * 100 + names.reduce((sum, t) => sum + area(r, t), 0) + (inside(r) ? 0 : r.width * r.height / 4);
      if (!best || cost < best.cost) best = { side, cost, onPins, r };
      if (cost === 0) break;
    }
    for (const s of SIDES) pin.classList.remove(s);
    pin.classList.add(best.side);
    names.push(best.r);
    if (best.onPins > 0) clear = false;
  });
  return clear;
}

/** The events at a place, from its page. */
async function showPlace(url, name, fmt) {
  const { body } = openPanel(name, fmt.t.close || "Close", "place-panel");
  const note = el("p", "", body);
  note.textContent = fmt.t.loading || "…";
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const cards = [...page.querySelectorAll("article.place .card")];
    note.textContent = fmt.count(cards.length);
    for (const card of cards) body.appendChild(document.adoptNode(card));
  } catch (error) {
    location.href = url;
  }
}
