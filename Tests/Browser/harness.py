"""Browser harness for Kiosk Timeline: the real server, a headless Chromium, and checks.

Used by the pytest suite (conftest.py, test_*.py) and by measure.py. Nothing here knows
the interface's internals: it drives a page the way a visitor's touch screen would and
reads what any page exposes (the DOM, the performance log, the paint timings).

Environment:
  TIMELINE_BIN_DIR   folder with timeline-server (default: `swift build --show-bin-path`)
  TIMELINE_SNAPSHOT  snapshot to serve (default: build/exhibit.db)
  CHROMIUM           the browser (default: /usr/bin/chromium)
  CHROMEDRIVER       the driver (default: /usr/bin/chromedriver)
  SCREENSHOT_DIR     where screenshots go (default: build/screenshots)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"

# The screens the interface must serve: the Raspberry Pi 7" panel up to a 4K portrait totem.
LAYOUTS = [(800, 480), (1280, 800), (1920, 1080), (1080, 1920), (3840, 2160)]

# Selenium Manager must never go looking for a driver or a browser on the network.
os.environ.setdefault("SE_OFFLINE", "true")


# MARK: - The server


class TimelineServer:
    """The real `timeline-server` binary on 127.0.0.1, port 0, stopped by its PID."""

    def __init__(self, snapshot: Path | None = None, bin_dir: Path | None = None,
                 log_path: Path | None = None, extra_args: list[str] | None = None):
        self.snapshot = Path(snapshot or os.environ.get("TIMELINE_SNAPSHOT") or BUILD / "exhibit.db")
        self.bin_dir = Path(bin_dir or os.environ.get("TIMELINE_BIN_DIR") or swift_bin_dir())
        self.log_path = Path(log_path or BUILD / "browser-server.log")
        self.extra_args = extra_args or []
        self.process: subprocess.Popen | None = None
        self.origin = ""
        self.port = 0
        self._drain: threading.Thread | None = None

    def start(self, timeout: float = 20.0) -> "TimelineServer":
        binary = self.bin_dir / "timeline-server"
        if not binary.exists():
            raise RuntimeError(f"{binary} not found: build first (swift build) or set TIMELINE_BIN_DIR")
        if not self.snapshot.exists():
            raise RuntimeError(f"{self.snapshot} not found: make snapshot, or set TIMELINE_SNAPSHOT")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [str(binary), "--snapshot", str(self.snapshot), "--listen", "127.0.0.1:0", *self.extra_args],
            # The address line is on stdout in today's server (stderr per the brief): read both, merged.
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found: dict[str, str] = {}
        ready = threading.Event()

        def drain() -> None:
            assert self.process and self.process.stdout
            with open(self.log_path, "w") as log:
                for line in self.process.stdout:
                    log.write(line)
                    log.flush()
                    m = re.search(r"listening on (http://\S+?:(\d+))\s*$", line)
                    if m and not ready.is_set():
                        found["origin"], found["port"] = m.group(1), m.group(2)
                        ready.set()
            ready.set()

        self._drain = threading.Thread(target=drain, daemon=True)
        self._drain.start()
        if not ready.wait(timeout) or "origin" not in found:
            self.stop()
            raise RuntimeError(f"timeline-server did not report its address; see {self.log_path}")
        self.origin, self.port = found["origin"], int(found["port"])
        return self

    def stop(self) -> None:
        """SIGTERM by PID, then SIGKILL if it has not exited within 5 s."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._drain:
            self._drain.join(2)

    def url(self, path: str) -> str:
        return self.origin + path

    def get_json(self, path: str):
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return json.load(response)

    def get_text(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def swift_bin_dir() -> Path:
    swift = os.environ.get("SWIFT") or shutil.which("swift") or "/opt/swift/usr/bin/swift"
    out = subprocess.run([swift, "build", "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return Path(out)


# MARK: - The pages to visit, found from the server's own API


@dataclass
class Site:
    """Page URLs per language, taken from /api/exhibit and /api/events (never hard-coded ids)."""

    languages: list[str]
    default_language: str
    dirs: dict[str, str]
    pages: dict[str, dict[str, str]]          # lang -> page kind -> path
    all_pages: dict[str, dict[str, list[str]]]  # lang -> kind -> every path of that kind
    search_words: dict[str, str]

    @classmethod
    def discover(cls, server: TimelineServer) -> "Site":
        exhibit = server.get_json("/api/exhibit")
        events = server.get_json("/api/events")
        if isinstance(events, dict):
            events = events.get("events", [])
        languages = [l["code"] for l in exhibit["languages"]]
        dirs = {l["code"]: l.get("dir", "ltr") for l in exhibit["languages"]}

        def url_of(item: dict, lang: str, kind: str) -> str:
            url = item.get("url")
            if isinstance(url, dict) and url.get(lang):
                return url[lang]
            return f"/{lang}/{kind}/{item['id']}"

        pages: dict[str, dict[str, str]] = {}
        all_pages: dict[str, dict[str, list[str]]] = {}
        words: dict[str, str] = {}
        # A highlight event is the one a visitor is likeliest to open; fall back to the first.
        ordered = sorted(events, key=lambda e: not e.get("highlight"))
        for lang in languages:
            all_pages[lang] = {
                "event": [url_of(e, lang, "events") for e in events],
                "era": [url_of(e, lang, "eras") for e in exhibit.get("eras", [])],
                "place": [url_of(p, lang, "places") for p in exhibit.get("places", [])],
                "person": [url_of(p, lang, "people") for p in exhibit.get("people", [])],
                "theme": [url_of(t, lang, "themes") for t in exhibit.get("themes", [])],
            }
            # The search word: the name of the place most events mention, in this language.
            counts: dict[str, int] = {}
            for e in events:
                for p in e.get("places", []):
                    counts[p] = counts.get(p, 0) + 1
            place_names = {p["id"]: p.get("name", {}).get(lang, "") for p in exhibit.get("places", [])}
            best = max(counts, key=counts.get) if counts else None
            words[lang] = place_names.get(best) or "2003"
            pages[lang] = {
                "home": f"/{lang}/",
                "event": url_of(ordered[0], lang, "events") if ordered else f"/{lang}/",
                "map": f"/{lang}/places/",
                "era": all_pages[lang]["era"][0] if all_pages[lang]["era"] else f"/{lang}/",
                "place": all_pages[lang]["place"][0] if all_pages[lang]["place"] else f"/{lang}/",
                "person": all_pages[lang]["person"][0] if all_pages[lang]["person"] else f"/{lang}/",
                "credits": f"/{lang}/credits",
                "search": "/search?" + urllib.parse.urlencode({"lang": lang, "q": words[lang]}),
            }
        return cls(languages, exhibit.get("default_language", languages[0]), dirs, pages, all_pages, words)


# MARK: - The browser


def chromium_options(javascript: bool = True, size: tuple[int, int] = (1920, 1080),
                     headless: bool = True, extra_args: tuple[str, ...] = ()) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if headless:
        options.add_argument("--headless=new")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    for arg in ("--force-device-scale-factor=1", f"--window-size={size[0]},{size[1]}",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--mute-audio",
                "--lang=en-US", "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--password-store=basic", "--use-mock-keychain",
                # As on the kiosk: no swipe-to-go-back.
                "--overscroll-history-navigation=0", *extra_args):
        options.add_argument(arg)
    # Every request the page makes, for the same-origin check; console errors (CSP reports).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    if not javascript:
        options.add_experimental_option("prefs", {
            "profile.managed_default_content_settings.javascript": 2,
            "webkit.webprefs.javascript_enabled": False,
        })
    return options


class Browser:
    """One headless Chromium through chromedriver, with CDP helpers for viewport and touch."""

    def __init__(self, javascript: bool = True, size: tuple[int, int] = (1920, 1080),
                 touch: bool = True, headless: bool = True, extra_args: tuple[str, ...] = ()):
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"),
                          log_output=str(BUILD / "chromedriver.log"))
        BUILD.mkdir(parents=True, exist_ok=True)
        self.driver = webdriver.Chrome(options=chromium_options(javascript, size, headless, extra_args), service=service)
        self.driver.set_script_timeout(60)
        self.driver.set_page_load_timeout(30)
        self.javascript = javascript
        self.size = size
        self.touch = Touch(self)
        self.set_viewport(*size)
        if touch:
            self.touch.enable()

    # CDP
    def cdp(self, method: str, params: dict | None = None):
        return self.driver.execute_cdp_cmd(method, params or {})

    def quit(self) -> None:
        try:
            self.driver.quit()
        except Exception:
            pass

    @property
    def chromedriver_pid(self) -> int:
        return self.driver.service.process.pid

    # MARK: viewport and screenshots

    def set_viewport(self, width: int, height: int) -> None:
        """An exact CSS viewport (Emulation.setDeviceMetricsOverride), device scale factor 1."""
        self.size = (width, height)
        # The window first, so the compositor's surface is as large as the emulated screen.
        try:
            self.driver.set_window_size(width, height)
        except Exception:
            pass
        self.cdp("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False,
            "screenWidth": width, "screenHeight": height,
            "screenOrientation": {"type": "portraitPrimary" if height > width else "landscapePrimary",
                                  "angle": 0},
        })

    def screenshot(self, name: str, lang: str = "") -> Path:
        """build/screenshots/NAME-LANG-WxH.png of the viewport."""
        directory = Path(os.environ.get("SCREENSHOT_DIR") or BUILD / "screenshots")
        directory.mkdir(parents=True, exist_ok=True)
        w, h = self.size
        path = directory / f"{name}{'-' + lang if lang else ''}-{w}x{h}.png"
        self.driver.save_screenshot(str(path))
        return path

    # MARK: loading

    def load(self, url: str, settle: float = 0.2, network_idle: float = 0.3) -> list["Request"]:
        """Navigate, wait for load, fonts and quiet network; return every request made since."""
        self.performance_events()  # drain what came before
        self.driver.get(url)
        self.wait_ready()
        return self.requests_until_idle(quiet=network_idle, extra=settle)

    def wait_ready(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.driver.execute_script("return document.readyState") == "complete":
                break
            time.sleep(0.05)
        if self.javascript:
            # Fonts in use are loaded, and two frames have been drawn after that.
            self.driver.execute_async_script("""
                const done = arguments[arguments.length - 1];
                const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
                (document.fonts ? document.fonts.ready : Promise.resolve()).then(frames, frames);
            """)

    # MARK: the performance log

    def performance_events(self) -> list[dict]:
        """CDP events from the performance log since the last call (reading drains it)."""
        out = []
        for entry in self.driver.get_log("performance"):
            try:
                out.append(json.loads(entry["message"])["message"])
            except (KeyError, ValueError):
                continue
        return out

    def requests_until_idle(self, quiet: float = 0.3, extra: float = 0.0, timeout: float = 5.0) -> list["Request"]:
        """Collect requests until none is in flight and none started for `quiet` seconds."""
        found: dict[str, Request] = {}
        order: list[Request] = []
        pending: set[str] = set()
        if extra:
            time.sleep(extra)
        last_change = time.monotonic()
        deadline = last_change + timeout
        while time.monotonic() < deadline:
            events = self.performance_events()
            for e in events:
                method, params = e.get("method"), e.get("params", {})
                rid = params.get("requestId", "")
                if method == "Network.requestWillBeSent":
                    request = Request(params["request"]["url"], params.get("type", ""))
                    found[rid] = request  # a redirect reuses the id: the last hop wins
                    order.append(request)
                    pending.add(rid)
                elif method == "Network.responseReceived" and rid in found:
                    found[rid].status = params.get("response", {}).get("status", 0)
                elif method == "Network.loadingFinished":
                    pending.discard(rid)
                elif method == "Network.loadingFailed":
                    pending.discard(rid)
                    if rid in found:
                        found[rid].error = params.get("errorText") or "failed"
                        if params.get("blockedReason"):
                            found[rid].error += f" ({params['blockedReason']})"
            if events:
                last_change = time.monotonic()
            if not pending and time.monotonic() - last_change >= quiet:
                break
            time.sleep(0.05)
        return order

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]


# MARK: - Checks


@dataclass
class Request:
    """One request from the performance log: its URL, resource type, status or error."""

    url: str
    type: str = ""
    status: int = 0
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error) or self.status >= 400


def cross_origin(urls: list[str], origin: str) -> list[str]:
    """Every requested URL that does not have the server's origin (data: and blob: are local)."""
    bad = []
    for url in urls:
        url = getattr(url, "url", url)
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme in ("data", "blob", "about"):
            continue
        parts = urllib.parse.urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            bad.append(url)
    return bad


# A short CSS path for an element: #id where there is one, else tag.class:nth-of-type up the tree.
SELECTOR_JS = r"""
function ktSelector(el) {
  const parts = [];
  for (let n = el; n && n.nodeType === 1 && parts.length < 5; n = n.parentElement) {
    if (n.id) { parts.unshift('#' + CSS.escape(n.id)); break; }
    let part = n.localName;
    const classes = [...n.classList].slice(0, 2).map(c => '.' + CSS.escape(c)).join('');
    part += classes;
    const parent = n.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.localName === n.localName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(n) + 1) + ')';
    }
    parts.unshift(part);
    if (n.localName === 'body') break;
  }
  return parts.join(' > ');
}
"""

# Interactive elements a visitor could reach: shown, not hidden, not inert.
INTERACTIVE_JS = SELECTOR_JS + r"""
function ktInteractive() {
  const query = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], ' +
                '[tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll(query)].map(el => [el, getComputedStyle(el)]).filter(([el, style]) =>
    style.visibility === 'visible' && style.display !== 'none' && !el.closest('[hidden], [inert]'));
}
"""

TARGET_SIZE_JS = INTERACTIVE_JS + r"""
const min = arguments[0];
const html = document.documentElement;
const out = [];
for (const [el, style] of ktInteractive()) {
  if (parseFloat(style.opacity) === 0) continue;
  let r = el.getBoundingClientRect();
  const offCanvas = q => q.bottom + scrollY <= 0 || q.right + scrollX <= 0 || q.left + scrollX >= html.scrollWidth ||
                         q.width <= 1 || q.height <= 1;
  if (offCanvas(r)) {
    // Shown only on focus (a skip link): measure it focused, as a keyboard user sees it.
    const x = scrollX, y = scrollY;
    el.focus({preventScroll: true});
    const focused = document.activeElement === el ? el.getBoundingClientRect() : r;
    el.blur();
    scrollTo(x, y);
    if (offCanvas(focused)) continue;
    r = focused;
  }
  if (r.width < min || r.height < min) {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ');
    out.push({selector: ktSelector(el), width: Math.round(r.width * 10) / 10,
              height: Math.round(r.height * 10) / 10, display: style.display,
              text: text.slice(0, 40)});
  }
}
return out;
"""


def target_size_offenders(browser: Browser, minimum: float = 48) -> list[dict]:
    """Every visible interactive element whose bounding box is under minimum×minimum CSS px."""
    return browser.driver.execute_script(TARGET_SIZE_JS, minimum)


COVERED_JS = INTERACTIVE_JS + r"""
const html = document.documentElement;
const out = [];
for (const [el, style] of ktInteractive()) {
  if (parseFloat(style.opacity) === 0 || style.pointerEvents === 'none') continue;
  const r = el.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) continue;
  // Only what is inside the viewport can be hit-tested: the centre, where a finger aims.
  const [cx, cy] = [r.left + r.width / 2, r.top + r.height / 2];
  if (cx < 0 || cy < 0 || cx >= innerWidth || cy >= innerHeight) continue;
  // Scrolled out of a clipping container: not shown there, so not covered either.
  let clipped = false;
  for (let a = el.parentElement; a && a !== document.body && !clipped; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const q = a.getBoundingClientRect();
    clipped = cx < q.left || cx > q.right || cy < q.top || cy > q.bottom;
  }
  if (clipped) continue;
  const hit = document.elementFromPoint(cx, cy);
  if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) {
    const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ');
    // The layer the covering element belongs to (a child of body) and how much of the screen it takes:
    // a full-screen layer over a page that is not inert is a modal that leaves the page reachable.
    let layer = hit;
    while (layer.parentElement && layer.parentElement !== document.body && layer.parentElement !== html) {
      layer = layer.parentElement;
    }
    const l = layer.getBoundingClientRect();
    const share = Math.max(0, Math.min(l.right, innerWidth) - Math.max(l.left, 0)) *
                  Math.max(0, Math.min(l.bottom, innerHeight) - Math.max(l.top, 0)) / (innerWidth * innerHeight);
    out.push({selector: ktSelector(el), text: text.slice(0, 40), coveredBy: ktSelector(hit),
              layer: ktSelector(layer), layerShare: layer.contains(el) ? 0 : Math.round(share * 100) / 100,
              width: Math.round(r.width), height: Math.round(r.height)});
  }
}
return out;
"""


def covered_targets(browser: Browser) -> list[dict]:
    """Interactive elements in the viewport whose centre another element covers (a tap there misses)."""
    return browser.driver.execute_script(COVERED_JS)


def page_facts(browser: Browser) -> dict:
    """lang, dir, horizontal overflow, title, and which links/forms the page has."""
    return browser.driver.execute_script(r"""
      const html = document.documentElement;
      return {
        lang: html.getAttribute('lang'), dir: html.getAttribute('dir'),
        scrollWidth: html.scrollWidth, clientWidth: html.clientWidth,
        bodyScrollWidth: document.body ? document.body.scrollWidth : 0,
        title: document.title, url: location.href,
      };
    """)


def axe_source() -> str:
    """axe-core 4.x as shipped (a plain file) by the PyPI package axe-playwright-python."""
    import importlib.util
    spec = importlib.util.find_spec("axe_playwright_python")
    if not spec or not spec.submodule_search_locations:
        raise RuntimeError("axe-playwright-python is not installed (make browser-deps)")
    return (Path(list(spec.submodule_search_locations)[0]) / "axe.min.js").read_text()


AXE_RULES = {
    "target-size": {"enabled": True},              # WCAG 2.2 AA 2.5.8 (24 px); ours checks 48
    "color-contrast-enhanced": {"enabled": True},  # AAA 7:1, which issue 7 asks for
}


def run_axe(browser: Browser, rules: dict | None = None) -> list[dict]:
    """axe-core's default rules (WCAG 2.x A/AA and best practice) plus `rules`; the violations.

    Each violation: id, impact, tags, help, and nodes with their target selectors and summary.
    """
    if not browser.driver.execute_script("return !!window.axe"):
        browser.driver.execute_script(axe_source() + "\n;window.axe = window.axe || axe;")
    result = browser.driver.execute_async_script("""
      const done = arguments[arguments.length - 1];
      axe.run(document, {rules: arguments[0], resultTypes: ['violations']})
         .then(r => done({violations: r.violations, version: axe.version}),
               e => done({error: String(e)}));
    """, rules if rules is not None else AXE_RULES)
    if "error" in result:
        raise RuntimeError("axe failed: " + result["error"])
    out = []
    for v in result["violations"]:
        out.append({
            "id": v["id"], "impact": v.get("impact"), "tags": v.get("tags", []), "help": v.get("help"),
            "nodes": [{"target": " ".join(map(str, n.get("target", []))),
                       "summary": (n.get("failureSummary") or "").replace("\n", " ")[:300]}
                      for n in v.get("nodes", [])],
        })
    return out


def format_axe(violations: list[dict], limit: int = 6) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}; {','.join(t for t in v['tags'] if t.startswith('wcag'))}): "
                     f"{v['help']} — {len(v['nodes'])} node(s)")
        for n in v["nodes"][:limit]:
            lines.append(f"      {n['target']}")
        if len(v["nodes"]) > limit:
            lines.append(f"      … {len(v['nodes']) - limit} more")
    return "\n".join(lines)


# MARK: - Touch through CDP


class Touch:
    """Touch gestures through CDP (Input.dispatchTouchEvent), in CSS pixels of the viewport.

    Emulation.setTouchEmulationEnabled makes the page see a touch screen (maxTouchPoints,
    touch events); dispatched touches go through Chromium's input pipeline, so the page
    gets pointer events, touch events and the browser's own gestures (scroll, pinch zoom).
    """

    def __init__(self, browser: Browser):
        self.browser = browser

    def enable(self, points: int = 10) -> None:
        self.browser.cdp("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": points})

    def disable(self) -> None:
        self.browser.cdp("Emulation.setTouchEmulationEnabled", {"enabled": False})

    def _send(self, kind: str, points: list[tuple[float, float]], ids: list[int] | None = None) -> None:
        ids = ids or list(range(len(points)))
        self.browser.cdp("Input.dispatchTouchEvent", {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": i, "radiusX": 5, "radiusY": 5, "force": 1}
                            for (x, y), i in zip(points, ids)],
        })

    @staticmethod
    def _paced(steps: int, duration: float):
        """Yield i = 1..steps at evenly spaced moments over `duration` seconds."""
        start = time.monotonic()
        for i in range(1, steps + 1):
            due = start + duration * i / steps
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            yield i

    def tap(self, x: float, y: float, hold: float = 0.05) -> None:
        self._send("touchStart", [(x, y)])
        time.sleep(hold)
        self._send("touchEnd", [])

    def long_press(self, x: float, y: float, hold: float = 1.0) -> None:
        self._send("touchStart", [(x, y)])
        time.sleep(hold)
        self._send("touchEnd", [])

    def swipe(self, start: tuple[float, float], end: tuple[float, float],
              duration: float = 0.3, steps: int = 18, release: bool = True) -> None:
        (x0, y0), (x1, y1) = start, end
        self._send("touchStart", [(x0, y0)])
        for i in self._paced(steps, duration):
            t = i / steps
            self._send("touchMove", [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)])
        if release:
            self._send("touchEnd", [])

    def timed_swipe(self, start: tuple[float, float], end: tuple[float, float], duration: float = 0.3) -> None:
        """A one-finger swipe paced by the browser itself (Input.synthesizeScrollGesture, touch).

        Each Input.dispatchTouchEvent waits for the renderer (about a frame), so `swipe` cannot
        promise its duration; this one moves at distance/duration px/s whatever the round trips.
        """
        (x0, y0), (x1, y1) = start, end
        distance = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        self.browser.cdp("Input.synthesizeScrollGesture", {
            "x": x0, "y": y0, "xDistance": x1 - x0, "yDistance": y1 - y0,
            "speed": max(1, round(distance / duration)), "gestureSourceType": "touch",
            "preventFling": False,
        })

    def pinch(self, center: tuple[float, float], start_distance: float, end_distance: float,
              steps: int = 20, duration: float = 0.4, angle: float = 0.0) -> None:
        """Two fingers on a line through `center` (at `angle` radians), moving apart or together."""
        import math
        cx, cy = center
        dx, dy = math.cos(angle) / 2, math.sin(angle) / 2

        def points(d: float) -> list[tuple[float, float]]:
            return [(cx - dx * d, cy - dy * d), (cx + dx * d, cy + dy * d)]

        self._send("touchStart", points(start_distance), [0, 1])
        for i in self._paced(steps, duration):
            d = start_distance + (end_distance - start_distance) * i / steps
            self._send("touchMove", points(d), [0, 1])
        self._send("touchEnd", [])


# MARK: - Process memory


def process_tree(root: int) -> list[int]:
    """PIDs of `root` and all its descendants, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def browser_pss_kib(browser: Browser) -> tuple[int, int]:
    """(sum of PSS in KiB, process count) of every Chromium process under the chromedriver."""
    pids = [p for p in process_tree(browser.chromedriver_pid) if p != browser.chromedriver_pid]
    total = 0
    count = 0
    for pid in pids:
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if "chrom" in os.path.basename(exe) and "driver" not in os.path.basename(exe):
            total += pss_kib(pid)
            count += 1
    return total, count
