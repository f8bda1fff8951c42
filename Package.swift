// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "MetaSwift",
    products: [
        .library(name: "MetaNumerics", targets: ["MetaNumerics"]),
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
        .target(
            name: "_MetaShims",
            linkerSettings: [.linkedLibrary("openblas"), .linkedLibrary("m")]
        ),

        // MARK: Library (public API; one-way stack: numerics → analysis → report)

        .target(
            name: "MetaNumerics",
            dependencies: ["_MetaShims"],
            linkerSettings: [.linkedLibrary("m")]
        ),
        .target(
            name: "MetaAnalysis",
            dependencies: ["MetaNumerics"]
        ),
        .target(
            name: "MetaReport",
            dependencies: ["MetaAnalysis", "MetaNumerics"]
        ),
        /// The bundled datasets (TRD review, classic validation sets) as text, generated from `Datasets/` by
        /// `scripts/embed-datasets.py`. Depends on nothing.
        .target(name: "MetaDatasets"),

        // MARK: Applications of the library

        /// The TRD review reanalysis: evidence (studies, outcomes, eligibility and overlap rules), rates and
        /// comparisons, the review's claims and gaps, the review report. The library knows nothing of it.
        .target(
            name: "TRDReview",
            dependencies: ["MetaAnalysis", "MetaReport", "MetaNumerics"]
        ),

        // MARK: Command-line interface (options → library → render; no statistics)

        /// The command-line interface as a library, so tests can run commands in-process. No statistics here.
        .target(
            name: "MetaSwiftCLI",
            dependencies: [
                "MetaAnalysis", "MetaReport", "MetaDatasets", "TRDReview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "metaswift",
            dependencies: ["MetaSwiftCLI"]
        ),

        // MARK: Tests

        .testTarget(name: "MetaNumericsTests", dependencies: ["MetaNumerics"], exclude: ["Fixtures"]),
        .testTarget(name: "MetaAnalysisTests", dependencies: ["MetaAnalysis"]),
        .testTarget(name: "MetaReportTests", dependencies: ["MetaReport"]),
        .testTarget(name: "TRDReviewTests", dependencies: ["TRDReview", "MetaAnalysis"]),
        .testTarget(name: "MetaSwiftCLITests", dependencies: ["MetaSwiftCLI", "TRDReview"], exclude: ["Golden", "GoldenCorpus"]),
        /// The bundled copy equals `Datasets/` byte for byte, and the TRD data pass their integrity rules.
        .testTarget(name: "MetaDatasetsTests", dependencies: ["MetaDatasets", "MetaAnalysis"]),
        /// metafor's reference bank (copied from shared/conformance into Tests/ConformanceTests/Bank).
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["MetaAnalysis", "MetaReport", "MetaSwiftCLI"],
            exclude: ["Bank", "BankV5b", "pending.txt"]
        ),
    ]
)
