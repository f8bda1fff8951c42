// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "MetaSwift",
    products: [
        .library(name: "MetaNumerics", targets: ["MetaNumerics"]),
        .library(name: "MetaData", targets: ["MetaData"]),
        .library(name: "MetaAnalysis", targets: ["MetaAnalysis"]),
        .library(name: "MetaReport", targets: ["MetaReport"]),
        .library(name: "MetaDatasets", targets: ["MetaDatasets"]),
        .executable(name: "metaswift", targets: ["metaswift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    ],
    targets: [
        // MARK: Implementation details

        /// Value-parameter wrappers over CBLAS and the Fortran LAPACK symbols. Not API; used only by MetaNumerics.
        /// OpenBLAS is loaded (dlopen) on the first BLAS/LAPACK call, not linked: loading it costs ~3 ms at every
        /// process start, and most commands never call it.
        .target(
            name: "_MetaShims",
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread"), .linkedLibrary("m")]
        ),

        /// PDF and PNG from the plots' SVG: librsvg and cairo bound at run time (dlopen), so the package builds and
        /// SVG works where they are absent. Not API; used only by MetaReport's figure export.
        .target(
            name: "_MetaRenderShims",
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]
        ),

        // MARK: Library (public API; one-way stack: numerics → data → analysis → report)

        .target(
            name: "MetaNumerics",
            dependencies: ["_MetaShims"],
            linkerSettings: [.linkedLibrary("m")]
        ),
        /// CSV bytes → typed study data with row/column-aware errors, the escalc column map, whole-file reads with
        /// the SHA-256 of the bytes read. No statistics.
        .target(name: "MetaData"),
        /// Typed in, typed out: effect sizes, models, heterogeneity, meta-regression, bias, sensitivity,
        /// resampling. No file I/O, no command-line words.
        .target(
            name: "MetaAnalysis",
            dependencies: ["MetaData", "MetaNumerics"]
        ),
        /// Renderers only: text tables, CSV, JSON with provenance, SVG plots (and their PDF/PNG through _MetaRenderShims).
        .target(
            name: "MetaReport",
            dependencies: ["MetaAnalysis", "MetaData", "MetaNumerics", "_MetaRenderShims"]
        ),
        /// The bundled datasets (TRD review, classic validation sets) as text, generated from `Datasets/` by
        /// `scripts/embed-datasets.py`. Depends on nothing.
        .target(name: "MetaDatasets"),

        // MARK: Applications of the library

        /// The TRD review reanalysis: evidence (studies, outcomes, eligibility and overlap rules), rates and
        /// comparisons, the review's claims and gaps, the review report. The library knows nothing of it.
        .target(
            name: "TRDReview",
            dependencies: ["MetaAnalysis", "MetaData", "MetaReport", "MetaNumerics"]
        ),

        // MARK: Command-line interface (options → library → render; no statistics)

        /// The command-line interface as a library, so tests can run commands in-process. No statistics here.
        .target(
            name: "MetaSwiftCLI",
            dependencies: [
                "MetaData", "MetaAnalysis", "MetaReport", "MetaDatasets", "TRDReview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "metaswift",
            dependencies: ["MetaSwiftCLI"]
        ),

        // MARK: Tests

        /// What several test targets share: seeded generators, fixtures. Not shipped.
        .target(name: "_TestSupport", path: "Tests/_TestSupport"),

        .testTarget(name: "MetaNumericsTests", dependencies: ["MetaNumerics"], exclude: ["Fixtures"]),
        .testTarget(name: "MetaDataTests", dependencies: ["MetaData"]),
        .testTarget(name: "MetaAnalysisTests", dependencies: ["MetaAnalysis", "MetaData", "_TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MetaReportTests", dependencies: ["MetaReport", "MetaData", "_TestSupport"]),
        .testTarget(name: "TRDReviewTests", dependencies: ["TRDReview", "MetaAnalysis", "MetaData"]),
        .testTarget(name: "MetaSwiftCLITests", dependencies: ["MetaSwiftCLI", "MetaData", "TRDReview", "_TestSupport"], exclude: ["Golden", "GoldenCorpus"]),
        /// The bundled copy equals `Datasets/` byte for byte, and the TRD data pass their integrity rules.
        .testTarget(name: "MetaDatasetsTests", dependencies: ["MetaDatasets", "MetaData", "MetaAnalysis"]),
        /// metafor's reference bank (copied from shared/conformance into Tests/ConformanceTests/Bank).
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["MetaData", "MetaAnalysis", "MetaReport", "MetaSwiftCLI"],
            exclude: ["Bank", "BankV5b", "BankMV", "pending.txt"]
        ),
    ]
)
