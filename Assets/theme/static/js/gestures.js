// Pointer gestures on the axis: drag with inertia, pinch, wheel, tap. Touch, pen and mouse
// arrive as pointer events, so one code path serves them all. A tap is answered when the
// finger lifts (a touch screen's synthesised click can lag or go missing after a
// multi-finger gesture) and the click that follows is swallowed; a click from a keyboard
// still reaches the page. A click that ends a drag or a pinch is swallowed too.

import { swallowNextClick } from "./panel.js";

const TAP_SLOP = 10; // px a finger may wander and still tap
const FRICTION = 0.0025; // per ms: how fast a flick slows down

/**
 * Calls `onPan(dx)`, `onZoom(x, factor)` and `onSettle()` for gestures on `element`.
 * `reducedMotion()` turns inertia off.
 */
export function attachGestures(element, { onPan, onZoom, onSettle, onStart, onTap, reducedMotion }) {
  const pointers = new Map();
  let moved = false;
  let fingers = 0; // most pointers down at once in this gesture
  let pinch = null; // {distance, mid}
  let samples = []; // [time, x] of the last moves, for the flick's speed
  let glide = 0;

  const stopGlide = () => { if (glide) cancelAnimationFrame(glide); glide = 0; };

  function twoFinger() {
    const [a, b] = [...pointers.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), mid: (a.x + b.x) / 2 };
  }

  element.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    stopGlide();
    onStart && onStart();
    if (pointers.size === 0) { moved = false; fingers = 0; }
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY, x0: event.clientX, y0: event.clientY });
    fingers = Math.max(fingers, pointers.size);
    samples = [[event.timeStamp, event.clientX]];
    if (pointers.size === 2) { pinch = twoFinger(); moved = true; }
  });

  element.addEventListener("pointermove", (event) => {
    const p = pointers.get(event.pointerId);
    if (!p) return;
    const dx = event.clientX - p.x;
    p.x = event.clientX;
    p.y = event.clientY;
    if (!moved && Math.hypot(p.x - p.x0, p.y - p.y0) > TAP_SLOP) {
      moved = true;
      // Capture only once a drag starts, so a tap still clicks what it landed on.
      try { element.setPointerCapture(event.pointerId); } catch (_) { /* pointer gone */ }
    }
    if (pointers.size >= 2 && pinch) {
      const now = twoFinger();
      if (now.distance > 0 && pinch.distance > 0) onZoom(now.mid, now.distance / pinch.distance);
      onPan(now.mid - pinch.mid);
      pinch = now;
    } else if (pointers.size === 1 && moved) {
      onPan(dx);
      samples.push([event.timeStamp, event.clientX]);
      while (samples.length > 2 && event.timeStamp - samples[0][0] > 100) samples.shift();
    }
  });

  function release(event) {
    if (!pointers.delete(event.pointerId)) return;
    if (pointers.size === 1) {
      // One finger of a pinch lifted: carry on as a drag from where the other one is.
      pinch = null;
      const [rest] = pointers.values();
      samples = [[event.timeStamp, rest.x]];
      return;
    }
    if (pointers.size > 0) { pinch = twoFinger(); return; }
    pinch = null;
    if (!moved && fingers === 1 && event.type === "pointerup" && onTap) {
      swallowNextClick();
      onTap(event);
      return;
    }
    const first = samples[0], last = samples[samples.length - 1];
    const dt = last && first ? last[0] - first[0] : 0;
    const velocity = dt > 0 && event.timeStamp - last[0] < 60 ? (last[1] - first[1]) / dt : 0; // px per ms
    if (moved && Math.abs(velocity) > 0.2 && !(reducedMotion && reducedMotion())) {
      let v = velocity, then = performance.now();
      const step = (now) => {
        const dt = Math.min(now - then, 32);
        then = now;
        onPan(v * dt);
        v *= Math.exp(-FRICTION * dt * 4);
        glide = Math.abs(v) > 0.02 ? requestAnimationFrame(step) : 0;
        if (!glide) onSettle();
      };
      glide = requestAnimationFrame(step);
    } else {
      onSettle();
    }
  }
  element.addEventListener("pointerup", release);
  element.addEventListener("pointercancel", release);

  // The click that ends a drag or a pinch must not open the card under the finger.
  element.addEventListener("click", (event) => {
    if (moved) { event.preventDefault(); event.stopPropagation(); moved = false; }
  }, true);

  // Wheel: Ctrl+wheel and a trackpad's pinch (which browsers send as Ctrl+wheel) zoom the
  // time scale instead of the page; a plain wheel or a two-finger swipe moves along it.
  element.addEventListener("wheel", (event) => {
    event.preventDefault();
    stopGlide();
    const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
    if (event.ctrlKey) {
      onZoom(event.clientX, Math.exp(-event.deltaY * scale * 0.003));
    } else {
      const delta = Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : event.deltaY;
      onPan(-delta * scale);
    }
    onSettle();
  }, { passive: false });

  element.addEventListener("contextmenu", (event) => event.preventDefault());
}
