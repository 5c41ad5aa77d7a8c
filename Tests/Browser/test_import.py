"""A TimelineJS timeline imported with `timeline-build import` (its JSON and its Google Sheet
as CSV) builds and shows in the browser like any exhibit."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness import ROOT, TimelineServer
from test_timeline import open_page, wait_for


@pytest.fixture(scope="module", params=["harbour.json", "harbour.csv"])
def imported(request):
    work = Path(tempfile.mkdtemp(prefix="kt-import-"))
    bin_dir = TimelineServer().bin_dir
    folder, snapshot = work / "exhibit", work / "imported.db"
    done = subprocess.run([str(bin_dir / "timeline-build"), "import", str(ROOT / "Tests/Fixtures/timelinejs" / request.param),
                           "--into", str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "warning:" in done.stderr and ": ok, " in done.stdout
    subprocess.run([str(bin_dir / "timeline-build"), str(folder), "--output", str(snapshot), "--quiet"], check=True)
    with TimelineServer(snapshot=snapshot, log_path=work / "server.log") as running:
        yield request.param, running
    shutil.rmtree(work, ignore_errors=True)


def test_imported_timeline_shows_its_events(browser, imported):
    name, server = imported
    events = server.get_json("/api/events")
    expected = 5 if name.endswith(".json") else 4
    assert len(events["events"] if isinstance(events, dict) else events) == expected
    open_page(browser, server, "/en/")
    shown = wait_for(browser, "return document.querySelectorAll('.axis-card[data-id], .axis-cluster').length")
    assert shown >= 1
    title = browser.driver.execute_script("return document.title")
    assert "Harbour Light" in title
    browser.screenshot(f"import-{name.replace('.', '-')}", "en")


def test_imported_event_shows_its_picture_and_markdown(browser, imported):
    name, server = imported
    path = "/en/events/foundation" if name.endswith(".json") else "/en/events/foundation-stone-laid"
    open_page(browser, server, path)
    wait_for(browser, "const i = document.querySelector('article.event figure img'); return i && i.complete && i.naturalWidth > 0")
    bold = browser.driver.execute_script("return document.querySelector('article.event .body strong').textContent")
    assert bold == "harbour board"
