// Idle and attract: after the exhibit's idle timeout without input, a "still there?"
// countdown; then a reset to the default language with everything as a new visitor finds
// it (a fresh page load also undoes any page zoom); then the attract loop until touched.
// Playing audio or video counts as use.

import { el, onPress, pushLayer, popLayer, dialog } from "./panel.js";

const ATTRACT_FLAG = "kt-attract";

/** Seconds from `?idle=N&countdown=N` (for tests and curators' previews) or the page. */
function settings() {
  const params = new URLSearchParams(location.search);
  const body = document.body.dataset;
  const idle = Number(params.get("idle")) || Number(body.idleTimeout) || 120;
  const countdown = Number(params.get("countdown")) || 20;
  if (params.has("idle")) sessionStorage.setItem("kt-idle", idle + "," + countdown);
  const kept = (sessionStorage.getItem("kt-idle") || "").split(",").map(Number);
  return { idle: params.has("idle") ? idle : kept[0] || idle, countdown: params.has("countdown") ? countdown : kept[1] || countdown };
}

export class Idle {
  constructor(fmt) {
    this.fmt = fmt;
    const { idle, countdown } = settings();
    this.idle = idle;
    this.countdownSeconds = countdown;
    this.attractEnabled = document.body.dataset.attractLoop !== "off";
    for (const name of ["pointerdown", "keydown", "wheel"]) {
      window.addEventListener(name, () => { if (!this.paused) this.activity(); }, { capture: true, passive: true });
    }
    this.activity();
  }

  mediaPlaying() {
    return [...document.querySelectorAll("video, audio")].some((m) => !m.paused && !m.ended);
  }

  /** The attract loop is already what an idle screen shows: no countdown over it. */
  pause() {
    clearTimeout(this.timer);
    this.paused = true;
  }

  activity() {
    this.paused = false;
    clearTimeout(this.timer);
    if (this.dialog) this.dismiss();
    this.timer = setTimeout(() => this.fire(), this.idle * 1000);
  }

  fire() {
    if (this.mediaPlaying()) { this.activity(); return; }
    this.showCountdown();
  }

  showCountdown() {
    const t = this.fmt.t;
    const { layer, holder: box } = dialog("idle-dialog", t.still_there || "Still there?", "alertdialog",
      (l) => el("div", "idle-box", l));
    this.dialog = layer;
    const text = el("p", "idle-text", box);
    text.textContent = t.idle_text || "";
    const number = el("p", "idle-number", box);
    number.setAttribute("aria-live", "off");
    const go = el("button", "idle-continue", box);
    go.type = "button";
    go.textContent = t.continue || "Continue";
    onPress(go, () => this.activity());
    let left = this.countdownSeconds;
    const tick = () => {
      if (this.mediaPlaying()) { this.activity(); return; }
      number.textContent = this.fmt.num(left);
      layer.dataset.left = String(left);
      if (left <= 0) { this.reset(); return; }
      left -= 1;
      this.countdown = setTimeout(tick, 1000);
    };
    tick();
    pushLayer(layer);
    go.focus();
  }

  dismiss() {
    clearTimeout(this.countdown);
    popLayer(this.dialog);
    this.dialog.remove();
    this.dialog = null;
  }

  /** Back to the start for the next visitor: a new page load in the default language. */
  reset() {
    clearTimeout(this.countdown);
    const keep = sessionStorage.getItem("kt-idle");
    try { sessionStorage.clear(); } catch (_) {}
    if (keep) sessionStorage.setItem("kt-idle", keep);
    if (this.attractEnabled) sessionStorage.setItem(ATTRACT_FLAG, "1");
    location.replace(document.body.dataset.defaultHome || "/");
  }

  /** True once after a reset asked for the attract loop. */
  static takeAttract() {
    const wanted = sessionStorage.getItem(ATTRACT_FLAG) === "1";
    sessionStorage.removeItem(ATTRACT_FLAG);
    return wanted;
  }
}

/**
 * The attract loop: a slow tour of the highlight events. A full-screen layer takes the
 * first touch, so waking the screen never also opens what is under the finger.
 */
export class Attract {
  constructor(fmt, { tour, stop, reducedMotion }) {
    this.fmt = fmt;
    this.tour = tour; // (index) -> shows highlight number index
    this.stop = stop;
    this.reducedMotion = reducedMotion;
  }

  start(count) {
    if (this.layer) return;
    document.body.classList.add("attract");
    const layer = (this.layer = el("div", "wake", document.body));
    const note = el("p", "wake-note", layer);
    note.textContent = this.fmt.t.attract || "Touch the screen to explore";
    pushLayer(layer);
    let woken = false;
    const wake = (event) => {
      event.preventDefault();
      event.stopPropagation();
      if (woken) return;
      woken = true;
      // Keep the layer until the click that follows this touch has landed on it.
      setTimeout(() => this.end(), 450);
    };
    layer.addEventListener("pointerdown", wake);
    layer.addEventListener("click", (event) => { event.preventDefault(); event.stopPropagation(); this.end(); });
    window.addEventListener("keydown", this.onKey = (event) => { event.preventDefault(); this.end(); }, { capture: true, once: true });
    let index = 0;
    const next = () => {
      if (!this.layer) return;
      if (count > 0) this.tour(index++ % count);
      this.timer = setTimeout(next, this.reducedMotion() ? 10000 : 7000);
    };
    next();
  }

  end() {
    if (!this.layer) return;
    clearTimeout(this.timer);
    window.removeEventListener("keydown", this.onKey, { capture: true });
    popLayer(this.layer);
    this.layer.remove();
    this.layer = null;
    document.body.classList.remove("attract");
    this.stop && this.stop();
  }
}
