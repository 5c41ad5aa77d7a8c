"""Generic checks of every kind of page, in both languages, at every kiosk layout.

These know nothing of the interface's internals: they load the pages a visitor reaches
(home, an event, the map, an era, a place, a person, credits, search) and check what any
page of the exhibit must satisfy. Screenshots go to build/screenshots/KIND-LANG-WxH.png.
"""

from __future__ import annotations

import html.parser
import urllib.parse

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from harness import cross_origin, format_axe, page_facts, run_axe

# axe runs at one layout (it is slow and layout-independent for most rules).
AXE_LAYOUT = (1920, 1080)


def problems_report(title: str, problems: list[str]) -> str:
    return f"{title}:\n" + "\n".join("  " + p for p in problems)


def broken(visit) -> str | None:
    return f"{visit.kind} {visit.path}: {visit.error}" if visit.error else None


# MARK: - Per layout and language


def test_pages_load_and_screenshots(visits, lang, layout):
    """Every page loads (no failed request, no console error) and leaves a screenshot."""
    problems = []
    for v in visits.layout(lang, layout):
        if v.error:
            problems.append(broken(v))
            continue
        for r in v.requests:
            if r.failed:
                problems.append(f"{v.kind} {v.path}: {r.type} {r.url} -> {r.error or r.status}")
        for message in v.console_errors:
            problems.append(f"{v.kind} {v.path}: console: {message[:200]}")
        if not v.screenshot or not v.screenshot.exists():
            problems.append(f"{v.kind} {v.path}: no screenshot")
    assert not problems, problems_report(f"{lang} at {layout[0]}x{layout[1]}", problems)


def test_no_horizontal_scroll(visits, lang, layout):
    """document.documentElement.scrollWidth <= clientWidth on every page."""
    problems = []
    for v in visits.layout(lang, layout):
        if v.error:
            problems.append(broken(v))
        elif v.facts["scrollWidth"] > v.facts["clientWidth"]:
            problems.append(f"{v.kind} {v.path}: scrollWidth {v.facts['scrollWidth']} > "
                            f"clientWidth {v.facts['clientWidth']}")
    assert not problems, problems_report(f"horizontal scroll, {lang} at {layout[0]}x{layout[1]}", problems)


def test_touch_targets_at_least_48px(visits, lang, layout):
    """Every visible interactive element is at least 48×48 CSS px."""
    problems = []
    for v in visits.layout(lang, layout):
        if v.error:
            problems.append(broken(v))
            continue
        for t in v.small_targets[:12]:
            problems.append(f"{v.kind} {v.path}: {t['width']}x{t['height']} {t['display']} "
                            f"{t['selector']} \"{t['text']}\"")
        if len(v.small_targets) > 12:
            problems.append(f"{v.kind} {v.path}: … {len(v.small_targets) - 12} more")
    assert not problems, problems_report(
        f"targets under 48x48 CSS px, {lang} at {layout[0]}x{layout[1]}", problems)


def test_touch_targets_not_covered(visits, lang, layout):
    """No visible interactive element in the first screen has another element over its centre."""
    problems = []
    for v in visits.layout(lang, layout):
        if v.error:
            problems.append(broken(v))
            continue
        # Under a layer that fills most of the screen (a modal view): one line for the lot.
        layers: dict[str, list[dict]] = {}
        single = []
        for t in v.covered_targets:
            (layers.setdefault(t["layer"], []) if t["layerShare"] >= 0.5 else single).append(t)
        for layer, under in layers.items():
            problems.append(f"{v.kind} {v.path}: {len(under)} targets under the full-screen layer {layer} "
                            f"are not inert (e.g. {under[0]['selector']})")
        for t in single[:12]:
            problems.append(f"{v.kind} {v.path}: {t['selector']} \"{t['text']}\" ({t['width']}x{t['height']}) "
                            f"under {t['coveredBy']}")
        if len(single) > 12:
            problems.append(f"{v.kind} {v.path}: … {len(single) - 12} more")
    assert not problems, problems_report(
        f"targets covered by other elements, {lang} at {layout[0]}x{layout[1]}", problems)


# MARK: - Per language


def test_lang_and_dir_on_html(visits, site, lang):
    """<html> has the page's lang and dir (rtl for Arabic) on every page."""
    want_dir = site.dirs.get(lang, "rtl" if lang == "ar" else "ltr")
    problems = []
    for v in visits.layout(lang, AXE_LAYOUT):
        if v.error:
            problems.append(broken(v))
            continue
        if v.facts.get("lang") != lang:
            problems.append(f"{v.kind} {v.path}: lang={v.facts.get('lang')!r}, want {lang!r}")
        if v.facts.get("dir") != want_dir:
            problems.append(f"{v.kind} {v.path}: dir={v.facts.get('dir')!r}, want {want_dir!r}")
    assert not problems, problems_report(f"lang/dir, {lang}", problems)


def test_every_request_same_origin(visits, server, lang, layout):
    """Every URL the pages requested (performance log) has the server's origin."""
    problems = []
    for v in visits.layout(lang, layout):
        if v.error:
            problems.append(broken(v))
        for url in cross_origin(v.requests, server.origin):
            problems.append(f"{v.kind} {v.path}: {url}")
    assert not problems, problems_report(f"requests to other origins, {lang}", problems)


# MARK: - axe-core


def test_axe(browser, server, site, lang, page_kind):
    """axe-core 4.x: 0 violations (WCAG 2.x A/AA, best practice, target-size, 7:1 contrast)."""
    browser.set_viewport(*AXE_LAYOUT)
    path = site.pages[lang][page_kind]
    browser.load(server.url(path))
    violations = run_axe(browser)
    assert not violations, f"axe on {path} at {AXE_LAYOUT[0]}x{AXE_LAYOUT[1]}:\n" + format_axe(violations)


# MARK: - Without JavaScript


def test_without_javascript_home_links_everything(nojs_browser, server, site, lang):
    """With JavaScript off, the home page links events, eras, places, people and search."""
    b = nojs_browser
    b.set_viewport(*AXE_LAYOUT)
    home = site.pages[lang]["home"]
    b.load(server.url(home))
    assert b.driver.execute_script("return document.documentElement.getAttribute('lang')") == lang
    hrefs = b.driver.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    paths = {urllib.parse.urlsplit(urllib.parse.urljoin(server.url(home), h)).path for h in hrefs}
    forms = b.driver.execute_script("""
        return [...document.querySelectorAll('form')].map(f => ({
          action: new URL(f.getAttribute('action') || location.href, location.href).pathname,
          q: !!f.querySelector('[name=q]')}))""")
    missing = []
    for kind, prefix in (("event", f"/{lang}/events/"), ("era", f"/{lang}/eras/"),
                         ("place", f"/{lang}/places/"), ("person", f"/{lang}/people/")):
        # An index page (/LANG/places/) counts as a way in; so does any single page.
        if not any(p.startswith(prefix) for p in paths):
            missing.append(f"no link to any {kind} page or index ({prefix}…)")
    if not any(p == "/search" for p in paths) and not any(f["action"] == "/search" and f["q"] for f in forms):
        missing.append("no link or form to /search")
    b.screenshot("home-nojs", lang)
    assert not missing, problems_report(f"{home} without JavaScript", missing)


def test_without_javascript_search_works(nojs_browser, server, site, lang):
    """With JavaScript off, the search page's form submits and lists results that link events."""
    b = nojs_browser
    b.set_viewport(*AXE_LAYOUT)
    b.load(server.url(f"/search?lang={lang}"))
    fields = b.driver.find_elements("css selector", "form [name=q]")
    assert fields, f"/search?lang={lang} has no form field named q"
    fields[0].send_keys(site.search_words[lang])
    fields[0].send_keys(Keys.ENTER)  # implicit submission, as a keyboard would
    WebDriverWait(b.driver, 10).until(expected_conditions.staleness_of(fields[0]))
    b.wait_ready()
    url = b.driver.current_url
    assert "/search" in url and "q=" in url, f"the form went to {url}"
    links = b.driver.execute_script(
        "return [...document.querySelectorAll('main a[href]')].map(a => new URL(a.href).pathname)")
    assert any(p.startswith(f"/{lang}/events/") for p in links), \
        f"searching {site.search_words[lang]!r} without JavaScript listed no event link ({url})"


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def test_without_javascript_every_page_reachable(server, site, lang):
    """Following links in the served HTML from the home page reaches every event, era, place and person.

    This is what a browser without JavaScript sees; plain HTTP keeps it fast.
    """
    start = site.pages[lang]["home"]
    seen, todo = {start}, [start]
    while todo and len(seen) < 5000:
        path = todo.pop()
        status, body = server.get_text(path)
        if status != 200 or "<html" not in body[:500].lower():
            continue
        parser = _Links()
        parser.feed(body)
        for href in parser.hrefs:
            parts = urllib.parse.urlsplit(urllib.parse.urljoin(server.url(path), href))
            if parts.netloc != urllib.parse.urlsplit(server.origin).netloc:
                continue
            if not parts.path.startswith(f"/{lang}/"):
                continue
            if parts.path not in seen:
                seen.add(parts.path)
                todo.append(parts.path)
    missing = []
    for kind in ("event", "era", "place", "person"):
        unreached = [p for p in site.all_pages[lang][kind] if p not in seen]
        if unreached:
            missing.append(f"{len(unreached)} of {len(site.all_pages[lang][kind])} {kind} pages, "
                           f"e.g. {unreached[:3]}")
    assert not missing, problems_report(f"not reachable by links from {start}", missing)
