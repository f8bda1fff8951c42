# Sourced by scripts/run-tests.sh: the one definition of the build the test suite of `make test` uses.
# The suite runs optimized: in a debug build the numerical code is 30-60x slower (the whole suite took 55 min of CPU
# in debug, 1 min optimized), and CI's time is what keeps it worth running. `-enable-testing` keeps the
# `@testable import`s working in an optimized build. The build lives in its own scratch path so that `make review`'s
# release build (no -enable-testing) and this one do not rebuild each other. `--debug` (first argument of
# run-tests.sh) runs the same suite in the debug build in .build, as `swift test` does.
TEST_BUILD_FLAGS=(-c release -Xswiftc -enable-testing --scratch-path .build-test)
