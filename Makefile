# Kiosk Timeline: the front door. `make help` lists the targets.
#
#   make run    build, snapshot the default exhibit, serve it on http://127.0.0.1:8080
#   make test   install what is missing, build, run every test

SHELL      := /bin/bash
PREFIX     ?= /usr/local
DESTDIR    ?=
BUILD_DIR  ?= build
CONFIG     ?= debug
EXHIBIT    ?= Assets/exhibit
SNAPSHOT   ?= $(BUILD_DIR)/exhibit.db
LISTEN     ?= 127.0.0.1:8080
# Swift may not be on PATH in a fresh shell; this machine keeps it in /opt/swift.
SWIFT      ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build and tests need (C libraries through pkg-config).
DEB_PACKAGES := pkg-config libsqlite3-dev libcmark-dev zlib1g-dev libssl-dev libmicrohttpd-dev libvips-dev sqlite3 libxml2 systemd

BUILD_TOOL  = .build/$(CONFIG)/timeline-build
SERVER      = .build/$(CONFIG)/timeline-server
# What `make bench` needs besides the build packages: the server it is compared with, the load.
BENCH_PACKAGES := nginx-light wrk util-linux time

.PHONY: help deps deb test-debian13 measure-kiosk bench-deps bench-build build release run snapshot check-exhibit test bench clean install install-kiosk install-builder fonts

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "  Variables: PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) BUILD_DIR=$(BUILD_DIR) CONFIG=$(CONFIG) EXHIBIT=$(EXHIBIT)"

deps: ## Install the Debian packages that are missing (idempotent, quiet when all present)
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done | tr '\n' ' '); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps ## Build the programs (CONFIG=debug or release)
	$(SWIFT) build -c $(CONFIG)

release: deps ## Build release binaries with the Swift standard library linked in
	$(SWIFT) build -c release --static-swift-stdlib

run: snapshot ## Build, snapshot the default exhibit and serve it on $(LISTEN)
	$(SERVER) --snapshot $(SNAPSHOT) --listen $(LISTEN)

snapshot: build ## Compile the default exhibit into $(SNAPSHOT)
	@mkdir -p $(BUILD_DIR)
	$(BUILD_TOOL) $(EXHIBIT) --output $(SNAPSHOT)

check-exhibit: build ## Check the default exhibit, write nothing
	$(BUILD_TOOL) $(EXHIBIT) --check --warnings-as-errors

test: deps browser-deps ## Build and run every test (unit, in-process, end-to-end, the browser tests, then all but the browser on Debian 13)
	$(SWIFT) build
	TIMELINE_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(SWIFT) test
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory test-debian13

# The kiosk's operating system, Debian 13 with its own Swift 6.0.3, libmicrohttpd 1.0.1 and
# systemd 257: a debootstrap'd root cached outside the clone ($(KIOSK_CACHE)), entered with
# systemd-nspawn. `test` builds and runs the test suite there; `boot` boots it with systemd
# and checks the units in systemd/ (Tests/Debian13/boot-checks.py) and the kiosk session
# headless (kiosk-checks.py, screenshots in build/kiosk/).
KIOSK_CACHE ?= /var/cache/timeline-kiosk
export KIOSK_CACHE
DEBIAN13_PACKAGES := debootstrap systemd-container

test-debian13: build ## Build and test on Debian 13 (cached root), then boot it and check the systemd units and the kiosk session
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(DEBIAN13_PACKAGES)"
	$(if $(SUDO),sudo --preserve-env=KIOSK_CACHE )Tests/Debian13/run test
	$(if $(SUDO),sudo --preserve-env=KIOSK_CACHE )Tests/Debian13/run boot

MINUTES ?= 30
measure-kiosk: ## Chromium against cog in the kiosk session on Debian 13: PSS after 1 and MINUTES of attract loop, first event, swipe (a report; ~2×MINUTES)
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(DEBIAN13_PACKAGES)"
	$(if $(SUDO),sudo --preserve-env=KIOSK_CACHE )Tests/Debian13/run measure-kiosk --minutes $(MINUTES)

bench-deps: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(BENCH_PACKAGES)"

# Synthetic exhibits for the start-up and memory table, built once per builder (kept in build/).
BENCH_SIZES := 1000 10000
BENCH_VENV  := $(BUILD_DIR)/bench-venv
DATASETTE   := datasette==0.65.1

$(BENCH_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q $(DATASETTE) pillow==11.0.0 piexif==1.1.3
	@touch $@

# 100 camera-sized photographs (6000×4000 JPEG with EXIF), drawn once (several minutes).
PHOTO_COUNT ?= 100
$(BUILD_DIR)/bench-photos/.made: Tests/Benchmarks/photo_exhibit.py $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python Tests/Benchmarks/photo_exhibit.py $(PHOTO_COUNT) $(BUILD_DIR)/bench-photos
	@touch $@

bench-build: bench-deps release $(BUILD_DIR)/bench-photos/.made ## The builder's time, memory and snapshot size: the default exhibit, 10,000 events, 100 photographs (a report)
	@[ -d $(BUILD_DIR)/bench-10000 ] || $(PYTHON) Tests/Benchmarks/synthetic_exhibit.py 10000 $(BUILD_DIR)/bench-10000 >/dev/null
	$(PYTHON) Tests/Benchmarks/build_bench.py --builder .build/release/timeline-build --rounds $(or $(ROUNDS),3) \
	  --report $(BUILD_DIR)/bench-build.md default=$(EXHIBIT) events-10000=$(BUILD_DIR)/bench-10000 \
	  photos-$(PHOTO_COUNT)=$(BUILD_DIR)/bench-photos

bench: bench-deps release $(BENCH_VENV)/.installed ## Benchmark timeline-server against nginx (pages) and Datasette (search), and at 1k/10k events (a report, not a test)
	@mkdir -p $(BUILD_DIR)
	.build/release/timeline-build $(EXHIBIT) --output $(BUILD_DIR)/bench.db --quiet
	@for n in $(BENCH_SIZES); do \
	  db=$(BUILD_DIR)/bench-$$n.db; \
	  if [ ! -f $$db ] || [ $$db -ot .build/release/timeline-build ]; then \
	    rm -rf $(BUILD_DIR)/bench-$$n && $(PYTHON) Tests/Benchmarks/synthetic_exhibit.py $$n $(BUILD_DIR)/bench-$$n >/dev/null && \
	    .build/release/timeline-build $(BUILD_DIR)/bench-$$n --output $$db --quiet || exit 1; \
	  fi; \
	done
	$(PYTHON) Tests/Benchmarks/bench.py --server .build/release/timeline-server --snapshot $(BUILD_DIR)/bench.db \
	  --scale $(foreach n,$(BENCH_SIZES),$(n)=$(BUILD_DIR)/bench-$(n).db) --datasette $(BENCH_VENV)/bin/datasette \
	  --report $(BUILD_DIR)/bench.md

# Coverage-guided fuzzing (libFuzzer through swiftc -sanitize=fuzzer, with AddressSanitizer):
# the request path and the exhibit loader, FUZZ_SECONDS each. Seeds are kept in Tests/Fuzz
# (replayed by `make test`); what libFuzzer finds goes to build/fuzz-corpus.
FUZZ_SECONDS ?= 300
FUZZ_BUILD   := $(BUILD_DIR)/fuzz-build
.PHONY: fuzz

fuzz: build ## Fuzz the request path and the exhibit loader for FUZZ_SECONDS each (libFuzzer + ASan)
	$(SWIFT) build -c release --scratch-path $(FUZZ_BUILD) --product timeline-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	$(BUILD_TOOL) Tests/Fixtures/good --output $(BUILD_DIR)/fuzz.db --quiet
	@mkdir -p $(BUILD_DIR)/fuzz-corpus/request $(BUILD_DIR)/fuzz-corpus/exhibit
	TIMELINE_FUZZ=request TIMELINE_FUZZ_SNAPSHOT=$(BUILD_DIR)/fuzz.db $(FUZZ_BUILD)/release/timeline-fuzz \
	  -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -max_len=4096 $(BUILD_DIR)/fuzz-corpus/request Tests/Fuzz/request
	TIMELINE_FUZZ=exhibit $(FUZZ_BUILD)/release/timeline-fuzz \
	  -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -max_len=16384 $(BUILD_DIR)/fuzz-corpus/exhibit Tests/Fuzz/exhibit

# Browser tests and measurements (Tests/Browser): Debian's Chromium and chromedriver, and a venv
# with selenium and pytest; axe-core 4.x is the axe.min.js that axe-playwright-python ships (no
# Playwright). No font package: the theme's own fonts must be what the screenshots show.
BROWSER_PACKAGES := chromium chromium-driver nginx-light
VENV        := $(BUILD_DIR)/venv
PYTHON      ?= python3
AXE_PACKAGE := axe-playwright-python==0.1.8
BROWSER_ENV  = TIMELINE_BIN_DIR="$$($(SWIFT) build -c $(CONFIG) --show-bin-path)" TIMELINE_SNAPSHOT=$(SNAPSHOT)
.PHONY: browser-deps test-browser measure-ui

browser-deps: deps $(VENV)/.installed ## Chromium, chromedriver and the browser tests' Python venv (idempotent)
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(BROWSER_PACKAGES)"

$(VENV)/.installed: Tests/Browser/requirements.txt
	@[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r Tests/Browser/requirements.txt
	$(VENV)/bin/pip install -q --no-deps $(AXE_PACKAGE)
	@touch $@

test-browser: browser-deps snapshot ## Browser tests in headless Chromium; screenshots in build/screenshots
	$(BROWSER_ENV) SCREENSHOT_DIR=$(BUILD_DIR)/screenshots $(VENV)/bin/pytest -c Tests/Browser/pytest.ini Tests/Browser $(PYTEST_ARGS)

measure-ui: browser-deps snapshot ## Measure the interface: paint, first event, long tasks, frames, memory (a report)
	$(BROWSER_ENV) $(VENV)/bin/python Tests/Browser/measure.py --report $(BUILD_DIR)/measure-ui.md $(MEASURE_ARGS)

FONT_PACKAGES := fonts-noto-core python3-fonttools python3-brotli
fonts: deps ## Regenerate the theme's WOFF2 fonts from Debian's Noto (they are committed; for a new subset)
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(FONT_PACKAGES)"
	bash Assets/theme/make-fonts.sh

# Where `install` puts things; PREFIX=/usr for the Debian package, /usr/local by default.
UNITDIR     ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/systemd/system,$(PREFIX)/lib/systemd/system)
TMPFILESDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/tmpfiles.d,$(PREFIX)/lib/tmpfiles.d)
SYSCONFDIR  ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
SHAREDIR     = $(PREFIX)/share/timeline-kiosk
DOCDIR       = $(PREFIX)/share/doc/timeline-kiosk
LIBEXECDIR   = $(PREFIX)/libexec/timeline-kiosk

install: install-kiosk install-builder ## Install everything below (a workstation that is also a kiosk)

install-kiosk: release ## Install the server, theme fonts, units, tmpfiles.d, the kiosk session, the default snapshot and docs under $(DESTDIR)$(PREFIX)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SHAREDIR)/kiosk $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(TMPFILESDIR) \
	  $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SYSCONFDIR)/timeline-kiosk $(DESTDIR)$(SYSCONFDIR)/chromium/policies/managed
	install -m 755 .build/release/timeline-server $(DESTDIR)$(PREFIX)/bin/
	@# The theme goes along for its fonts, which the starting page uses.
	cp -r Assets/theme $(DESTDIR)$(SHAREDIR)/
	@# Snapshot by the release builder: the debug one would relink the binaries without
	@# the static Swift runtime.
	.build/release/timeline-build $(EXHIBIT) --output $(BUILD_DIR)/default.db --quiet
	install -m 644 $(BUILD_DIR)/default.db $(DESTDIR)$(SHAREDIR)/default.db
	@# The units name /usr/bin and /usr/share; another PREFIX is written into them.
	for unit in systemd/*.socket systemd/*.service systemd/*.path; do \
	  sed -e 's|/usr/bin/|$(PREFIX)/bin/|g' -e 's|/usr/share/|$(PREFIX)/share/|g' -e 's|/usr/libexec/|$(PREFIX)/libexec/|g' \
	    $$unit > $(DESTDIR)$(UNITDIR)/$$(basename $$unit); \
	done
	@# The kiosk session (timeline-kiosk.service): its scripts, first page, settings and
	@# Chromium's managed policies.
	install -m 755 kiosk/session kiosk/browser kiosk/schedule $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 kiosk/config.sh $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 kiosk/starting.html $(DESTDIR)$(SHAREDIR)/kiosk/
	install -m 644 kiosk/kiosk.conf $(DESTDIR)$(SYSCONFDIR)/timeline-kiosk/
	sed -e 's|/usr/share/|$(PREFIX)/share/|g' kiosk/chromium-policy.json > $(DESTDIR)$(SYSCONFDIR)/chromium/policies/managed/timeline-kiosk.json
	sed -e 's|/usr/share/|$(PREFIX)/share/|g' systemd/timeline-kiosk.tmpfiles > $(DESTDIR)$(TMPFILESDIR)/timeline-kiosk.conf
	install -m 644 README.md EXHIBIT_FORMAT.md $(DESTDIR)$(DOCDIR)/

# The builder belongs on the curator's workstation: it links libvips (and what libvips
# links), which a kiosk never needs.
BUILDER_SHAREDIR = $(PREFIX)/share/timeline-build
BUILDER_DOCDIR   = $(PREFIX)/share/doc/timeline-build

install-builder: release ## Install timeline-build, its theme and the exhibit format under $(DESTDIR)$(PREFIX)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(BUILDER_SHAREDIR) $(DESTDIR)$(BUILDER_DOCDIR)
	install -m 755 .build/release/timeline-build $(DESTDIR)$(PREFIX)/bin/
	cp -r Assets/theme $(DESTDIR)$(BUILDER_SHAREDIR)/
	install -m 644 README.md EXHIBIT_FORMAT.md $(DESTDIR)$(BUILDER_DOCDIR)/

# The Debian package, for the machine it is built on (Debian 12 here; Debian 13 inside the
# cached root): Depends computed by dpkg-shlibdeps from what the binaries link, so the
# package names fit that release (libmicrohttpd12 on 12, libmicrohttpd12t64 on 13).
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null)
DEB_VERSION := $(shell sed -n 's/.*let version = "\(.*\)"/\1/p' Sources/TimelineSnapshot/Release.swift)
DEB_DIR      = $(BUILD_DIR)/deb
DEB_FILE     = $(BUILD_DIR)/timeline-kiosk_$(DEB_VERSION)_$(DEB_ARCH).deb
BUILDER_DEB  = $(BUILD_DIR)/timeline-build_$(DEB_VERSION)_$(DEB_ARCH).deb

ARCH ?= $(DEB_ARCH)

# One package: $(1) name, $(2) staging root, $(3) binary for dpkg-shlibdeps, $(4) control template, $(5) output.
define debian-package
	cd $(2) && if [ -d etc ]; then find etc -type f | sed 's|^|/|' > DEBIAN/conffiles; fi
	rm -rf $(DEB_DIR)/shlibs && mkdir -p $(DEB_DIR)/shlibs/debian
	printf 'Source: $(1)\n\nPackage: $(1)\nArchitecture: any\n' > $(DEB_DIR)/shlibs/debian/control
	cd $(DEB_DIR)/shlibs && dpkg-shlibdeps -O $(abspath $(2))/usr/bin/$(3) | sed -n 's/^shlibs:Depends=//p' > ../$(1).depends
	@test -s $(DEB_DIR)/$(1).depends || { echo "make deb: dpkg-shlibdeps found no dependencies for $(1)"; exit 1; }
	sed -e 's/@VERSION@/$(DEB_VERSION)/' -e 's/@ARCH@/$(DEB_ARCH)/' \
	  -e "s/@SIZE@/$$(du -sk --exclude=DEBIAN $(2) | cut -f1)/" \
	  -e "s/@DEPENDS@/$$(cat $(DEB_DIR)/$(1).depends)/" $(4) > $(2)/DEBIAN/control
	dpkg-deb --root-owner-group -Zxz --build $(2) $(5)
	@echo "make deb: $(5) ($$(du -h $(5) | cut -f1)), Depends: $$(cat $(DEB_DIR)/$(1).depends)"
endef

deb: ## Build $(BUILD_DIR)/timeline-kiosk_VERSION_ARCH.deb (the kiosk) and timeline-build_VERSION_ARCH.deb (the workstation); ARCH=arm64: in a Debian 13 arm64 root under qemu (slow)
ifneq ($(ARCH),$(DEB_ARCH))
	$(if $(SUDO),sudo --preserve-env=KIOSK_CACHE,) env ARCH=$(ARCH) Tests/Debian13/run deb
else
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="dpkg-dev"
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/kiosk/DEBIAN $(DEB_DIR)/builder/DEBIAN
	$(MAKE) --no-print-directory install-kiosk PREFIX=/usr DESTDIR=$(abspath $(DEB_DIR)/kiosk)
	$(MAKE) --no-print-directory install-builder PREFIX=/usr DESTDIR=$(abspath $(DEB_DIR)/builder)
	strip --strip-unneeded $(DEB_DIR)/kiosk/usr/bin/timeline-server $(DEB_DIR)/builder/usr/bin/timeline-build
	install -m 755 kiosk/deb/postinst kiosk/deb/prerm kiosk/deb/postrm $(DEB_DIR)/kiosk/DEBIAN/
	$(call debian-package,timeline-kiosk,$(DEB_DIR)/kiosk,timeline-server,kiosk/deb/control.in,$(DEB_FILE))
	$(call debian-package,timeline-build,$(DEB_DIR)/builder,timeline-build,kiosk/deb/builder-control.in,$(BUILDER_DEB))
	@# The kiosk must not pull in libvips and the hundred packages behind it.
	@! dpkg-deb -f $(DEB_FILE) Depends | grep -q vips || { echo "make deb: the kiosk package depends on libvips"; exit 1; }
endif

clean: ## Remove build products
	rm -rf .build $(BUILD_DIR)
