"""Fixtures: the real timeline-server, the pages it serves, and headless Chromium browsers."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import (LAYOUTS, Browser, Request, Site, TimelineServer,  # noqa: E402
                     covered_targets, page_facts, target_size_offenders)

PAGE_KINDS = ["home", "event", "map", "era", "place", "person", "credits", "search"]
LANGUAGES = ["en", "ar"]


@pytest.fixture(scope="session")
def server():
    """timeline-server on 127.0.0.1:0 with the snapshot (TIMELINE_SNAPSHOT, default build/exhibit.db)."""
    with TimelineServer() as running:
        yield running


@pytest.fixture(scope="session")
def site(server) -> Site:
    return Site.discover(server)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium with JavaScript and touch emulation, shared by the session.

    Tests set the viewport they need (browser.set_viewport(w, h)).
    """
    b = Browser(javascript=True, touch=True)
    yield b
    b.quit()


@pytest.fixture(scope="session")
def nojs_browser():
    """A second headless Chromium with JavaScript disabled by its preferences."""
    b = Browser(javascript=False, touch=True)
    yield b
    b.quit()


@pytest.fixture
def new_browser():
    """A factory for browsers of one test's own (quit at the end of the test)."""
    made: list[Browser] = []

    def make(**kwargs) -> Browser:
        b = Browser(**kwargs)
        made.append(b)
        return b

    yield make
    for b in made:
        b.quit()


# MARK: - Visits: every page at every layout in both languages, loaded once


@dataclass
class Visit:
    lang: str
    size: tuple[int, int]
    kind: str
    path: str
    requests: list[Request] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    small_targets: list[dict] = field(default_factory=list)
    covered_targets: list[dict] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    error: str = ""


class Visits:
    """Loads each (language, layout) once in the shared browser and keeps what was seen."""

    def __init__(self, browser: Browser, server: TimelineServer, site: Site):
        self.browser, self.server, self.site = browser, server, site
        self.seen: dict[tuple[str, tuple[int, int]], list[Visit]] = {}

    def layout(self, lang: str, size: tuple[int, int]) -> list[Visit]:
        key = (lang, size)
        if key not in self.seen:
            self.seen[key] = [self._visit(lang, size, kind) for kind in PAGE_KINDS]
        return self.seen[key]

    def _visit(self, lang: str, size: tuple[int, int], kind: str) -> Visit:
        path = self.site.pages[lang][kind]
        visit = Visit(lang, size, kind, path)
        b = self.browser
        try:
            b.set_viewport(*size)
            b.driver.get_log("browser")  # drop earlier messages
            visit.requests = b.load(self.server.url(path))
            visit.screenshot = b.screenshot(kind, lang)
            visit.facts = page_facts(b)
            visit.small_targets = target_size_offenders(b)
            visit.covered_targets = covered_targets(b)
            visit.console_errors = b.console_errors()
        except Exception as error:  # a page that breaks the browser is a finding, not a crash
            visit.error = f"{type(error).__name__}: {error}".splitlines()[0]
        return visit


@pytest.fixture(scope="session")
def visits(browser, server, site) -> Visits:
    return Visits(browser, server, site)


def layout_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def pytest_generate_tests(metafunc):
    if "lang" in metafunc.fixturenames:
        metafunc.parametrize("lang", LANGUAGES)
    if "layout" in metafunc.fixturenames:
        metafunc.parametrize("layout", LAYOUTS, ids=layout_id)
    if "page_kind" in metafunc.fixturenames:
        metafunc.parametrize("page_kind", PAGE_KINDS)
