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
    css = db.execute("SELECT path FROM resources WHERE path LIKE '/assets/%/style.css'").fetchone()
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


def rss_kb(pid, key="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(key + r":\s+(\d+)", f.read()).group(1))


def scale(server_bin, snapshots, rounds, cache_mb=64):
    """exec → first 200 and resident memory at each exhibit size (the server alone).

    Idle: after start-up and the home page. Loaded: after every resource of the snapshot was
    asked for once (far more than the cache holds at 10,000 events)."""
    import http.client
    rows = []
    for events, path in snapshots:
        port = free_port()
        argv = [server_bin, "--snapshot", path, "--listen", f"127.0.0.1:{port}", "--cache-mb", str(cache_mb)]
        first = startup_time(argv, port, "/", rounds)
        server = Server("scale", argv, port, "/")
        idle = rss_kb(server.proc.pid)
        db = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        paths = [r[0] for r in db.execute("SELECT path FROM resources ORDER BY path")]
        size = os.path.getsize(path)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for p in paths:
            conn.request("GET", p, headers={"Accept-Encoding": "gzip"})
            conn.getresponse().read()
        loaded, peak = rss_kb(server.proc.pid), rss_kb(server.proc.pid, "VmHWM")
        conn.close()
        server.stop()
        rows.append(f"| {events:,} | {size / 2**20:.0f} MiB | {len(paths):,} | {first * 1000:.1f} ms | {idle / 1024:.1f} MiB | "
                    f"{loaded / 1024:.1f} MiB | {peak / 1024:.1f} MiB | {cache_mb + 16} MiB |")
    return ["| events | snapshot | resources | exec → first 200 | RSS idle | RSS after every resource | peak RSS | goal (cache + 16) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|"] + rows


SEARCH_SQL = ("SELECT h.event_id, e.item_json FROM (SELECT event_id, lang, rank FROM search "
              "WHERE search MATCH :q AND lang = :lang ORDER BY rank LIMIT 50) h "
              "JOIN events e ON e.id = h.event_id ORDER BY h.rank")


def search_versus_datasette(server_bin, snapshot, datasette_bin, words, rounds, seconds, connections):
    """/api/search against Datasette's SQL API on the same snapshot, the same FTS5 queries."""
    import urllib.parse
    ours_port, theirs_port = free_port(), free_port()
    ours = [server_bin, "--snapshot", snapshot, "--listen", f"127.0.0.1:{ours_port}",
            "--connection-limit", "512", "--per-ip-limit", "512"]
    name = os.path.splitext(os.path.basename(snapshot))[0]
    theirs = [datasette_bin, "serve", "--immutable", snapshot, "--host", "127.0.0.1", "--port", str(theirs_port),
              "--setting", "default_page_size", "50", "--setting", "sql_time_limit_ms", "1000"]
    lines = ["| query | server | req/s | p99 latency |", "|---|---|---:|---:|"]
    for word in words:
        expression = f'"{word}"*'
        our_path = "/api/search?lang=en&q=" + urllib.parse.quote(word)
        their_path = f"/{name}.json?" + urllib.parse.urlencode({"sql": SEARCH_SQL, "q": expression, "lang": "en",
                                                                 "_shape": "array"})
        results = {"timeline-server": ([], []), "datasette": ([], [])}
        for _ in range(rounds):
            for label, argv, port, path in (("timeline-server", ours, ours_port, our_path),
                                            ("datasette", theirs, theirs_port, their_path)):
                server = Server(label, argv, port, path)
                wrk(port, path, 1, connections)
                rps, p99, _ = wrk(port, path, seconds, connections)
                results[label][0].append(rps)
                results[label][1].append(p99)
                server.stop()
                print(f"  search {word!r:<10} {label:<16} {rps:>9.0f} req/s", file=sys.stderr)
        med = statistics.median
        for label in results:
            lines.append(f"| {word} | {label} | {med(results[label][0]):,.0f} | {med(results[label][1]):,.0f} µs |")
        per_round = sorted(a / b for a, b in zip(*[results[k][0] for k in ("timeline-server", "datasette")]))
        lines.append(f"| {word} | **ratio** | **{med(per_round):.1f}×** ({per_round[0]:.1f}–{per_round[-1]:.1f}) | |")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--report")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 7)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("SECONDS_PER_RUN", 3)))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", 32)))
    parser.add_argument("--scale", nargs="*", default=[], metavar="EVENTS=SNAPSHOT",
                        help="snapshots of other sizes for the start-up and memory table")
    parser.add_argument("--datasette", help="the datasette command, for the search comparison")
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

    start_ours = startup_time(ours_argv, ours_port, "/", args.rounds)
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
    lines.append("")
    lines.append("Start-up and memory as the exhibit grows (`--cache-mb 64`; synthetic exhibits of N events in "
                 "two languages, Tests/Benchmarks/synthetic_exhibit.py; the first row is the default exhibit):")
    lines.append("")
    sized = [(int(db.execute("SELECT count(*) FROM events").fetchone()[0]), args.snapshot)]
    sized += [(int(spec.split("=", 1)[0]), spec.split("=", 1)[1]) for spec in args.scale]
    lines += scale(args.server, sized, args.rounds)
    if args.datasette:
        lines.append("")
        lines.append(f"Full-text search: `/api/search` against Datasette (`--immutable`, one process) running the same "
                     f"FTS5 query on the same snapshot through its SQL API, both on CPU 0, wrk -c{args.connections} on "
                     "CPU 1; ratio = timeline-server / Datasette req/s, the median of per-round ratios:")
        lines.append("")
        lines += search_versus_datasette(args.server, args.snapshot, args.datasette, ["basra", "maliki", "w"],
                                         args.rounds, args.seconds, args.connections)
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
