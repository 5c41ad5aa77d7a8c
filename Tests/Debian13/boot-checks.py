"""Checks the server's units in a booted Debian 13 (run by Tests/Debian13/boot, inside the
container, as root). Each check prints one line, ok or FAIL with why; the exit status file
says whether all passed. Bounded: every wait has a deadline."""
import json, os, shutil, subprocess, sys, threading, time, urllib.request

kt, out = sys.argv[1], sys.argv[2]
PORT = 18089
BASE = f"http://127.0.0.1:{PORT}"
lines, failures = [], []


def note(ok, name, detail=""):
    lines.append(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not ok:
        failures.append(name)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def show(prop, unit="timeline-server.service"):
    return run("systemctl", "show", "-P", prop, unit).stdout.strip()


def get(path, timeout=3):
    with urllib.request.urlopen(BASE + path, timeout=timeout) as response:
        return response.status, response.read()


def health():
    try:
        status, body = get("/healthz")
        return json.loads(body) if status == 200 else None
    except Exception:
        return None


def wait(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return None


def install_snapshot(name):
    """What the update command does, by hand: copy beside, then rename into place."""
    shutil.copy(os.path.join(kt, name), "/var/lib/timeline-kiosk/.incoming.db")
    os.chmod("/var/lib/timeline-kiosk/.incoming.db", 0o644)
    os.rename("/var/lib/timeline-kiosk/.incoming.db", "/var/lib/timeline-kiosk/current.db")


def content_hash(name):
    return run("/usr/bin/timeline-server", "--check", "--snapshot", os.path.join(kt, name)).stdout.split("content hash ")[-1].strip()


try:
    # The units as shipped, and a drop-in that moves the socket off 8080 for the test.
    for unit in ("timeline-server.socket", "timeline-server.service"):
        shutil.copy(os.path.join(kt, unit), "/etc/systemd/system/" + unit)
    os.makedirs("/etc/systemd/system/timeline-server.socket.d", exist_ok=True)
    with open("/etc/systemd/system/timeline-server.socket.d/port.conf", "w") as f:
        f.write(f"[Socket]\nListenStream=\nListenStream=127.0.0.1:{PORT}\n")
    run("systemctl", "daemon-reload")

    verify = run("systemd-analyze", "verify", "/etc/systemd/system/timeline-server.socket",
                 "/etc/systemd/system/timeline-server.service")
    note(verify.returncode == 0 and not (verify.stdout + verify.stderr).strip(), "systemd-analyze verify",
         (verify.stdout + verify.stderr).strip()[:300])
    security = run("systemd-analyze", "security", "--no-pager", "timeline-server.service").stdout
    level = [l for l in security.splitlines() if "Overall exposure level" in l]
    score = float(level[0].split(":")[1].split()[0]) if level else 99.0
    note(score <= 0.5, "exposure level at most 0.5", f"{score}")

    os.makedirs("/var/lib/timeline-kiosk", exist_ok=True)
    install_snapshot("a.db")
    a, b = content_hash("a.db"), content_hash("b.db")

    started = run("systemctl", "start", "timeline-server.socket")
    note(started.returncode == 0, "socket starts", started.stderr.strip())
    note(show("ActiveState") == "inactive", "no server before the first connection", show("ActiveState"))
    first = wait(health, 10)
    note(bool(first) and first.get("content_hash") == a, "the first request starts the server and is answered",
         str(first)[:200])
    note(show("ActiveState") == "active" and show("Type") == "notify", "service active, Type=notify (READY=1 seen)",
         show("ActiveState"))
    note("serving" in show("StatusText").lower(), "STATUS= reaches systemd", show("StatusText"))
    user = run("ps", "-o", "user=", "-p", show("MainPID")).stdout.strip()
    note(user not in ("", "root"), "runs as a dynamic user, not root", user)

    # A hung server (SIGSTOP: no heartbeat) is killed by the watchdog and started again.
    pid = show("MainPID")
    os.kill(int(pid), 19)
    restarted = wait(lambda: show("MainPID") not in ("0", pid) and int(show("NRestarts") or 0) >= 1 and health(), 30)
    note(bool(restarted), "watchdog restarts a stopped server", f"NRestarts={show('NRestarts')} Result={show('Result')}")
    journal = run("journalctl", "-u", "timeline-server.service", "--no-pager", "-o", "cat").stdout
    note("watchdog" in journal.lower(), "the journal says why", "")

    # A new snapshot under load: renamed into place, reloaded, no request fails.
    counts = {"ok": 0, "failed": 0}
    stop = threading.Event()

    def load():
        while not stop.is_set():
            for path in ("/healthz", "/en/", "/api/events"):
                try:
                    status, _ = get(path, timeout=5)
                    counts["ok" if status == 200 else "failed"] += 1
                except Exception:
                    counts["failed"] += 1

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1)
    install_snapshot("b.db")
    reload = run("systemctl", "reload", "timeline-server.service")
    after = health()
    time.sleep(1)
    install_snapshot("cut.db")
    refused = run("systemctl", "reload", "timeline-server.service")
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join()
    note(reload.returncode == 0 and after and after.get("content_hash") == b, "reload serves the new snapshot",
         f"{reload.stderr.strip()} {str(after)[:120]}")
    still = health()
    journal = run("journalctl", "-u", "timeline-server.service", "--no-pager", "-o", "cat").stdout
    note(still and still.get("content_hash") == b and "reload refused" in journal,
         "a damaged snapshot is refused and the old one keeps serving", str(still)[:120])
    note(counts["failed"] == 0 and counts["ok"] > 100, "no request fails across both reloads", str(counts))

    stopped = run("systemctl", "stop", "timeline-server.service", "timeline-server.socket")
    note(stopped.returncode == 0 and show("Result") == "success", "systemctl stop is clean",
         f"Result={show('Result')} ExecMainStatus={show('ExecMainStatus')}")
except Exception as error:  # a check that cannot even run is a failure, with its reason
    note(False, "checks ran to the end", repr(error))

with open(os.path.join(out, "report"), "w") as f:
    f.write("\n".join(lines) + "\n")
with open(os.path.join(out, "status"), "w") as f:
    f.write("1" if failures else "0")
