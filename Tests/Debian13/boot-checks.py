"""Installs the package and checks it in a booted Debian 13 (run by Tests/Debian13/boot,
inside the container, as root). Each check prints one line, ok or FAIL with why; the exit status file
says whether all passed. Bounded: every wait has a deadline."""
import json, os, shutil, sys, threading, time, urllib.request

from checklib import finish, note, run, wait

kt, out = sys.argv[1], sys.argv[2]
os.environ["DEBIAN_FRONTEND"] = "noninteractive"
PORT = 8080
BASE = f"http://127.0.0.1:{PORT}"


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


def install_snapshot(name):
    """What the update command does, by hand: copy beside, then rename into place."""
    shutil.copy(os.path.join(kt, name) if not name.startswith("/") else name, "/var/lib/timeline-kiosk/.incoming.db")
    os.chmod("/var/lib/timeline-kiosk/.incoming.db", 0o644)
    os.rename("/var/lib/timeline-kiosk/.incoming.db", "/var/lib/timeline-kiosk/current.db")


def content_hash(name):
    return run("/usr/bin/timeline-server", "--check", "--snapshot", os.path.join(kt, name)).stdout.split("content hash ")[-1].strip()


try:
    installed = run("apt-get", "install", "-y", "-q", "--no-install-recommends", os.path.join(kt, "timeline-kiosk.deb"))
    note(installed.returncode == 0, "apt-get install ./timeline-kiosk.deb", installed.stderr.strip()[-300:])
    units = ["timeline-server.socket", "timeline-server.service", "timeline-server-update.path",
             "timeline-server-update.service"]
    verify = run("systemd-analyze", "verify", *("/usr/lib/systemd/system/" + unit for unit in units))
    note(verify.returncode == 0 and not (verify.stdout + verify.stderr).strip(), "systemd-analyze verify",
         (verify.stdout + verify.stderr).strip()[:300])
    security = run("systemd-analyze", "security", "--no-pager", "timeline-server.service").stdout
    level = [l for l in security.splitlines() if "Overall exposure level" in l]
    score = float(level[0].split(":")[1].split()[0]) if level else 99.0
    note(score <= 0.5, "exposure level at most 0.5", f"{score}")

    a, b = content_hash("/usr/share/timeline-kiosk/default.db"), content_hash("b.db")
    note(os.path.isdir("/var/lib/timeline-kiosk/incoming") and content_hash("/var/lib/timeline-kiosk/current.db") == a,
         "the package puts the folders and the default snapshot in place", str(os.listdir("/var/lib/timeline-kiosk")))
    enabled = [run("systemctl", "is-enabled", unit).stdout.strip() for unit in ("timeline-server.socket", "timeline-server-update.path")]
    active = [run("systemctl", "is-active", unit).stdout.strip() for unit in ("timeline-server.socket", "timeline-server-update.path")]
    note(enabled == ["enabled", "enabled"] and active == ["active", "active"], "socket and drop folder enabled and started",
         f"{enabled} {active}")
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
    # By hand: a file renamed into place, then systemctl reload.
    install_snapshot("b.db")
    reload = run("systemctl", "reload", "timeline-server.service")
    after = health()
    note(reload.returncode == 0 and after and after.get("content_hash") == b, "rename and reload serve the new snapshot",
         f"{reload.stderr.strip()} {str(after)[:120]}")
    # A damaged file renamed into place: the reload refuses it, the old site serves on.
    install_snapshot("cut.db")
    run("systemctl", "reload", "timeline-server.service")
    still = health()
    journal = run("journalctl", "-u", "timeline-server.service", "--no-pager", "-o", "cat").stdout
    note(still and still.get("content_hash") == b and "reload refused" in journal,
         "a damaged snapshot is refused by the reload and the old one keeps serving", str(still)[:120])

    # The update command: verified copy, rename, reload; a bad file changes nothing.
    updated = run("/usr/bin/timeline-server", "update", "/usr/share/timeline-kiosk/default.db")
    now = health()
    note(updated.returncode == 0 and now and now.get("content_hash") == a and "reloaded" in updated.stdout,
         "timeline-server update installs and reloads", (updated.stdout + updated.stderr).strip()[:200])
    before = open("/var/lib/timeline-kiosk/current.db", "rb").read()
    bad = run("/usr/bin/timeline-server", "update", os.path.join(kt, "cut.db"))
    unchanged = open("/var/lib/timeline-kiosk/current.db", "rb").read() == before
    note(bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and unchanged and health()["content_hash"] == a,
         "timeline-server update refuses a damaged file with one line, nothing changes", bad.stderr.strip()[:200])

    # The drop folder: a copy that takes a while to arrive is waited for, then installed.
    incoming = "/var/lib/timeline-kiosk/incoming"
    data = open(os.path.join(kt, "b.db"), "rb").read()
    with open(incoming + "/new.db", "wb") as f:
        f.write(data[: len(data) // 2])
        f.flush()
        time.sleep(3)
        f.write(data[len(data) // 2:])
    dropped = wait(lambda: not os.path.exists(incoming + "/new.db") and (health() or {}).get("content_hash") == b, 60)
    note(bool(dropped), "a snapshot dropped into incoming/ is installed", str(os.listdir(incoming)))
    shutil.copy(os.path.join(kt, "cut.db"), incoming + "/cut.db")
    rejected = wait(lambda: os.path.exists(incoming + "/rejected/cut.db"), 30)
    journal = run("journalctl", "-u", "timeline-server-update.service", "--no-pager", "-o", "cat").stdout
    note(bool(rejected) and health()["content_hash"] == b and "update refused" in journal,
         "a damaged one is moved to rejected/ with a journal line, the old one serves on",
         [l for l in journal.splitlines() if "refused" in l][-1:].__str__()[:200])

    stop.set()
    for t in threads:
        t.join()
    note(counts["failed"] == 0 and counts["ok"] > 100, "no request fails across all the updates", str(counts))

    # A damaged file put in place behind the server's back: the next start fails in
    # ExecStartPre with the reason; a good file and reset-failed bring it back.
    install_snapshot("cut.db")
    restart = run("systemctl", "restart", "timeline-server.service")
    status = run("systemctl", "status", "--no-pager", "timeline-server.service").stdout
    said = run("journalctl", "-u", "timeline-server.service", "--no-pager", "-o", "cat", "-n", "8").stdout
    note(restart.returncode != 0 and "ExecStartPre=/usr/bin/timeline-server --quick-check" in status
         and "status=2" in status and "current.db: the file is damaged" in said,
         "a damaged snapshot at start fails ExecStartPre, and the journal says why", said[-300:])
    install_snapshot("b.db")
    run("systemctl", "reset-failed", "timeline-server.service", "timeline-server.socket")
    run("systemctl", "start", "timeline-server.socket")
    back = wait(health, 15)
    note(bool(back) and back.get("content_hash") == b, "a good file and reset-failed bring it back", str(back)[:120])

    stopped = run("systemctl", "stop", "timeline-server.service")
    note(stopped.returncode == 0 and show("Result") == "success", "systemctl stop is clean",
         f"Result={show('Result')} ExecMainStatus={show('ExecMainStatus')}")

    removed = run("apt-get", "remove", "-y", "-q", "timeline-kiosk")
    gone = run("systemctl", "is-active", "timeline-server.socket").stdout.strip()
    note(removed.returncode == 0 and gone != "active" and os.path.exists("/var/lib/timeline-kiosk/current.db"),
         "apt-get remove stops the socket and keeps the snapshot", f"socket {gone}")
    purged = run("apt-get", "purge", "-y", "-q", "timeline-kiosk")
    note(purged.returncode == 0 and not os.path.exists("/var/lib/timeline-kiosk"), "apt-get purge removes the snapshots")
except Exception as error:  # a check that cannot even run is a failure, with its reason
    note(False, "checks ran to the end", repr(error))

finish(out, "boot", ["timeline-server.service", "timeline-server-update.service", "timeline-server.socket"])
