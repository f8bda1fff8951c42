import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift plot KIND --out FILE.pdf|FILE.png` and `metaswift bayes --plot KIND --out …`: every plot type (the contour funnel is the funnel's SVG) rendered through librsvg and cairo. The files are
/// checked as files, not pixels: a PDF's header, its one page and its embedded fonts (text stays text); a PNG's
/// signature and the size its IHDR chunk declares.
@Suite("metaswift plot: PDF and PNG")
struct PlotExportCommandTests {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets/classic")
    static let kinds: [(String, [String])] = [
        ("forest", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
        ("funnel", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR", "--trimfill"]),
        ("baujat", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
        ("gosh", ["--data", datasets.appendingPathComponent("normand1999.csv").path, "--measure", "SMD", "--method", "DL"]),
        ("cumulative", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR", "--sort", "year"]),
        ("leave1out", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
        ("radial", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
        ("labbe", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
        ("bubble", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR", "--mods", "ablat"]),
        ("qq", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
        ("drapery", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
        ("profile", ["--data", datasets.appendingPathComponent("bcg.csv").path, "--measure", "RR"]),
    ]

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("metaswift-export-\(UUID().uuidString)-\(name)").path
    }

    /// `bayes --plot KIND`: the Bayesian model's four plots, on the three studies of Hinks et al. (2010).
    static let hinks = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("GoldenCorpus/inputs/hinks2010.csv").path

    /// Every figure the CLI draws, by name: the twelve `plot` kinds, then `bayes-joint|tau|mu|forest`.
    static let figures: [(String, [String])] = kinds.map { ($0.0, ["plot", $0.0] + $0.1) }
        + ["joint", "tau", "mu", "forest"].map { ("bayes-\($0)", ["bayes", "--data", hinks, "--plot", $0]) }

    @Test(arguments: figures.map(\.0))
    func pdfHasOnePageAndEmbeddedFonts(_ figure: String) throws {
        try Self.checkPDF(Self.figures.first { $0.0 == figure }!.1, name: figure)
    }

    @Test(arguments: figures.map(\.0))
    func pngHasTheRequestedSize(_ figure: String) throws {
        try Self.checkPNG(Self.figures.first { $0.0 == figure }!.1, name: figure)
    }

    static func checkPDF(_ command: [String], name: String) throws {
        let path = temporary("\(name).pdf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(command + ["--out", path, "--width", "170mm"])
        #expect(r.exitCode == 0, "\(name): \(r.standardError)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1."))
        #expect(text.contains("%%EOF"))
        // One page: one /Type /Page object besides the /Type /Pages tree, and its tree says /Count 1.
        #expect(text.components(separatedBy: "/Type /Page\n").count - 1 + text.components(separatedBy: "/Type /Page ").count - 1 == 1)
        #expect(text.contains("/Count 1"))
        // Text is set in embedded (subset) fonts, not drawn as outlines.
        #expect(text.contains("/FontFile"))
        // 170 mm wide = 481.89 pt (the MediaBox's third number).
        let box = try #require(text.range(of: #"/MediaBox \[ ?0 0 [0-9.]+ [0-9.]+ ?\]"#, options: .regularExpression))
        let numbers = text[box].split(whereSeparator: { " []".contains($0) }).compactMap { Double($0) }
        #expect(abs(numbers[2] - 170 / 25.4 * 72) < 0.01, "\(name): \(text[box])")
    }

    static func checkPNG(_ command: [String], name: String) throws {
        let path = temporary("\(name).png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(command + ["--out", path, "--width", "4in", "--height", "3in", "--dpi", "150"])
        #expect(r.exitCode == 0, "\(name): \(r.standardError)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
        func bigEndian(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        // 4 × 3 inches at 150 dpi.
        #expect(bigEndian(16) == 600 && bigEndian(20) == 450, "\(name)")
    }

    @Test func badSizesAreOneSentence() {
        let data = Self.kinds[0].1
        let unit = MetaSwiftCommand.runCapturing(["plot", "forest"] + data + ["--out", Self.temporary("x.pdf"), "--width", "17"])
        #expect(unit.exitCode != 0)
        #expect(unit.standardError == "Error: Option --width: expected a positive length with its unit: in, mm, cm, pt or px (e.g. 170mm, 6.5in); found '17'.\n")
        let svg = MetaSwiftCommand.runCapturing(["plot", "forest"] + data + ["--out", Self.temporary("x.svg"), "--dpi", "300"])
        #expect(svg.exitCode != 0)
        #expect(svg.standardError.contains("--width, --height and --dpi apply to PDF and PNG output"))
        let dpi = MetaSwiftCommand.runCapturing(["plot", "forest"] + data + ["--out", Self.temporary("x.png"), "--dpi", "5"])
        #expect(dpi.standardError == "Error: The figure's resolution (dpi) must be between 10 and 2400; found 5.\n")
    }
}
