"""The kiosk session in a booted Debian 13 (run by Tests/Debian13/boot after boot-checks.py,
inside the container, as root): the package installed with its Recommends (sway,
Chromium), then timeline-kiosk.service itself, made headless by a drop-in (the container
has no screen, no tty1 and no logind seat), checked through sway's IPC and grim
screenshots saved in OUT. One line per check; every wait has a deadline."""
import json, os, re, signal, sys, time, urllib.request

from checklib import finish, note, run, wait

kt, out = sys.argv[1], sys.argv[2]
os.environ["DEBIAN_FRONTEND"] = "noninteractive"
UNIT = "timeline-kiosk.service"
RUNTIME = "/run/timeline-kiosk-session"
CONF = "/etc/timeline-kiosk/kiosk.conf"

# What differs from a kiosk: a headless output instead of the screen, no tty or PAM session
# (so no logind-given XDG_RUNTIME_DIR: a RuntimeDirectory instead), the schedule checked
# every second, and cog's bubblewrap sandbox off (no user namespaces inside this container).
HEADLESS = f"""[Unit]
ConditionPathExists=
ConditionPathExists=/usr/bin/sway
[Service]
PAMName=
TTYPath=
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
StandardInput=null
UtmpIdentifier=
RuntimeDirectory={os.path.basename(RUNTIME)}
Environment=XDG_RUNTIME_DIR={RUNTIME} WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_HEADLESS_OUTPUTS=1
Environment=KIOSK_SCHEDULE_SECONDS=1 WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS=1
"""


def swaymsg(*words):
    socks = [f for f in os.listdir(RUNTIME) if f.startswith("sway-ipc.")] if os.path.isdir(RUNTIME) else []
    if not socks:
        return None
    done = run("swaymsg", "-r", *words, env={"SWAYSOCK": f"{RUNTIME}/{socks[0]}", "PATH": "/usr/bin:/bin"})
    try:
        return json.loads(done.stdout) if done.returncode == 0 else None
    except json.JSONDecodeError:
        return None


def windows():
    """Titles of the views sway shows."""
    found = []

    def walk(node):
        if node.get("app_id") or node.get("pid"):
            found.append(node.get("name") or "")
        for child in node.get("nodes", []) + node.get("floating_nodes", []):
            walk(child)
    tree = swaymsg("-t", "get_tree")
    if tree:
        walk(tree)
    return found


def output():
    outputs = swaymsg("-t", "get_outputs")
    return outputs[0] if outputs else None


def screenshot(name):
    """A grim screenshot once the screen shows something and has settled: a window gets its
    title before its first frame, a blank screen compresses to about 3 KB, and a page draws
    its header before its fonts and cards."""
    path = os.path.join(out, f"kiosk-{name}.png")

    def painted():
        done = run("grim", path, env={"XDG_RUNTIME_DIR": RUNTIME, "WAYLAND_DISPLAY": "wayland-1", "PATH": "/usr/bin:/bin"})
        return done.returncode == 0 and os.path.exists(path) and os.path.getsize(path) > 5_000
    if not wait(painted, 15, 0.5):
        return None
    time.sleep(2)
    return path if painted() else None


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def configure(**settings):
    """Rewrites kiosk.conf from the package's copy with these settings changed."""
    text = open(CONF + ".package").read()
    for name, value in settings.items():
        text = re.sub(rf"(?m)^{name}=.*$", f"{name}={value}", text) if re.search(rf"(?m)^{name}=", text) else text + f"{name}={value}\n"
    open(CONF, "w").write(text)


def restart():
    run("systemctl", "restart", UNIT)
    return wait(lambda: swaymsg("-t", "get_outputs"), 20)


def journal(since):
    return run("journalctl", "-u", UNIT, "--no-pager", "-o", "cat", "--since", since).stdout


def showing(part, seconds):
    return wait(lambda: any(part in title for title in windows()), seconds, 0.25)


try:
    installed = run("apt-get", "install", "-y", "-q", os.path.join(kt, "timeline-kiosk.deb"))
    note(installed.returncode == 0, "apt-get install ./timeline-kiosk.deb (with its Recommends)", installed.stderr.strip()[-300:])
    note(run("getent", "passwd", "timeline-kiosk").returncode == 0
         and run("systemctl", "is-enabled", UNIT).stdout.strip() == "enabled"
         and os.path.exists("/etc/chromium/policies/managed/timeline-kiosk.json"),
         "the package adds the session's user, enables the unit and installs Chromium's policies")
    conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", "timeline-kiosk").stdout
    note(CONF in conffiles, "kiosk.conf is a conffile (an upgrade keeps the technician's edits)", conffiles.strip()[:200])
    verify = run("systemd-analyze", "verify", f"/usr/lib/systemd/system/{UNIT}")
    note(verify.returncode == 0 and not (verify.stdout + verify.stderr).strip(), f"systemd-analyze verify {UNIT}",
         (verify.stdout + verify.stderr).strip()[:300])
    policy = json.load(open("/etc/chromium/policies/managed/timeline-kiosk.json"))
    note(policy.get("URLBlocklist") == ["*"] and policy.get("DeveloperToolsAvailability") == 2, "Chromium's policy parses")

    # Without a console the unit is skipped, not restarted for ever (a server, a container).
    run("systemctl", "start", UNIT)
    note(run("systemctl", "show", "-P", "ConditionResult", UNIT).stdout.strip() == "no"
         and run("systemctl", "is-active", UNIT).stdout.strip() == "inactive",
         "without /dev/tty1 the session is skipped by its condition")

    os.makedirs(f"/run/systemd/system/{UNIT}.d", exist_ok=True)
    open(f"/run/systemd/system/{UNIT}.d/headless.conf", "w").write(HEADLESS)
    os.rename(CONF, CONF + ".package")
    configure(OPEN_HOURS="", MODE="1280x800")
    run("systemctl", "daemon-reload")
    title = re.search(rb"<title>([^<]*)</title>", urllib.request.urlopen("http://127.0.0.1:8080/", timeout=10).read())
    title = title.group(1).decode().split(" · ")[0].split(" – ")[0] if title else "Iraq 2003"
    started = time.time()
    restart()
    shown = showing(title, 45)
    note(bool(shown), "the session starts sway and Chromium on the timeline",
         f"in {time.time() - started:.1f} s, windows {windows()}")
    shot = screenshot("chromium")
    note(bool(shot) and png_size(shot) == (1280, 800), "grim screenshot of the kiosk (build/kiosk/kiosk-chromium.png)",
         str(png_size(shot)) if shot else "no screenshot")
    state = output() or {}
    note(state.get("transform") == "normal" and state.get("power", state.get("dpms")) is True,
         "screen on, not rotated", f"transform {state.get('transform')}, power {state.get('power')}")

    # A crash: the loop starts the browser again, crash state cleared, on the timeline.
    pid = int(open(f"{RUNTIME}/timeline-kiosk/browser.pid").read())
    since = time.strftime("%Y-%m-%d %H:%M:%S")
    os.kill(pid, signal.SIGKILL)
    again = wait(lambda: (p := open(f"{RUNTIME}/timeline-kiosk/browser.pid").read().strip()) != str(pid) and p, 15)
    back = again and showing(title, 30)
    note(bool(back) and "exited with status 137" in journal(since), "a killed browser is started again on the timeline",
         f"pid {pid} -> {again}")

    # The starting page while the server is down, and the timeline once it answers. Masked,
    # or the session's Wants= would start the socket again.
    run("systemctl", "mask", "--runtime", "--now", "timeline-server.socket", "timeline-server.service")
    restart()
    waiting = showing("Starting", 30)
    shot = screenshot("starting") if waiting else None
    run("systemctl", "unmask", "--runtime", "timeline-server.socket", "timeline-server.service")
    run("systemctl", "start", "timeline-server.socket")
    note(bool(waiting) and bool(shot) and bool(showing(title, 20)), "\"Starting…\" until /healthz answers, then the timeline",
         f"windows {windows()}")

    # Rotation: the output turns, and the screenshot with it.
    configure(OPEN_HOURS="", MODE="1280x800@60", ROTATION="90")
    restart()
    turned = wait(lambda: (output() or {}).get("transform") == "90" and showing(title, 1), 30)
    shot = screenshot("rotated")
    note(bool(turned) and bool(shot) and png_size(shot) == (800, 1280), "ROTATION=90 and MODE=1280x800@60 turn the output (800×1280 screenshot)",
         f"transform {(output() or {}).get('transform')}, {png_size(shot) if shot else 'no screenshot'}")

    # Opening hours that exclude now turn the screen off; always-open turns it back on.
    now = time.localtime()
    closed = "00:00-00:01" if now.tm_hour >= 1 else "22:00-23:00"
    configure(MODE="1280x800", OPEN_HOURS=closed)
    restart()
    off = wait(lambda: (output() or {}).get("power") is False, 15)
    note(bool(off), f"OPEN_HOURS={closed} turns the screen off now", str((output() or {}).get("power")))

    # Mistakes in kiosk.conf: one line each, and the timeline still shows with the defaults.
    configure(MODE="1280x800", OPEN_HOURS="", ROTATION="45", COLOUR="red")
    since = time.strftime("%Y-%m-%d %H:%M:%S")
    restart()
    said = journal(since)
    note("kiosk.conf:" in said and "error: ROTATION must be 0, 90, 180 or 270, found '45'" in said
         and "error: unknown setting COLOUR" in said and bool(showing(title, 30))
         and (output() or {}).get("transform") == "normal",
         "a bad line in kiosk.conf is reported with its line number and the setting keeps its default",
         " | ".join(l for l in said.splitlines() if "kiosk.conf:" in l)[:300])

    # The nightly restart, set to the next minute: the browser is ended and started again.
    at = time.strftime("%H:%M", time.localtime(time.time() + 60))
    configure(MODE="1280x800", OPEN_HOURS="", RESTART_AT=at)
    restart()
    showing(title, 30)
    pid = open(f"{RUNTIME}/timeline-kiosk/browser.pid").read().strip()
    since = time.strftime("%Y-%m-%d %H:%M:%S")
    again = wait(lambda: "nightly browser restart" in journal(since)
                 and open(f"{RUNTIME}/timeline-kiosk/browser.pid").read().strip() != pid, 80, 1)
    note(bool(again) and bool(showing(title, 30)), f"RESTART_AT={at} restarts the browser when the clock passes it",
         " | ".join(l for l in journal(since).splitlines() if "schedule:" in l or "browser:" in l)[:200])

    # cog, the other browser.
    configure(MODE="1280x800", OPEN_HOURS="", BROWSER="cog")
    since = time.strftime("%Y-%m-%d %H:%M:%S")
    restart()
    loaded = wait(lambda: "<http://127.0.0.1:8080/> Loaded successfully" in journal(since), 45, 0.5)
    time.sleep(2)
    shot = screenshot("cog")
    note(bool(loaded) and bool(shot), "BROWSER=cog shows the timeline in cog (build/kiosk/kiosk-cog.png)")

    stopped = run("systemctl", "stop", UNIT)
    left = wait(lambda: run("pgrep", "-u", "timeline-kiosk").returncode == 1, 10)
    note(stopped.returncode == 0 and bool(left) and not os.path.exists(RUNTIME),
         "systemctl stop ends every process of the session and removes its runtime folder",
         run("pgrep", "-a", "-u", "timeline-kiosk").stdout[:200])
except Exception as error:  # a check that cannot even run is a failure, with its reason
    note(False, "kiosk checks ran to the end", repr(error))

finish(out, "kiosk", [UNIT])
