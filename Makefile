# The two commands of the README. Both install what is missing first, so they work on a fresh Debian machine
# with the Swift toolchain.
.PHONY: review test deps test-deps build install

REPORT ?= trd-review-report
PREFIX ?= /usr/local

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

## The release binary: Swift standard library linked statically and a position-dependent executable (-no-pie), so
## it needs no Swift runtime at run time and starts in ~2 ms instead of ~11 ms (no Swift libraries to load, no
## relocation of its 48 MB image at every start; Benchmarks/RESULTS.md). OpenBLAS is loaded on its first use.
## scripts/run-notebooks.sh and Benchmarks/Batch build through this target; the test suite has its own optimized
## build (scripts/test-build.sh).
RELEASE_BUILD = swift build -c release --static-swift-stdlib -Xlinker -no-pie --product metaswift

build: deps
	$(RELEASE_BUILD)

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
