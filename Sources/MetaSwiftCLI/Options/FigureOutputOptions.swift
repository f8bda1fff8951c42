import ArgumentParser
import MetaData
import MetaReport

/// `--out FILE.svg|pdf|png`, `--width`, `--height`, `--dpi`: where a plot goes and, for PDF and PNG, its size on paper.
struct FigureOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the plot to FILE (atomically) instead of standard output: PDF for .pdf, PNG for .png, SVG otherwise.", valueName: "FILE"))
    var out: String?

    @OptionGroup var paper: FigureSizeOptions

    /// The format `--out` names by its extension.
    var format: FigureFormat { Self.format(of: out) }

    /// The format a file name's extension names: PDF for .pdf, PNG for .png, SVG otherwise (and for standard output).
    static func format(of out: String?) -> FigureFormat {
        guard let lower = out?.lowercased() else { return .svg }
        return lower.hasSuffix(".pdf") ? .pdf : lower.hasSuffix(".png") ? .png : .svg
    }

    func validate() throws { try paper.validate(format: format) }

    func size() throws(InputError) -> FigureSize { try paper.size() }

    /// Writes `svg` to `--out` in the format its extension names, or the SVG to standard output.
    func emit(_ svg: String) throws {
        try Self.write(svg, to: out, size: size())
    }

    /// Writes `svg` to `out` in the format its extension names (PDF, PNG, else SVG), or to standard output.
    static func write(_ svg: String, to out: String?, size: FigureSize) throws {
        guard let out else { return Console.current.write(svg) }
        let format = Self.format(of: out)
        guard format != .svg else { return try writeAtomically(svg, to: out) }
        let bytes = try FigureExport.render(svg: svg, format: format, size: size)
        let output = try StreamingOutput(path: out)
        try output.write(bytes)
        try output.commit()
    }
}

/// `--width`, `--height`, `--dpi`: a PDF's or PNG's size on paper (`plot`'s and `bayes --plot`'s).
struct FigureSizeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("PDF/PNG width with its unit (in, mm, cm, pt, px), e.g. 170mm; the height follows the plot's shape unless --height is given.", valueName: "LENGTH"))
    var width: String?

    @Option(help: ArgumentHelp("PDF/PNG height with its unit (in, mm, cm, pt, px).", valueName: "LENGTH"))
    var height: String?

    @Option(help: ArgumentHelp("PNG resolution in pixels per inch (default 300).", valueName: "N"))
    var dpi: Double?

    var isRequested: Bool { width != nil || height != nil || dpi != nil }

    /// Checks the options against the output format.
    func validate(format: FigureFormat) throws {
        if format == .svg, isRequested {
            throw ValidationError("--width, --height and --dpi apply to PDF and PNG output (--out FILE.pdf or FILE.png).")
        }
        if format == .pdf, dpi != nil { throw ValidationError("--dpi applies to PNG output; a PDF is vector graphics.") }
    }

    func size() throws(InputError) -> FigureSize {
        var size = FigureSize(dpi: dpi ?? 300)
        if let width { size.widthInches = try Self.inches(width, option: "--width") }
        if let height { size.heightInches = try Self.inches(height, option: "--height") }
        return size
    }

    /// A length with its unit in inches.
    static func inches(_ text: String, option: String) throws(InputError) -> Double {
        let units: [(String, Double)] = [("mm", 1 / FigureSize.millimetresPerInch), ("cm", 10 / FigureSize.millimetresPerInch),
                                         ("in", 1), ("pt", 1 / FigureSize.pointsPerInch), ("px", 1 / FigureSize.cssPixelsPerInch)]
        let trimmed = text.trimmingSpaces().lowercased()
        for (unit, factor) in units where trimmed.hasSuffix(unit) {
            if let value = Double(String(trimmed.dropLast(unit.count)).trimmingSpaces()), value.isFinite, value > 0 { return value * factor }
        }
        throw .invalidOption(name: option, value: text, expected: "a positive length with its unit: in, mm, cm, pt or px (e.g. 170mm, 6.5in)")
    }

    /// The style of a figure drawn at `--font-size` (body text in pixels; other sizes follow it).
    static func style(fontSize: Double?) throws(InputError) -> PlotStyle {
        guard let fontSize else { return PlotStyle() }
        guard fontSize.isFinite, (4...48).contains(fontSize) else {
            throw .invalidOption(name: "--font-size", value: NumberText.plain(fontSize), expected: "a size between 4 and 48 pixels")
        }
        return PlotStyle(fontSize: fontSize)
    }
}

extension FigureExportError: UserFacingError {}
