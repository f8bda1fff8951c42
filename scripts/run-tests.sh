#!/usr/bin/env bash
# Runs the Swift Testing suite (`swift test --disable-xctest`: the package has no XCTest tests) and prints what a
# person reads: build errors and warnings, every issue with its detail lines, known issues, what tests print (the
# conformance summary per group, accuracy reports), and the closing "Test run with N tests ..." line, which stays
# the last line. Dropped: build progress, "started" events and "passed" events (about 1,000 lines each run).
# If the run dies before its closing line (a crash, a signal), the tests that started and never finished are
# listed, so the culprit is named. The exit status is swift test's own (pipefail). Extra arguments go to
# `swift test` (e.g. scripts/run-tests.sh --filter Conformance). The build is the optimized test build of
# scripts/test-build.sh; `scripts/run-tests.sh --debug ...` uses the debug build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-build.sh
flags=("${TEST_BUILD_FLAGS[@]}")
if [ "${1:-}" = "--debug" ]; then flags=(); shift; fi

swift test "${flags[@]}" --disable-xctest "$@" 2>&1 | awk '
    # A Swift Testing event starts with one of its symbols. An argument shown in an event may span lines, so a
    # dropped event takes its continuation lines with it, up to the line that ends it ("started." or "seconds.").
    function is_event(line) { return line ~ /^(◇|✔|✘|━|↳|⚠|➜|⎘|±)/ }
    function name_of(line) {
        sub(/^[^ ]+ /, "", line)
        sub(/ (started|passed after|failed after|skipped).*$/, "", line)
        sub(/ with [0-9]+ test cases?$/, "", line)
        return line
    }
    # Output written without a newline just before an event line ends up glued behind it ("... started.error:
    # Process ... exited with unexpected signal code 4" when the test process crashes): it is printed on its own.
    function print_glued(line, end,    rest) {
        rest = line
        while (match(rest, end)) rest = substr(rest, RSTART + RLENGTH)
        if (rest != "" && rest != line) { print rest; fflush() }
    }
    dropping != "" {
        if ($0 ~ dropping) { print_glued($0, dropping); dropping = "" }
        else if ($0 ~ /^error: /) { print; fflush() }
        next
    }
    /^◇ / {
        if ($0 !~ /started\./) dropping = "started\\."
        if ($0 ~ /^◇ (Test|Suite) / && $0 ~ /started\.$/ && $0 !~ /^◇ Test (run|case) /) running[name_of($0)] = 1
        print_glued($0, "started\\.")
        next
    }
    /^✔ (Test|Suite) / && !/^✔ Test run with / {
        if ($0 !~ /seconds\./) dropping = "seconds\\."
        else delete running[name_of($0)]
        print_glued($0, "seconds\\.")
        next
    }
    /^(✘|━) (Test|Suite) .* (passed|failed) after / { delete running[name_of($0)] }
    /^↳ (Testing Library Version|Target Platform):/ { next }
    /^(✔|✘|━) Test run with / { finished = 1 }
    !is_event($0) && (/^\[[0-9]+\/[0-9]+\] / || /^Building for debugging/ || /^Build complete!/ || /^\[0\/1\] Planning build/ || /^Write swift-version/) { next }
    { print; fflush() }
    END {
        if (!finished) {
            n = 0
            for (t in running) n++
            if (n > 0) {
                print "The test run ended without its summary line; tests that started and never finished:"
                for (t in running) print "  " t
            }
        }
    }'
