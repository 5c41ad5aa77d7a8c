# Kiosk Timeline: the front door. `make help` lists the targets.
#
#   make run    build, snapshot the default exhibit, serve it   (comes with timeline-server)
#   make test   install what is missing, build, run every test

SHELL      := /bin/bash
PREFIX     ?= /usr/local
DESTDIR    ?=
BUILD_DIR  ?= build
CONFIG     ?= debug
EXHIBIT    ?= Assets/exhibit
SNAPSHOT   ?= $(BUILD_DIR)/exhibit.db
# Swift may not be on PATH in a fresh shell; this machine keeps it in /opt/swift.
SWIFT      ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build and tests need (C libraries through pkg-config).
DEB_PACKAGES := pkg-config libsqlite3-dev libcmark-dev zlib1g-dev libssl-dev libmicrohttpd-dev sqlite3

BUILD_TOOL  = .build/$(CONFIG)/timeline-build

.PHONY: help deps build release snapshot check-exhibit test clean install

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "  Variables: PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) BUILD_DIR=$(BUILD_DIR) CONFIG=$(CONFIG) EXHIBIT=$(EXHIBIT)"

deps: ## Install the Debian packages that are missing (idempotent, quiet when all present)
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps ## Build the programs (CONFIG=debug or release)
	$(SWIFT) build -c $(CONFIG)

release: deps ## Build release binaries with the Swift standard library linked in
	$(SWIFT) build -c release --static-swift-stdlib

snapshot: build ## Compile the default exhibit into $(SNAPSHOT)
	@mkdir -p $(BUILD_DIR)
	$(BUILD_TOOL) $(EXHIBIT) --output $(SNAPSHOT)

check-exhibit: build ## Check the default exhibit, write nothing
	$(BUILD_TOOL) $(EXHIBIT) --check --warnings-as-errors

test: deps ## Build and run every test (unit, in-process, end-to-end)
	$(SWIFT) build
	TIMELINE_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(SWIFT) test

install: release ## Install the programs and theme under $(DESTDIR)$(PREFIX)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kiosk-timeline
	install -m 755 .build/release/timeline-build $(DESTDIR)$(PREFIX)/bin/
	cp -r Assets/theme $(DESTDIR)$(PREFIX)/share/kiosk-timeline/

clean: ## Remove build products
	rm -rf .build $(BUILD_DIR)
