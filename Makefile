# The two commands of the README. Both install what is missing first, so they work on a fresh Debian machine
# with the Swift toolchain.
.PHONY: review test deps test-deps build install

REPORT ?= trd-review-report
PREFIX ?= /usr/local

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	swift build -c release --product metaswift

## Copies the release binary to $(PREFIX)/bin (default /usr/local/bin), building it first. Under sudo it only
## copies: building there would leave root-owned files in .build, so run `make build` first.
install:
	@if [ -z "$${SUDO_USER:-}" ]; then $(MAKE) --no-print-directory build; \
	elif [ ! -x .build/release/metaswift ]; then echo "make install: run 'make build' as yourself first" >&2; exit 1; fi
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 .build/release/metaswift "$(DESTDIR)$(PREFIX)/bin/metaswift"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/metaswift"

## The main job: the TRD review reanalysis on the bundled data.
review: build
	.build/release/metaswift review --out $(REPORT)

## Every test: unit, conformance (metafor reference bank) and CLI in the optimized test build (.build-test,
## scripts/test-build.sh), then the notebooks. The Swift Testing output is filtered to issues, known issues, what
## tests print and the closing "Test run with N tests" line (scripts/run-tests.sh; `swift test --disable-xctest`
## prints everything and runs the debug build).
test: test-deps
	@scripts/run-tests.sh
	@scripts/run-notebooks.sh
