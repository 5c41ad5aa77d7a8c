"""Measurements of the touch interface in headless Chromium (`make measure-ui`): a report, not a test.

- first contentful paint and time until the first element matching SELECTOR is visible in the
  viewport, at CPU throttle 1×, 4× and 6× (Emulation.setCPUThrottlingRate), cold loads
  (cache disabled), medians of --runs loads;
- the longest task (PerformanceObserver 'longtask', registered before any page script runs)
  during a scripted swipe and during a pinch, at 4×;
- frames dropped during a 300 ms swipe (requestAnimationFrame callbacks against 60 Hz), at 1× and 4×
  (the swipe is paced by the browser, Input.synthesizeScrollGesture; the pinch is two CDP touch points);
- the browser's memory (PSS of every Chromium process under the chromedriver, from
  /proc/PID/smaps_rollup) after 1 minute and after --minutes minutes left in the attract loop (--soak-path).

Environment: the harness's (TIMELINE_BIN_DIR, TIMELINE_SNAPSHOT, CHROMIUM, CHROMEDRIVER), and
MEASURE_MINUTES, MEASURE_SELECTOR, MEASURE_RUNS as defaults for the options.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from harness import BUILD, Browser, TimelineServer, browser_pss_kib  # noqa: E402

FRAME_MS = 1000 / 60

# Runs before any script of the page: long tasks, the first visible SELECTOR, frame counting.
INIT_SCRIPT = r"""
(() => {
  const selector = %s;
  const kt = window.__kt = {firstVisible: null, longtasks: [], frames: [], counting: false, moves: 0};
  addEventListener('pointermove', () => { kt.moves++; }, {capture: true, passive: true});
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) kt.longtasks.push({start: e.startTime, duration: e.duration});
    }).observe({type: 'longtask', buffered: true});
  } catch (e) { kt.longtaskError = String(e); }
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0 || r.bottom <= 0 || r.right <= 0 ||
        r.top >= innerHeight || r.left >= innerWidth) return false;
    const s = getComputedStyle(el);
    return s.visibility === 'visible' && parseFloat(s.opacity) > 0;
  };
  const look = () => {
    if (kt.firstVisible !== null || performance.now() > 30000) return;
    for (const el of document.querySelectorAll(selector)) {
      if (shown(el)) { kt.firstVisible = performance.now(); return; }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  kt.startFrames = () => {
    kt.frames = []; kt.counting = true;
    const tick = t => { if (!kt.counting) return; kt.frames.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  };
  kt.stopFrames = () => { kt.counting = false; return kt.frames; };
})();
"""


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ms(value) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


class Meter:
    def __init__(self, server: TimelineServer, args):
        self.server, self.args = server, args
        self.browser = Browser(javascript=True, touch=True, size=args.viewport)
        self.browser.cdp("Page.enable")
        self.browser.cdp("Page.addScriptToEvaluateOnNewDocument",
                         {"source": INIT_SCRIPT % json.dumps(args.selector)})

    def js(self, script: str, *args):
        return self.browser.driver.execute_script(script, *args)

    def throttle(self, rate: float) -> None:
        self.browser.cdp("Emulation.setCPUThrottlingRate", {"rate": rate})

    def load(self, rate: float, cold: bool = True, wait: float = 10.0, blank: bool = True) -> dict:
        """One load at a throttle rate; FCP and first-visible in ms from navigation start.

        blank: go through about:blank first (a new renderer). Not after a gesture: once the
        timeline page has had a two-finger touch, a tab that went through about:blank gets
        no more CDP touch input (seen with Chromium 156), so gestures reload in place.
        """
        b = self.browser
        self.throttle(1)
        if blank:
            b.driver.get("about:blank")
        b.cdp("Network.setCacheDisabled", {"cacheDisabled": cold})
        self.throttle(rate)
        b.driver.get(self.server.url(self.args.path))
        deadline = time.monotonic() + wait
        result = {}
        while time.monotonic() < deadline:
            result = self.js("""
              const p = performance.getEntriesByName('first-contentful-paint')[0];
              return {fcp: p ? p.startTime : null, visible: window.__kt ? __kt.firstVisible : null};""")
            if result.get("fcp") is not None and result.get("visible") is not None:
                break
            time.sleep(0.05)
        return result

    def timings(self) -> list[dict]:
        rows = []
        for rate in self.args.rates:
            loads = [self.load(rate) for _ in range(self.args.runs)]
            fcp = [l.get("fcp") for l in loads]
            visible = [l.get("visible") for l in loads]
            rows.append({"rate": rate, "fcp": median(fcp), "visible": median(visible),
                         "fcp_all": fcp, "visible_all": visible,
                         "never": sum(v is None for v in visible)})
            never = rows[-1]["never"]
            note = f" (never visible in {never} of {len(loads)} loads)" if never else ""
            print(f"  {rate:g}×: FCP {ms(median(fcp))}, first {self.args.selector} {ms(median(visible))}{note}",
                  file=sys.stderr)
        return rows

    def gesture_point(self) -> tuple[float, float]:
        """Where a visitor would put a finger: the first visible SELECTOR's centre row, mid-screen."""
        w, h = self.args.viewport
        y = self.js(f"""
          for (const el of document.querySelectorAll({json.dumps(self.args.selector)})) {{
            const r = el.getBoundingClientRect();
            if (r.height > 0 && r.top >= 0 && r.bottom <= innerHeight) return r.top + r.height / 2;
          }}
          return null;""")
        return (w / 2, y if y is not None else h / 2)

    def gestures(self, rate: float) -> dict:
        """Longest task during a swipe and during a pinch; frames dropped during a 300 ms swipe."""
        touch = self.browser.touch
        self.load(1, cold=False, blank=False)
        self.throttle(rate)
        time.sleep(1.0)
        w, _ = self.args.viewport
        x, y = self.gesture_point()
        out = {"rate": rate}

        self.js("__kt.longtasks = []; __kt.moves = 0")
        self.js("__kt.startFrames()")
        started = self.js("return performance.now()")
        touch.timed_swipe((x + w * 0.25, y), (x - w * 0.25, y), duration=0.3)
        ended = self.js("return performance.now()")
        frames = self.js("return __kt.stopFrames()")
        time.sleep(1.0)  # inertia, and tasks the swipe queued
        out["swipe_longest"] = max((t["duration"] for t in self.js("return __kt.longtasks")), default=0)
        out["swipe_tasks"] = len(self.js("return __kt.longtasks"))
        out["swipe_moves"] = self.js("return __kt.moves")
        # Frames drawn while the fingers moved: a gap of k frame intervals between two
        # callbacks means k - 1 frames were dropped.
        inside = [t for t in frames if started <= t <= ended + FRAME_MS]
        gaps = [b - a for a, b in zip(inside, inside[1:])]
        out["swipe_ms"] = ended - started
        out["frames_seen"] = len(inside)
        out["frames_expected"] = max(1, round((ended - started) / FRAME_MS))
        out["frames_dropped"] = sum(max(0, round(g / FRAME_MS) - 1) for g in gaps)
        out["longest_gap"] = max(gaps, default=0)

        self.js("__kt.longtasks = []; __kt.moves = 0")
        touch.pinch((x, y), 150, 450, steps=20, duration=0.4)
        time.sleep(1.0)
        touch.pinch((x, y), 450, 150, steps=20, duration=0.4)
        time.sleep(1.0)
        tasks = self.js("return __kt.longtasks")
        out["pinch_longest"] = max((t["duration"] for t in tasks), default=0)
        out["pinch_tasks"] = len(tasks)
        out["pinch_moves"] = self.js("return __kt.moves")
        self.throttle(1)
        return out

    def idle_frames(self) -> dict:
        """rAF callbacks in 1 s of an idle page: tells whether this headless Chromium draws at 60 Hz."""
        self.load(1, cold=False, blank=False)
        self.js("__kt.startFrames()")
        time.sleep(1.0)
        frames = self.js("return __kt.stopFrames()")
        return {"frames_per_second": len(frames)}

    def quit(self):
        self.browser.quit()


def memory(server: TimelineServer, args) -> list[tuple[float, int, int, float | None]]:
    """(minute, PSS KiB, processes, JS heap MiB) at 1 minute and every few minutes up to args.minutes."""
    # Unrounded performance.memory figures for the JS heap column.
    browser = Browser(javascript=True, touch=True, size=args.viewport,
                      extra_args=("--enable-precise-memory-info",))
    samples = []
    try:
        browser.driver.get(server.url(args.soak_path))
        start = time.monotonic()
        marks = sorted({1.0, *[float(m) for m in range(5, int(args.minutes), 5)], float(args.minutes)})
        for minute in marks:
            delay = start + minute * 60 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pss, count = browser_pss_kib(browser)
            heap = browser.driver.execute_script(
                "return performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null")
            samples.append((minute, pss, count, heap))
            print(f"  {minute:g} min: {pss / 1024:.1f} MiB PSS in {count} processes, JS heap "
                  f"{'—' if heap is None else f'{heap:.1f} MiB'}", file=sys.stderr)
    finally:
        browser.quit()
    return samples


def report(args, timings, gestures, idle, samples, snapshot: Path) -> str:
    w, h = args.viewport
    lines = [
        f"Kiosk Timeline interface, measured {time.strftime('%Y-%m-%d %H:%M')} in headless Chromium "
        f"({os.environ.get('CHROMIUM', '/usr/bin/chromium')}), viewport {w}×{h}, page `{args.path}` of "
        f"`{snapshot.name}`; {os.cpu_count()} CPUs. First visible = first element matching "
        f"`{args.selector}` inside the viewport. Cold loads (cache disabled), medians of {args.runs}.",
        "",
        "| CPU throttle | first contentful paint | first visible | all loads (first visible) |",
        "|---:|---:|---:|---|",
    ]
    for row in timings:
        every = ", ".join("never" if v is None else f"{v:.0f}" for v in row["visible_all"])
        lines.append(f"| {row['rate']:g}× | {ms(row['fcp'])} | "
                     f"{ms(row['visible']) if row['never'] < len(row['visible_all']) else 'never'} | {every} |")
    lines += [
        "",
        f"Gestures (idle page draws {idle['frames_per_second']} frames per second here): a swipe of half the "
        "screen's width in 300 ms, paced by the browser (Input.synthesizeScrollGesture, touch; its start and end add a little); a pinch out 150→450 px and back in, 0.4 s each. Long tasks are "
        "those over 50 ms (PerformanceObserver 'longtask').",
        "",
        "| CPU throttle | longest task, swipe | longest task, pinch | swipe took | frames drawn | dropped | longest frame gap | pointermoves (swipe, pinch) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for g in gestures:
        def task(longest, count):
            return "none over 50 ms" if not count else f"{longest:.0f} ms ({count} long)"
        lines.append(f"| {g['rate']:g}× | {task(g['swipe_longest'], g['swipe_tasks'])} | "
                     f"{task(g['pinch_longest'], g['pinch_tasks'])} | "
                     f"{g['swipe_ms']:.0f} ms | {g['frames_seen']} (60 Hz: {g['frames_expected']}) | "
                     f"{g['frames_dropped']} | {g['longest_gap']:.0f} ms | {g['swipe_moves']}, {g['pinch_moves']} |")
    if samples:
        lines += [
            "",
            f"Memory of the browser left on the page (no input), PSS summed over every Chromium process:",
            "",
            "| after | PSS | processes | JS heap |",
            "|---:|---:|---:|---:|",
        ]
        for minute, pss, count, heap in samples:
            lines.append(f"| {minute:g} min | {pss / 1024:.1f} MiB | {count} | "
                         f"{'—' if heap is None else f'{heap:.1f} MiB'} |")
        first, last = samples[0][1], samples[-1][1]
        if first:
            lines.append(f"\nChange from {samples[0][0]:g} to {samples[-1][0]:g} min: "
                         f"{(last - first) / 1024:+.1f} MiB ({(last - first) / first * 100:+.1f}%).")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--selector", default=os.environ.get("MEASURE_SELECTOR", ".axis-card"),
                        help="CSS selector of 'the first event' (default .axis-card)")
    parser.add_argument("--path", default="/", help="page to measure (default /)")
    # A short idle time sends the page through the reset into the attract loop within seconds,
    # where a kiosk spends its nights; the soak measures that.
    parser.add_argument("--soak-path", default="/?idle=2&countdown=2",
                        help="page left open for the memory soak (default: the attract loop)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("MEASURE_RUNS", "5")))
    parser.add_argument("--rates", default="1,4,6", help="CPU throttle rates (default 1,4,6)")
    parser.add_argument("--gesture-rates", default="1,4", help="throttle rates for the gestures (default 1,4)")
    parser.add_argument("--viewport", default="1920x1080")
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("MEASURE_MINUTES", "30")),
                        help="how long to leave the page open for memory (default 30; 0 skips)")
    parser.add_argument("--report", default=str(BUILD / "measure-ui.md"))
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    args.gesture_rates = [float(r) for r in args.gesture_rates.split(",")]
    args.viewport = tuple(int(v) for v in args.viewport.lower().split("x"))

    with TimelineServer() as server:
        print(f"measuring {server.url(args.path)}", file=sys.stderr)
        meter = Meter(server, args)
        try:
            timings = meter.timings()
            idle = meter.idle_frames()
            gestures = [meter.gestures(rate) for rate in args.gesture_rates]
        finally:
            meter.quit()
        samples = memory(server, args) if args.minutes > 0 else []
        text = report(args, timings, gestures, idle, samples, server.snapshot)
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(text)
    print(text)
    print(f"(written to {args.report})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
