"""Checks of the harness itself: exact viewports, screenshots, and touch gestures that arrive.

The gestures are checked on a layer the test lays over a served page (touch-action: none),
so they test the CDP plumbing, not the interface.
"""

from __future__ import annotations

import struct

import pytest

from harness import LAYOUTS


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("size", LAYOUTS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_viewport_is_exact(browser, server, size):
    browser.set_viewport(*size)
    browser.load(server.url("/en/credits"))
    seen = browser.driver.execute_script(
        "return [innerWidth, innerHeight, devicePixelRatio, navigator.maxTouchPoints]")
    assert seen[:3] == [size[0], size[1], 1]
    assert seen[3] >= 2, "touch emulation is off"
    shot = browser.screenshot("harness-viewport")
    assert png_size(shot) == size


RECORDER = r"""
const layer = document.createElement('div');
layer.id = 'kt-recorder';
layer.style.cssText = 'position:fixed;inset:0;z-index:2147483647;touch-action:none;background:transparent';
document.body.appendChild(layer);
window.ktEvents = [];
for (const type of ['pointerdown', 'pointermove', 'pointerup', 'pointercancel', 'touchstart', 'touchend',
                    'contextmenu']) {
  layer.addEventListener(type, e => {
    window.ktEvents.push({type, id: e.pointerId ?? null, x: e.clientX ?? null, y: e.clientY ?? null,
                          touches: e.touches ? e.touches.length : null, t: performance.now(),
                          pointerType: e.pointerType ?? null});
  }, {passive: type !== 'contextmenu'});
}
"""


def recorded(browser):
    browser.driver.execute_script("return new Promise(r => requestAnimationFrame(() => r()))")
    return browser.driver.execute_script("const e = window.ktEvents; window.ktEvents = []; return e")


def test_touch_gestures_reach_the_page(browser, server):
    browser.set_viewport(1280, 800)
    browser.load(server.url("/en/credits"))
    browser.driver.execute_script(RECORDER)
    touch = browser.touch

    touch.tap(300, 200)
    events = recorded(browser)
    downs = [e for e in events if e["type"] == "pointerdown"]
    ups = [e for e in events if e["type"] == "pointerup"]
    assert len(downs) == 1 and len(ups) == 1, events
    assert downs[0]["pointerType"] == "touch" and (downs[0]["x"], downs[0]["y"]) == (300, 200)

    touch.swipe((900, 400), (300, 400), duration=0.3, steps=18)
    events = recorded(browser)
    moves = [e for e in events if e["type"] == "pointermove"]
    assert len(moves) >= 10, f"{len(moves)} pointermove events for an 18-step swipe"
    assert moves[-1]["x"] == pytest.approx(300, abs=2) and moves[0]["x"] > moves[-1]["x"]
    span = moves[-1]["t"] - moves[0]["t"]
    assert 150 <= span <= 900, f"the swipe's moves spanned {span:.0f} ms, wanted about 300"

    touch.pinch((640, 400), 100, 400, steps=10)
    events = recorded(browser)
    downs = [e for e in events if e["type"] == "pointerdown"]
    assert len({e["id"] for e in downs}) == 2, f"pinch gave {len(downs)} pointerdowns: {downs}"
    assert max(e["touches"] or 0 for e in events if e["type"] == "touchstart") == 2
    by_id: dict = {}
    for e in events:
        if e["type"] == "pointermove":
            by_id.setdefault(e["id"], []).append(e["x"])
    last = sorted(xs[-1] for xs in by_id.values())
    assert len(last) == 2 and last[1] - last[0] == pytest.approx(400, abs=4), by_id

    touch.long_press(500, 300, hold=1.0)
    events = recorded(browser)
    downs = [e for e in events if e["type"] == "pointerdown"]
    ups = [e for e in events if e["type"] in ("pointerup", "pointercancel")]
    assert len(downs) == 1 and ups and ups[-1]["t"] - downs[0]["t"] >= 900, events
