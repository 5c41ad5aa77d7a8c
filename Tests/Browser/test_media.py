"""Photographs, a film and a recording in the browser: each screen fetches the image size it
shows, the film and the recording play with their captions, and the idle reset waits while
they play. The snapshot is built from Tests/Fixtures/media by the real builder."""

from __future__ import annotations

import subprocess
import time

import pytest

from harness import BUILD, ROOT, TimelineServer
from test_timeline import open_page, wait_for


@pytest.fixture(scope="module")
def media_server():
    server = TimelineServer()
    snapshot = BUILD / "media-fixture.db"
    subprocess.run([str(server.bin_dir / "timeline-build"), str(ROOT / "Tests/Fixtures/media"),
                    "--output", str(snapshot), "--quiet"], check=True)
    with TimelineServer(snapshot=snapshot, log_path=BUILD / "browser-media-server.log") as running:
        yield running


def chosen(browser, selector):
    """The file each image under `selector` loaded, once every one has loaded."""
    wait_for(browser, f"return [...document.querySelectorAll('{selector} img')]"
                      ".every(i => i.complete && i.naturalWidth > 0)", timeout=8)
    return browser.driver.execute_script(
        f"return [...document.querySelectorAll('{selector} img')].map(i => i.currentSrc.split('/').pop())")


@pytest.mark.parametrize("size, width", [((480, 800), "480"), ((1920, 1080), "800")])
def test_each_screen_fetches_the_size_it_shows(browser, media_server, size, width):
    # 480 wide shows a picture across the page (480 px); 1920 wide shows it in the
    # 40% column beside the text (768 px): the next width up in the ladder.
    open_page(browser, media_server, "/en/events/photos", size=size)
    files = chosen(browser, "article.event figure")
    scan = next(f for f in files if f.startswith("scan."))
    assert scan.split(".")[2] == width, files
    preferred = "avif" if any(f.endswith(".avif") for f in files) else "webp"
    assert all(f.endswith("." + preferred) for f in files), f"every image in one modern format: {files}"
    # The camera photograph stands upright: taller than wide.
    ratio = browser.driver.execute_script(
        "const i = document.querySelector('img[src*=camera-photo]'); return i.naturalHeight / i.naturalWidth")
    assert abs(ratio - 640 / 480) < 0.01
    browser.screenshot(f"media-photos-{size[0]}x{size[1]}", "en")


def test_without_modern_formats_the_jpeg_is_used(new_browser, media_server):
    b = new_browser(javascript=False, touch=True)
    b.set_viewport(1280, 800)
    b.driver.get(media_server.url("/en/events/photos"))
    # The fallback is what a browser that reads no <picture> shows: the largest JPEG.
    srcs = b.driver.execute_script("return [...document.querySelectorAll('figure img')].map(i => i.getAttribute('src'))")
    assert all(s.endswith(".jpeg") for s in srcs), srcs


def play(browser, selector=".media-play"):
    button = browser.driver.find_element("css selector", selector)
    rect = browser.driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]", button)
    browser.touch.tap(*rect)


def test_the_film_plays_with_large_controls_and_captions(browser, media_server):
    open_page(browser, media_server, "/en/events/film")
    wait_for(browser, "return document.querySelector('.media-controls')")
    sizes = browser.driver.execute_script(
        "return [...document.querySelectorAll('.media-controls button')].map(b => b.getBoundingClientRect().height)")
    assert min(sizes) >= 48, f"control heights {sizes}"
    play(browser)
    wait_for(browser, "const v = document.querySelector('.player video'); return v.currentTime > 0.3", timeout=8)
    cue = wait_for(browser, "const t = document.querySelector('.player video').textTracks[0];"
                            "return t.mode === 'showing' && t.activeCues && t.activeCues.length && t.activeCues[0].text")
    assert cue in ("The pattern starts", "The pattern ends")
    browser.screenshot("media-film-playing", "en")
    # Captions off and on again from the CC button.
    play(browser, ".media-captions")
    assert browser.driver.execute_script("return document.querySelector('.player video').textTracks[0].mode") == "hidden"
    play(browser, ".media-captions")
    assert browser.driver.execute_script("return document.querySelector('.player video').textTracks[0].mode") == "showing"


def test_arabic_page_shows_arabic_captions(browser, media_server):
    open_page(browser, media_server, "/ar/events/film")
    wait_for(browser, "return document.querySelector('.media-controls')")
    play(browser)
    cue = wait_for(browser, "const v = document.querySelector('.player video');"
                            "const t = [...v.textTracks].find(t => t.mode === 'showing');"
                            "return t && t.language === 'ar' && t.activeCues && t.activeCues.length && t.activeCues[0].text",
                   timeout=8)
    assert cue in ("يبدأ النمط", "ينتهي النمط")
    browser.screenshot("media-film-playing", "ar")


def test_the_recording_plays_with_captions(browser, media_server):
    open_page(browser, media_server, "/en/events/interview")
    wait_for(browser, "return document.querySelector('.media-controls')")
    play(browser)
    cue = wait_for(browser, "const t = document.querySelector('.player video').textTracks[0];"
                            "return t.activeCues && t.activeCues.length && t.activeCues[0].text", timeout=8)
    assert cue == "[Soft noise throughout]"
    browser.screenshot("media-recording-playing", "en")
    assert browser.driver.execute_script("return document.querySelector('.player video').currentTime") > 0


def test_idle_reset_waits_while_the_film_plays(browser, media_server):
    open_page(browser, media_server, "/en/events/film?idle=1&countdown=1")
    wait_for(browser, "return document.querySelector('.media-controls')")
    browser.driver.execute_script("document.querySelector('.player video').loop = true")
    play(browser)
    wait_for(browser, "return !document.querySelector('.player video').paused")
    time.sleep(3.5)  # idle 1 s and countdown 1 s, three times over
    assert not browser.driver.execute_script("return !!document.querySelector('.idle-dialog')"), "countdown while playing"
    assert "/events/film" in browser.driver.current_url
    # Once it stops, the idle reset comes as usual.
    browser.driver.execute_script("document.querySelector('.player video').pause()")
    wait_for(browser, "return !location.pathname.includes('/events/film')", timeout=8)
