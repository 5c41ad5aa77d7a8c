"""The touch timeline as a visitor uses it: swipe, pinch, tap, the event view, clusters,
filters, idle reset and attract loop, search keyboard, map pins, text size, page zoom.

The axis exposes what it shows as data attributes (`data-start`, `data-end`: day numbers
at its left and right edges, `data-rtl`), so a test can ask which day is under a finger."""

from __future__ import annotations

import time

import pytest

from harness import target_size_offenders

SIZE = (1280, 800)


# MARK: helpers


def open_page(browser, server, path, size=SIZE):
    """Loads `path` as a new visitor would find it (no view, text size or idle setting kept)."""
    browser.set_viewport(*size)
    if browser.driver.current_url.startswith(server.url("/")):
        browser.driver.execute_script("sessionStorage.clear()")
    browser.driver.get(server.url(path))
    browser.wait_ready()
    wait_for(browser, "const s=document.getElementById('stage'); return !s || s.dataset.ready === '1'")


def wait_for(browser, script, timeout=6.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = browser.driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def axis(browser):
    """[start, end, left, width, top, height, rtl] of the axis."""
    return browser.driver.execute_script("""
        const a = document.querySelector('[data-axis]'); const r = a.getBoundingClientRect();
        return [Number(a.dataset.start), Number(a.dataset.end), r.left, r.width, r.top, r.height, a.dataset.rtl === '1'];""")


def day_at(a, x):
    start, end, left, width, *_, rtl = a
    along = (left + width - x) if rtl else (x - left)
    return start + along / width * (end - start)


def x_of(a, day):
    start, end, left, width, *_, rtl = a
    along = (day - start) / (end - start) * width
    return left + width - along if rtl else left + along


def visible(browser, selector):
    """Centres and attributes of visible elements matching selector, inside the viewport."""
    return browser.driver.execute_script("""
        return [...document.querySelectorAll(arguments[0])].map(e => [e, e.getBoundingClientRect()])
          .filter(([e, r]) => r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight)
          .map(([e, r]) => ({x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height,
                              id: e.dataset.id || '', count: e.dataset.count || ''}));""", selector)


def settle(seconds=0.9):
    time.sleep(seconds)


def overlay_title(browser):
    return browser.driver.execute_script(
        "const v=document.querySelector('.event-view'); return v && !v.hidden && v.querySelector('h1') ? v.querySelector('h1').textContent : null")


# MARK: the axis


def test_first_screen_is_the_axis_with_events(browser, server, lang):
    open_page(browser, server, f"/{lang}/")
    a = axis(browser)
    assert a[5] >= 0.75 * SIZE[1], "the axis fills the screen below a slim bar"
    cards = visible(browser, ".axis-card")
    assert len(cards) >= 3, "events on the first screen"
    assert browser.driver.execute_script("return document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    assert a[6] == (lang == "ar"), "time runs right to left in Arabic"
    # Later events stand further along the reading direction.
    days = browser.driver.execute_script("""
        return [...document.querySelectorAll('.axis-card[data-id]')].map(c => {
            const r = c.getBoundingClientRect(); return [r.left, r.right]; });""")
    assert days, "cards"
    browser.screenshot("timeline-first", lang)


def test_swipe_moves_along_time(browser, server, lang):
    open_page(browser, server, f"/{lang}/")
    before = axis(browser)
    # A finger moving against the reading direction brings later times.
    if lang == "ar":
        browser.touch.swipe((300, 300), (800, 300), duration=0.3)
    else:
        browser.touch.swipe((900, 300), (400, 300), duration=0.3)
    settle(1.5)
    after = axis(browser)
    assert after[0] > before[0] + 30, f"later days in view: {before[:2]} -> {after[:2]}"


def test_pinch_keeps_the_day_under_the_fingers(browser, server):
    open_page(browser, server, "/en/")
    browser.driver.execute_script("document.querySelector('.control.zoom-all').click()")
    settle(0.8)
    before = axis(browser)
    cx = before[2] + before[3] * 0.4
    day = day_at(before, cx)
    browser.touch.pinch((cx, 350), 120, 360, steps=24, duration=0.5)
    settle(0.5)
    after = axis(browser)
    span_before, span_after = before[1] - before[0], after[1] - after[0]
    assert span_after < span_before * 0.6, f"zoomed in: {span_before:.0f} -> {span_after:.0f} days"
    assert abs(x_of(after, day) - cx) <= 4, f"the day under the fingers moved {x_of(after, day) - cx:.1f} px"
    # Pinching in again comes back out.
    browser.touch.pinch((cx, 350), 360, 120, steps=24, duration=0.5)
    settle(0.5)
    again = axis(browser)
    assert again[1] - again[0] > span_after * 1.5


def test_zoom_never_flies_off_the_exhibit(browser, server):
    open_page(browser, server, "/en/")
    overview = server.get_json("/api/en/timeline")
    low, high = overview["range"]
    for _ in range(6):
        browser.touch.pinch((200, 350), 400, 60, steps=10, duration=0.2)
    settle(0.5)
    a = axis(browser)
    whole = high - low
    assert a[0] >= low - whole * 0.05 and a[1] <= high + whole * 0.05, f"view {a[:2]} within {low}..{high}"
    for _ in range(10):
        browser.touch.swipe((1100, 300), (100, 300), duration=0.1)
    settle(2.5)
    a = axis(browser)
    assert a[1] <= high + whole * 0.05 and a[0] < a[1]
    for _ in range(12):
        browser.touch.pinch((1200, 350), 60, 500, steps=8, duration=0.15)
    settle(0.5)
    a = axis(browser)
    assert a[1] - a[0] >= 40, "zoomed in as far as months, no further"
    assert a[1] <= high + whole * 0.05


def test_cards_never_overlap_at_any_zoom(browser, server):
    open_page(browser, server, "/en/")
    for step in range(5):
        boxes = browser.driver.execute_script("""
            return [...document.querySelectorAll('.axis-card')].map(c => c.getBoundingClientRect())
              .filter(r => r.right > 0 && r.left < innerWidth).map(r => [r.left, r.top, r.right, r.bottom]);""")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
                assert not overlap, f"cards overlap at zoom step {step}: {a} {b}"
        browser.driver.execute_script("document.querySelector('.control.zoom-out').click()")
        settle(0.7)


def test_ctrl_wheel_zooms_time_not_the_page(browser, server):
    open_page(browser, server, "/en/")
    before = axis(browser)
    for _ in range(4):
        browser.cdp("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": 600, "y": 400, "deltaX": 0,
                                                 "deltaY": -120, "modifiers": 2})
    settle(0.4)
    after = axis(browser)
    assert after[1] - after[0] < before[1] - before[0], "the time scale zoomed"
    assert browser.driver.execute_script("return window.visualViewport ? visualViewport.scale : 1") == 1


# MARK: events


def test_tap_opens_an_event_and_swipes_go_one_at_a_time(browser, server):
    open_page(browser, server, "/en/")
    cards = [c for c in visible(browser, ".axis-card[data-id]")]
    assert cards
    card = cards[0]
    browser.touch.tap(card["x"], card["y"])
    wait_for(browser, "return location.pathname.includes('/events/')")
    assert browser.driver.current_url.endswith("/en/events/" + card["id"])
    wait_for(browser, "const v=document.querySelector('.event-view'); return v && !v.hidden")
    first = browser.driver.current_url
    expected_next = browser.driver.execute_script(
        "const a=document.querySelector('.event-view .sequence a[rel=next]'); return a && a.href")
    browser.touch.swipe((900, 420), (300, 420), duration=0.25)
    wait_for(browser, "return location.href !== arguments[0]".replace("arguments[0]", repr(first)))
    assert browser.driver.current_url == expected_next
    browser.screenshot("event-view", "en")
    # The large close target returns to the axis, which now shows that event.
    close = visible(browser, ".view-close")[0]
    assert close["w"] >= 48 and close["h"] >= 48
    browser.touch.tap(close["x"], close["y"])
    wait_for(browser, "return document.querySelector('.event-view').hidden")
    assert browser.driver.current_url.endswith("/en/")


def test_a_multi_finger_swipe_turns_one_page(new_browser, server):
    """Three fingers swiping together turn one page, not three. In a browser of its own:
    after CDP's synthetic multi-finger touches, Chromium turns a later sideways swipe on
    another page into "back" (seen with 156, flags or not), which would upset other tests."""
    browser = new_browser(javascript=True, touch=True)
    events = server.get_json("/api/events")
    open_page(browser, server, f"/en/events/{events[3]['id']}")
    second = browser.driver.current_url
    expected = browser.driver.execute_script(
        "const a=document.querySelector('.event-view .sequence a[rel=next]'); return a && a.href")
    fingers = lambda x: [{"x": x, "y": 300 + 60 * i, "id": 10 + i} for i in range(3)]
    browser.cdp("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(950)})
    for k in range(1, 13):
        browser.cdp("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(950 - 55 * k)})
        time.sleep(0.015)
    browser.cdp("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    settle(1.0)
    assert browser.driver.current_url == expected, f"from {second}"


def test_deep_link_opens_the_event_in_arabic(browser, server):
    events = server.get_json("/api/events")
    event = events[len(events) // 2]
    open_page(browser, server, f"/ar/events/{event['id']}")
    assert overlay_title(browser) == event["title"]["ar"]
    assert browser.driver.execute_script("return document.documentElement.dir") == "rtl"
    # In Arabic the next (later) event comes with a finger moving right.
    expected = browser.driver.execute_script(
        "const a=document.querySelector('.event-view .sequence a[rel=next]'); return a && a.href")
    browser.touch.swipe((300, 420), (900, 420), duration=0.25)
    if expected:
        wait_for(browser, f"return location.href === {expected!r}")
    browser.screenshot("event-deep-link", "ar")


def test_a_cluster_opens_or_zooms(browser, server):
    open_page(browser, server, "/en/")
    browser.driver.execute_script("document.querySelector('.control.zoom-all').click()")
    settle(1.0)
    clusters = visible(browser, ".axis-cluster")
    assert clusters, "the whole exhibit on one screen has clusters"
    before = axis(browser)
    cluster = clusters[0]
    browser.touch.tap(cluster["x"], cluster["y"])
    settle(1.2)
    after = axis(browser)
    listed = browser.driver.execute_script("return !!document.querySelector('.list-panel')")
    assert listed or (after[1] - after[0]) < (before[1] - before[0]) * 0.8, "zoomed into the cluster or listed it"


# MARK: filters, idle, attract


def test_filters_hide_other_events(browser, server):
    open_page(browser, server, "/en/")
    overview = server.get_json("/api/en/timeline")
    theme = overview["themes"][0]["id"]
    browser.driver.execute_script("document.querySelector('.tool.filters').click()")
    chip = wait_for(browser, f"return document.querySelector('.chip[data-group=themes][data-id=\"{theme}\"]')")
    chip.click()
    browser.driver.execute_script("document.querySelector('.filters-panel .panel-close').click()")
    browser.driver.execute_script("document.querySelector('.control.zoom-all').click()")
    settle(1.0)
    with_theme = set()
    for year, _ in [(y[0], y[1]) for y in overview["years"]]:
        for event in server.get_json(overview["year_url"].replace("{year}", str(year))):
            if theme in event["themes"]:
                with_theme.add(event["id"])
    shown = browser.driver.execute_script("return [...document.querySelectorAll('.axis-card[data-id]')].map(c => c.dataset.id)")
    assert shown and set(shown) <= with_theme, f"only events with theme {theme}"
    assert browser.driver.execute_script("return document.querySelector('.tool.filters').classList.contains('active')")


def test_idle_countdown_resets_and_attract_wakes_without_activating(browser, server):
    open_page(browser, server, "/ar/?idle=2&countdown=2")
    browser.driver.execute_script("document.querySelector('.tool.text-size').click()")
    browser.driver.execute_script("document.querySelector('.control.zoom-in').click()")
    browser.driver.execute_script("document.querySelector('.tool.filters').click(); document.querySelector('.chip').click()")
    wait_for(browser, "return document.querySelector('.idle-dialog')", timeout=6)
    browser.screenshot("idle-countdown", "ar")
    # After the countdown: the default language, no filter, normal text, attract loop.
    wait_for(browser, "return location.pathname === '/en/'", timeout=8)
    wait_for(browser, "return document.querySelector('.wake') && document.querySelector('.featured')", timeout=6)
    assert browser.driver.execute_script("return document.documentElement.lang") == "en"
    assert browser.driver.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--text-scale').trim()") in ("", "1")
    assert not browser.driver.execute_script("return document.querySelector('.tool.filters').classList.contains('active')")
    assert not browser.driver.execute_script("return !!document.querySelector('.idle-dialog')"), "no countdown over the attract loop"
    browser.screenshot("attract", "en")
    card = visible(browser, ".axis-card[data-id]")[0]
    browser.touch.tap(card["x"], card["y"])
    settle(1.0)
    assert not browser.driver.execute_script("return !!document.querySelector('.wake')"), "awake"
    assert browser.driver.current_url.endswith("/en/"), "the first touch only wakes the screen"
    assert overlay_title(browser) is None


def test_continue_keeps_the_visitor_where_they_were(browser, server):
    open_page(browser, server, "/en/?idle=2&countdown=5")
    browser.driver.execute_script("document.querySelector('.control.zoom-in').click()")
    settle(0.6)
    before = axis(browser)
    button = wait_for(browser, "return document.querySelector('.idle-continue')", timeout=6)
    size = browser.driver.execute_script("const r=arguments[0].getBoundingClientRect(); return [r.width, r.height]", button)
    assert size[0] >= 48 and size[1] >= 48
    button.click()
    assert not browser.driver.execute_script("return !!document.querySelector('.idle-dialog')")
    assert axis(browser)[:2] == before[:2]


# MARK: input and the page itself


def test_no_long_press_menu_and_a_visible_focus_ring(browser, server):
    open_page(browser, server, "/en/")
    prevented = browser.driver.execute_script("""
        const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true});
        return !document.querySelector('.axis-card').dispatchEvent(e);""")
    assert prevented
    from selenium.webdriver.common.keys import Keys
    body = browser.driver.find_element("tag name", "body")
    for _ in range(3):
        body.send_keys(Keys.TAB)
    outline = browser.driver.execute_script(
        "const s=getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]")
    assert outline[0] != "none" and outline[1] >= 2, f"focus ring: {outline}"


def test_text_size_control(browser, server):
    open_page(browser, server, "/en/")
    base = browser.driver.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
    browser.driver.execute_script("document.querySelector('.tool.text-size').click()")
    bigger = browser.driver.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert bigger == pytest.approx(base * 1.25, rel=0.02)
    browser.driver.execute_script("sessionStorage.clear()")


def test_search_with_the_on_screen_keyboard(browser, server, lang):
    open_page(browser, server, f"/search?lang={lang}")
    keys = wait_for(browser, "return document.querySelectorAll('.keyboard .key').length")
    assert keys >= 30
    assert not target_size_offenders(browser), "every key is a large target"
    word = "basra" if lang == "en" else "البصرة"
    letters = browser.driver.execute_script("return [...document.querySelectorAll('.keyboard .key')].map(k => k.textContent)")
    assert all(ch in letters for ch in word), f"the {lang} layout has the letters of {word}"
    for ch in word:
        browser.driver.execute_script(
            "[...document.querySelectorAll('.keyboard .key')].find(k => k.textContent === arguments[0]).click()", ch)
    wait_for(browser, "return document.querySelectorAll('.results .card').length > 0")
    count = browser.driver.execute_script("return document.querySelector('.results-count').textContent")
    assert count
    found = server.get_json(f"/api/search?lang={lang}&q=" + __import__("urllib.parse").parse.quote(word))["results"]
    expected = [r["url"][lang] for r in sorted(found, key=lambda r: (r.get("sort") or r["start"])["date"])]
    shown = browser.driver.execute_script("return [...document.querySelectorAll('.results .card a')].map(a => a.getAttribute('href'))")
    assert shown == expected, "results in time order"
    browser.screenshot("search-keyboard", lang)


def test_map_pins_are_large_named_and_apart(browser, server, lang):
    open_page(browser, server, f"/{lang}/places/")
    settle(0.5)
    pins = browser.driver.execute_script("""
        return [...document.querySelectorAll('.map-frame .pin')].filter(p => getComputedStyle(p).display !== 'none')
          .map(p => { const r = p.getBoundingClientRect();
                      return {cx: r.left + r.width / 2, cy: r.top + r.height / 2, w: r.width, h: r.height,
                              name: p.getAttribute('aria-label') || ''}; });""")
    assert pins
    for pin in pins:
        assert pin["w"] >= 48 and pin["h"] >= 48, pin
        assert pin["name"], "every pin has an accessible name"
    # The round targets never cover one another.
    for i, a in enumerate(pins):
        for b in pins[i + 1:]:
            distance = ((a["cx"] - b["cx"]) ** 2 + (a["cy"] - b["cy"]) ** 2) ** 0.5
            assert distance >= 47, f"pins overlap: {a['name']} / {b['name']}"
    browser.screenshot("map-pins", lang)
    browser.driver.execute_script("document.querySelector('.map-frame .pin:not(.clustered)').click()")
    wait_for(browser, "return document.querySelector('.panel')")


def test_larger_text_lays_the_cards_out_again(browser, server):
    """A+ makes every card larger: the axis must regroup so that none overlap."""
    open_page(browser, server, "/en/")
    browser.driver.execute_script("document.querySelector('.tool.text-size').click()")
    browser.driver.execute_script("document.querySelector('.tool.text-size').click()")
    settle(0.5)
    boxes = browser.driver.execute_script("""
        return [...document.querySelectorAll('.axis-card')].map(c => c.getBoundingClientRect())
          .filter(r => r.right > 0 && r.left < innerWidth).map(r => [r.left, r.top, r.right, r.bottom]);""")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1), f"overlap {a} {b}"
    browser.driver.execute_script("sessionStorage.clear()")
