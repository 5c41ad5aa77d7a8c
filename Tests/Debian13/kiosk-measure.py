"""Chromium against cog in the kiosk session: which browser the kiosk runs by default.

Run as root inside a Debian 13 root where the package is installed (Tests/Debian13/run
measure-kiosk does that); prints a Markdown report and saves screenshots in OUT. Both
browsers get the same headless sway output, the same timeline and the same checks:

  memory   the installed session as it runs on a kiosk (session → sway → browser loop),
           the timeline left alone until its attract loop runs: PSS of every browser
           process, of sway and of the server, 1 minute into the attract loop and again
           after MINUTES (proportional set size: shared pages split among the processes
           that map them, so the sum is what the browser really costs)
  speed    through each browser's own WebDriver (chromedriver, WPEWebDriver), W3C actions
           only: the first event card visible after navigation, and the frames drawn
           during a 300 ms touch swipe along the axis
  layout   no two event cards overlap on the first screen; the swipe moves the axis

Usage: kiosk-measure.py OUT [--minutes N] [--browsers chromium,cog] [--mode WxH]
"""
import argparse, json, os, pwd, shutil, signal, socket, statistics, subprocess, sys, time, urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Browser"))
from harness import pss_kib  # noqa: E402  (the browser tests' own PSS reader)

USER = "timeline-kiosk"
LIBEXEC = Path("/usr/libexec/timeline-kiosk")
URL = "http://127.0.0.1:8080/"
FRAME_MS = 1000 / 60

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--minutes", type=float, default=30)
parser.add_argument("--browsers", default="chromium,cog")
parser.add_argument("--mode", default="1920x1080")
parser.add_argument("--runs", type=int, default=5)
args = parser.parse_args()
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
kiosk = pwd.getpwnam(USER)
width, height = map(int, args.mode.split("x"))


def log(*words):
    print(*words, file=sys.stderr, flush=True)


def as_kiosk(env, *command):
    """COMMAND as the kiosk user with exactly ENV."""
    return ["setpriv", f"--reuid={kiosk.pw_uid}", f"--regid={kiosk.pw_gid}", "--init-groups",
            "env", "-i", *(f"{k}={v}" for k, v in env.items()), *command]


def processes(uid):
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    yield int(entry), open(f"/proc/{entry}/comm").read().strip()
            except OSError:
                pass


def memory(server_pid):
    """PSS in MiB: the browser's processes, sway, the session's shell scripts, the server."""
    parts = {"browser": 0, "sway": 0, "scripts": 0, "processes": 0}
    for pid, comm in processes(kiosk.pw_uid):
        kind = "sway" if comm == "sway" else "scripts" if comm in ("bash", "sh", "sleep", "swaymsg") else "browser"
        parts[kind] += pss_kib(pid)
        parts["processes"] += kind == "browser"
    parts["server"] = pss_kib(server_pid)
    return {k: (v / 1024 if k != "processes" else v) for k, v in parts.items()}


class Session:
    """A sway on a headless output, as the kiosk user, with its own runtime folder."""

    def __init__(self, name, command, env=None):
        self.runtime = Path(f"/run/kiosk-measure-{name}")
        shutil.rmtree(self.runtime, ignore_errors=True)
        self.runtime.mkdir(mode=0o700)
        os.chown(self.runtime, kiosk.pw_uid, kiosk.pw_gid)
        self.env = {"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": str(self.runtime), "WLR_BACKENDS": "headless",
                    "WLR_RENDERER": "pixman", "WLR_HEADLESS_OUTPUTS": "1", "LANG": "C.UTF-8", **(env or {})}
        self.log = open(out / f"{name}.log", "w")
        self.process = subprocess.Popen(as_kiosk(self.env, *command), stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline and not list(self.runtime.glob("sway-ipc.*.sock")):
            time.sleep(0.1)
        if not list(self.runtime.glob("sway-ipc.*.sock")):
            raise RuntimeError(f"sway did not start: see {out / name}.log")
        self.started = time.time()

    def screenshot(self, path):
        subprocess.run(["grim", str(path)], env={**self.env, "WAYLAND_DISPLAY": "wayland-1"}, check=False)

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # What the browsers left running under the user (crash handlers, zygotes).
        for pid, _ in processes(kiosk.pw_uid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(1)


def measure_memory(browser, server_pid):
    """The installed session, as on a kiosk, with the attract loop after 10 s + 20 s idle."""
    conf = Path(f"/run/kiosk-measure-{browser}.conf")
    conf.write_text(f"URL={URL}\nBROWSER={browser}\nMODE={args.mode}\nOPEN_HOURS=\nIDLE_TIMEOUT=10\nRESTART_AT=\n")
    session = Session(f"session-{browser}", [str(LIBEXEC / "session")],
                      {"KIOSK_CONF": str(conf), **({"WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS": "1"} if browser == "cog" else {})})
    samples = []
    attract_at = 30
    try:
        for label, at in (("1 min", attract_at + 60), (f"{args.minutes:g} min", attract_at + args.minutes * 60)):
            time.sleep(max(0, at - (time.time() - session.started)))
            sample = memory(server_pid)
            sample["label"] = label
            samples.append(sample)
            session.screenshot(out / f"kiosk-{browser}-{label.replace(' ', '')}.png")
            log(f"{browser} {label}: browser {sample['browser']:.0f} MiB in {sample['processes']} processes, "
                f"sway {sample['sway']:.1f}, server {sample['server']:.1f}")
    finally:
        session.stop()
    return samples


def driver_for(browser, port, env):
    from selenium import webdriver
    from selenium.webdriver.common.options import ArgOptions
    conf = Path(env["XDG_RUNTIME_DIR"]) / "print.conf"
    conf.write_text(f"BROWSER={browser}\n")
    command = subprocess.run([str(LIBEXEC / "browser"), "--print-command"], env={**env, "KIOSK_CONF": str(conf)},
                             capture_output=True, text=True, check=True).stdout.split("\n")
    flags = [f for f in command[1:-2] if f and not f.startswith("--user-data-dir")]  # not the binary, not the page
    driver = subprocess.Popen(as_kiosk(env, "chromedriver" if browser == "chromium" else "WPEWebDriver", f"--port={port}"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    if browser == "chromium":
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in flags:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={env['XDG_RUNTIME_DIR']}/profile")
    else:
        options = ArgOptions()
        options.set_capability("wpe:browserOptions", {"binary": "/usr/bin/cog", "args": ["--automation", *flags]})
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return driver, webdriver.Remote(f"http://127.0.0.1:{port}", options=options)


VISIBLE_CARD = """
for (const el of document.querySelectorAll('.axis-card')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth)
    return [r.left + r.width / 2, r.top + r.height / 2];
}
return null;"""

OVERLAPS = """
const rects = [...document.querySelectorAll('.axis-card')].map(e => e.getBoundingClientRect())
  .filter(r => r.width > 0 && r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight);
let pairs = 0;
for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
  const a = rects[i], b = rects[j];
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  if (w > 2 && h > 2) pairs++;
}
return [rects.length, pairs];"""


def swipe_once(driver, kind, ActionBuilder, PointerInput):
    """Frames drawn while one finger (or the mouse) drags the axis by half the screen in 300 ms."""
    y = min(max(driver.execute_script(VISIBLE_CARD)[1], 100), height - 100)
    driver.execute_script("""
      const kt = window.__kt = {frames: [], moves: 0, counting: true};
      addEventListener('pointermove', () => kt.moves++, {capture: true, passive: true});
      const tick = t => { if (kt.counting) { kt.frames.push(t); requestAnimationFrame(tick); } };
      requestAnimationFrame(tick);
      kt.before = document.querySelector('.axis-card').getBoundingClientRect().left;""")
    begun = driver.execute_script("return performance.now()")
    actions = ActionBuilder(driver, mouse=PointerInput(kind, kind))
    finger = actions.pointer_action
    start_x, end_x, steps = width * 0.75, width * 0.25, 20
    finger.move_to_location(int(start_x), int(y)).pointer_down()
    for i in range(1, steps + 1):
        finger.source.create_pointer_move(duration=15, x=int(start_x + (end_x - start_x) * i / steps), y=int(y),
                                          origin="viewport")
    finger.pointer_up()
    actions.perform()
    ended = driver.execute_script("return performance.now()")
    time.sleep(0.5)
    frames, moves, before, after = driver.execute_script(
        "__kt.counting = false; return [__kt.frames, __kt.moves, __kt.before, "
        "document.querySelector('.axis-card').getBoundingClientRect().left]")
    inside = [t for t in frames if begun <= t <= ended + FRAME_MS]
    gaps = [b - a for a, b in zip(inside, inside[1:])]
    return dict(swipe_ms=ended - begun, pointer_moves=moves, axis_moved_px=before - after,
                frames_seen=len(inside), frames_expected=max(1, round((ended - begun) / FRAME_MS)),
                frames_dropped=sum(max(0, round(g / FRAME_MS) - 1) for g in gaps),
                longest_gap_ms=max(gaps, default=0))


def measure_speed(browser):
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.actions import interaction
    config = Path(f"/run/kiosk-measure-{browser}-sway.conf")
    config.write_text(f'xwayland disable\nswaybg_command -\noutput * mode {args.mode}\n'
                      'for_window [app_id=".*"] fullscreen enable\n')
    session = Session(f"driver-{browser}", ["sway", "--config", str(config)])
    # The kiosk's policy turns DevTools off, which is how chromedriver drives Chromium: set
    # aside while the driver runs (Chromium reads every file in that folder, whatever its
    # name); the memory runs below have it.
    policy, aside = Path("/etc/chromium/policies/managed/timeline-kiosk.json"), Path("/run/kiosk-measure-policy.json")
    if policy.exists():
        shutil.move(policy, aside)
    env = {**session.env, "WAYLAND_DISPLAY": "wayland-1", "HOME": str(session.runtime),
           **({"WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS": "1"} if browser == "cog" else {})}
    driver_process, driver = driver_for(browser, 4444 if browser == "chromium" else 4445, env)
    result = {}
    try:
        firsts = []
        for _ in range(args.runs):
            driver.get("about:blank")
            started = time.perf_counter()
            driver.execute_script("location.href = arguments[0]", URL)
            while time.perf_counter() - started < 20:
                try:
                    if driver.execute_script(VISIBLE_CARD):
                        break
                except Exception:
                    pass  # the old document went away mid-call
                time.sleep(0.005)
            firsts.append((time.perf_counter() - started) * 1000)
        result["first_card_ms"] = statistics.median(firsts)
        time.sleep(1)
        result["cards"], result["overlapping_pairs"] = driver.execute_script(OVERLAPS)
        session.screenshot(out / f"driver-{browser}.png")

        # A touch swipe; WPEWebDriver's touch actions may not reach the page as pointer
        # events, and then the same swipe with the mouse says how smoothly the page follows.
        for kind in (interaction.POINTER_TOUCH, interaction.POINTER_MOUSE):
            swipe = swipe_once(driver, kind, ActionBuilder, PointerInput)
            if swipe["pointer_moves"]:
                result.update(swipe, input=kind)
                break
        else:
            result.update(swipe, input="none reached the page")
    finally:
        try:
            driver.quit()
        except Exception:
            pass
        driver_process.terminate()
        session.stop()
        if aside.exists():
            shutil.move(aside, policy)
    log(f"{browser}: {json.dumps(result)}")
    return result


server = subprocess.Popen(["/usr/bin/timeline-server", "--snapshot", "/usr/share/timeline-kiosk/default.db",
                           "--listen", "127.0.0.1:8080"], stdout=subprocess.DEVNULL, stderr=open(out / "server.log", "w"))
try:
    for _ in range(100):
        try:
            urllib.request.urlopen(URL + "healthz", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    browsers = args.browsers.split(",")
    speed = {b: measure_speed(b) for b in browsers}
    mem = {b: measure_memory(b, server.pid) for b in browsers}
finally:
    server.terminate()
    server.wait()

versions = {
    "chromium": subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[-1:],
    "cog": subprocess.run(["cog", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[:1],
    "sway": subprocess.run(["sway", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[:1],
}
print(f"## Kiosk browsers, {args.mode} headless sway ({', '.join(v[0] for v in versions.values() if v)})\n")
print("| | " + " | ".join(browsers) + " |")
print("|---|" + "---|" * len(browsers))
rows = [("browser PSS, 1 min of attract loop", lambda b: f"{mem[b][0]['browser']:.0f} MiB ({mem[b][0]['processes']} processes)"),
        (f"browser PSS, {args.minutes:g} min", lambda b: f"{mem[b][-1]['browser']:.0f} MiB"),
        ("sway PSS", lambda b: f"{mem[b][-1]['sway']:.1f} MiB"),
        ("server PSS", lambda b: f"{mem[b][-1]['server']:.1f} MiB"),
        ("whole kiosk (browser + sway + scripts + server)",
         lambda b: f"{sum(mem[b][-1][k] for k in ('browser', 'sway', 'scripts', 'server')):.0f} MiB"),
        (f"first event card visible (median of {args.runs})", lambda b: f"{speed[b]['first_card_ms']:.0f} ms"),
        ("swipe: frames drawn / expected, dropped", lambda b: f"{speed[b]['frames_seen']} / {speed[b]['frames_expected']}, {speed[b]['frames_dropped']}"),
        ("swipe: longest frame gap", lambda b: f"{speed[b]['longest_gap_ms']:.0f} ms"),
        ("swipe: input, pointer moves seen, axis moved",
         lambda b: f"{speed[b]['input']}, {speed[b]['pointer_moves']}, {speed[b]['axis_moved_px']:.0f} px"),
        ("cards on the first screen, overlapping pairs", lambda b: f"{speed[b]['cards']}, {speed[b]['overlapping_pairs']}")]
for name, cell in rows:
    print(f"| {name} | " + " | ".join(cell(b) for b in browsers) + " |")
