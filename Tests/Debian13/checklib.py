"""What boot-checks.py and kiosk-checks.py share: one line per check, bounded waits, and the
report and status files the host side reads."""
import os, subprocess, time

lines, failures = [], []


def note(ok, name, detail=""):
    detail = " | ".join(line.strip() for line in str(detail).splitlines() if line.strip())
    lines.append(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not ok:
        failures.append(name)


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def wait(condition, seconds, step=0.1):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def finish(out, name, units):
    """Writes OUT/NAME-report, OUT/NAME-status and, for a failure's post-mortem, the units' journal."""
    with open(os.path.join(out, f"{name}-journal"), "w") as f:
        f.write(run("journalctl", "--no-pager", "-o", "short-monotonic", *(a for u in units for a in ("-u", u))).stdout)
    with open(os.path.join(out, f"{name}-report"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, f"{name}-status"), "w") as f:
        f.write("1" if failures else "0")
