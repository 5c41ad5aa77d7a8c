#!/usr/bin/env python3
"""timeline-server against nginx-light on the same bytes: a benchmark report, not a test.

Each server is pinned to CPU 0 and wrk to CPU 1. For each URL the two servers take turns
(A B A B ...) for several rounds; the table shows medians and the ratio. Figures are noisy on
shared machines: read ratios, not absolutes. Loopback only; every run is bounded by -d.
"""
import argparse, os, re, shutil, signal, socket, sqlite3, statistics, subprocess, sys, tempfile, time

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  default_type text/html;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=1000;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pick_urls(snapshot):
    db = sqlite3.connect(f"file:{snapshot}?immutable=1", uri=True)
    lang = db.execute("SELECT value FROM meta WHERE key = 'default_language'").fetchone()[0]
    event = db.execute("SELECT url FROM events WHERE highlight = 1 ORDER BY position LIMIT 1").fetchone() \
        or db.execute("SELECT url FROM events ORDER BY position LIMIT 1").fetchone()
    css = db.execute("SELECT path FROM resources WHERE path LIKE '/assets/style.%.css'").fetchone()
    image = db.execute("SELECT path FROM resources WHERE content_type LIKE 'image/%' "
                       "ORDER BY length(body) DESC LIMIT 1").fetchone()
    urls = [("home page", f"/{lang}/"), ("event page", event[0]), ("CSS asset", css[0])]
    if image:
        urls.append(("image", image[0]))
    sizes = {path: db.execute("SELECT length(body) FROM resources WHERE path = ?", (path,)).fetchone()[0]
             for _, path in urls}
    return db, urls, sizes


def mirror(db, urls, root):
    """The same bodies as files, at the same paths, for nginx."""
    for _, path in urls:
        body = db.execute("SELECT body FROM resources WHERE path = ?", (path,)).fetchone()[0]
        target = root + (path + "index.html" if path.endswith("/") else path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(body)


def wait_http(port, path, deadline=10.0):
    start = time.monotonic()
    request = f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() - start < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(request)
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.0005)
    raise RuntimeError(f"no 200 from port {port} within {deadline}s")


class Server:
    def __init__(self, name, argv, port, ready_path):
        self.name, self.argv, self.port, self.ready_path = name, argv, port, ready_path
        start = time.monotonic()
        self.proc = subprocess.Popen(["taskset", "-c", "0"] + argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        try:
            wait_http(port, ready_path)
        except RuntimeError:
            self.stop()
            raise
        self.startup = time.monotonic() - start

    def pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        return [self.proc.pid] + [int(p) for p in out]

    def cpu_seconds(self):
        total = 0
        for pid in self.pids():
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def peak_rss_kb(self):
        total = 0
        for pid in self.pids():
            with open(f"/proc/{pid}/status") as f:
                total += int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
        return total

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wrk(port, path, seconds, connections):
    out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_us = float(p99.group(1)) * {"us": 1, "ms": 1000, "s": 1_000_000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} error responses for {path} on port {port}")
    return rps, p99_us, requests


def startup_time(argv, port, path, rounds):
    times = []
    for _ in range(rounds):
        server = Server("probe", argv, port, path)
        times.append(server.startup)
        server.stop()
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--report")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 7)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("SECONDS_PER_RUN", 3)))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", 32)))
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "taskset"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            sys.exit(f"bench: {tool} is missing (make bench-deps installs it)")

    db, urls, sizes = pick_urls(args.snapshot)
    tmp = tempfile.mkdtemp(prefix="kiosk-bench-")
    os.chmod(tmp, 0o755)  # nginx's workers run as www-data and must read the mirror
    root = os.path.join(tmp, "root")
    mirror(db, urls, root)
    for sub in ("body", "proxy", "fcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(tmp, sub), exist_ok=True)

    ours_port, nginx_port = free_port(), free_port()
    ours_argv = [args.server, "--snapshot", args.snapshot, "--listen", f"127.0.0.1:{ours_port}",
                 "--connection-limit", "512", "--per-ip-limit", "512"]
    nginx_conf = os.path.join(tmp, "nginx.conf")
    with open(nginx_conf, "w") as f:
        f.write(NGINX_CONF.format(tmp=tmp, port=nginx_port, root=root))
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    nginx_argv = [nginx_bin, "-c", nginx_conf]

    print(f"bench: {len(urls)} URLs, {args.rounds} rounds of {args.seconds}s, {args.connections} connections, "
          "servers on CPU 0, wrk on CPU 1", file=sys.stderr)
    results = {}  # (label, server) -> lists
    for label, path in urls:
        for round_ in range(args.rounds):
            for name, argv, port in (("timeline-server", ours_argv, ours_port), ("nginx", nginx_argv, nginx_port)):
                server = Server(name, argv, port, path)
                wrk(port, path, 1, args.connections)  # warm-up
                cpu0 = server.cpu_seconds()
                rps, p99, requests = wrk(port, path, args.seconds, args.connections)
                cpu = server.cpu_seconds() - cpu0
                entry = results.setdefault((label, name), {"rps": [], "p99": [], "cpu": [], "rss": []})
                entry["rps"].append(rps)
                entry["p99"].append(p99)
                entry["cpu"].append(cpu / requests * 1e6)
                entry["rss"].append(server.peak_rss_kb())
                server.stop()
                print(f"  {label:<11} round {round_ + 1} {name:<16} {rps:>9.0f} req/s  p99 {p99:>7.0f} µs",
                      file=sys.stderr)

    start_ours = startup_time(ours_argv, ours_port, "/healthz", args.rounds)
    start_nginx = startup_time(nginx_argv, nginx_port, urls[0][1], args.rounds)

    med = statistics.median
    lines = [
        f"| resource | bytes | server | req/s | p99 latency | CPU µs/request | peak RSS |",
        f"|---|---:|---|---:|---:|---:|---:|",
    ]
    for label, path in urls:
        ours, theirs = results[(label, "timeline-server")], results[(label, "nginx")]
        for name, r in (("timeline-server", ours), ("nginx-light", theirs)):
            lines.append(f"| {label} | {sizes[path]} | {name} | {med(r['rps']):,.0f} | {med(r['p99']):,.0f} µs | "
                         f"{med(r['cpu']):.1f} | {med(r['rss']) / 1024:.1f} MiB |")
        # The machine's speed drifts between rounds; the ratio within each round (the two servers
        # measured back to back) is steadier than a ratio of medians, so that is what is shown.
        def ratio(key):
            per_round = sorted(a / b for a, b in zip(ours[key], theirs[key]))
            return f"{med(per_round):.2f}× ({per_round[0]:.2f}–{per_round[-1]:.2f})"
        lines.append(f"| {label} | | **ratio** | **{ratio('rps')}** | {ratio('p99')} | {ratio('cpu')} | {ratio('rss')} |")
    lines.append("")
    lines.append(f"exec → first 200: timeline-server {start_ours * 1000:.1f} ms, nginx-light {start_nginx * 1000:.1f} ms "
                 f"(medians of {args.rounds}).")
    machine = f"{os.cpu_count()} CPUs, " + subprocess.run(["uname", "-srm"], capture_output=True, text=True).stdout.strip()
    header = (f"Measured {time.strftime('%Y-%m-%d')} on {machine}; {args.rounds} interleaved rounds of "
              f"{args.seconds} s, wrk -t1 -c{args.connections}, medians; ratio = timeline-server / nginx-light, "
              "the median of the per-round ratios with their range (req/s: higher is better; p99, CPU, RSS: lower "
              "is better). RSS of nginx is master + worker.")
    report = header + "\n\n" + "\n".join(lines)
    print(report)
    if args.report:
        with open(args.report, "w") as f:
            f.write(report + "\n")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
