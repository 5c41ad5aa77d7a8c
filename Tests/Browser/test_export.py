"""`timeline-build export`: the snapshot as static files served by nginx-light, byte for byte
what the kiosk's server sends, with the same headers; and the timeline works from there."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from test_timeline import open_page, visible, wait_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx-light on 127.0.0.1 with the export's own server block, stopped by its PID."""

    def __init__(self, export: Path, work: Path):
        self.port = free_port()
        block = (export / "nginx/timeline.conf").read_text().replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        (work / "timeline.conf").write_text(block)
        for name in ("body", "proxy", "fcgi", "uwsgi", "scgi"):
            (work / name).mkdir(exist_ok=True)
        (work / "nginx.conf").write_text(f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
  uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  include {work}/timeline.conf;
}}
""")
        self.process = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-p", str(work)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not start: {(work / 'error.log').read_text()[-500:]}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def exported(server):
    # In /tmp, readable by all: nginx's workers run as another user and must reach the files.
    work = Path(tempfile.mkdtemp(prefix="kt-export-"))
    work.chmod(0o755)
    export = work / "site"
    subprocess.run([str(server.bin_dir / "timeline-build"), "export", str(server.snapshot), str(export)],
                   check=True, capture_output=True)
    nginx = Nginx(export, work)
    yield nginx, export
    nginx.stop()
    shutil.rmtree(work, ignore_errors=True)


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def resources(snapshot: Path) -> list[tuple[str, str, bool]]:
    db = sqlite3.connect(f"file:{snapshot}?immutable=1", uri=True)
    return [(p, t, g) for p, t, g in db.execute("SELECT path, content_type, gzip IS NOT NULL FROM resources ORDER BY path")]


def test_every_path_is_the_same_bytes_as_the_kiosk(exported, server):
    nginx, _ = exported
    differences = []
    checked = 0
    for path, content_type, has_gzip in resources(server.snapshot):
        kiosk = fetch(server.url(path))
        static = fetch(nginx.url(path))
        checked += 1
        if static[0] != 200 or static[2] != kiosk[2]:
            differences.append(f"{path}: nginx {static[0]}, {len(static[2])} bytes; kiosk {kiosk[0]}, {len(kiosk[2])} bytes")
            continue
        for header in ("content-type", "cache-control", "x-content-type-options", "content-security-policy",
                       "referrer-policy"):
            if static[1].get(header) != kiosk[1].get(header):
                differences.append(f"{path}: {header} nginx {static[1].get(header)!r}, kiosk {kiosk[1].get(header)!r}")
        if has_gzip:
            zipped_kiosk = fetch(server.url(path), {"Accept-Encoding": "gzip"})
            zipped_static = fetch(nginx.url(path), {"Accept-Encoding": "gzip"})
            if zipped_static[1].get("content-encoding") != "gzip" or zipped_static[2] != zipped_kiosk[2]:
                differences.append(f"{path}: the gzip body differs")
    assert checked > 200
    assert not differences, f"{len(differences)} of {checked} paths differ:\n" + "\n".join(differences[:20])


def test_ranges_and_missing_pages(exported, server):
    nginx, _ = exported
    path = next(p for p, t, _ in resources(server.snapshot) if p.startswith("/media/"))
    whole = fetch(server.url(path))[2]
    status, headers, body = fetch(nginx.url(path), {"Range": "bytes=10-19", "Accept-Encoding": "identity"})
    assert status == 206 and body == whole[10:20]
    status, _, body = fetch(nginx.url("/en/events/no-such-event"))
    assert status == 404 and b"<h1>" in body, "the exhibit's own not-found page"


def test_search_page_says_search_needs_the_kiosk(exported):
    nginx, _ = exported
    for lang, words in (("en", "Search works on the kiosk itself"), ("ar", "البحث متاح على جهاز العرض نفسه")):
        status, headers, body = fetch(nginx.url(f"/search?lang={lang}&q=baghdad"))
        assert status == 200 and headers["content-type"].startswith("text/html")
        text = body.decode()
        assert words in text and f'lang="{lang}"' in text


def test_the_timeline_works_from_the_export(browser, exported):
    nginx, _ = exported

    class Host:  # what open_page needs of a server
        url = staticmethod(nginx.url)

    open_page(browser, Host, "/en/")
    cards = visible(browser, ".axis-card[data-id]")
    assert cards, "the timeline shows its cards from the static files"
    browser.touch.tap(cards[0]["x"], cards[0]["y"])
    wait_for(browser, "const v=document.querySelector('.event-view'); return v && !v.hidden")
    assert browser.driver.current_url.endswith("/en/events/" + cards[0]["id"])
    assert not browser.console_errors()
    browser.screenshot("export-event", "en")
