# The two commands of the README. Both install what is missing first, so they work on a fresh Debian machine
# with the Swift toolchain.
.PHONY: review test deps test-deps build

REPORT ?= trd-review-report

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	swift build -c release --product metaswift

## The main job: the TRD review reanalysis on the bundled data.
review: build
	.build/release/metaswift review --out $(REPORT)

## Every test: unit, conformance (metafor reference bank), CLI, and the notebooks. The Swift Testing output is
## filtered to issues, known issues, what tests print and the closing "Test run with N tests" line
## (scripts/run-tests.sh; `swift test --disable-xctest` prints everything).
test: test-deps
	@scripts/run-tests.sh
	@scripts/run-notebooks.sh
