import _MetaRenderShims

/// The file formats a plot is written in: SVG as drawn, PDF and PNG rendered from it by librsvg and cairo.
public enum FigureFormat: String, CaseIterable, Sendable {
    case svg, pdf, png
}

/// Why a figure could not be rendered to PDF or PNG.
public enum FigureExportError: Error, Equatable, CustomStringConvertible {
    /// librsvg or cairo is not installed; SVG output still works.
    case rendererUnavailable(reason: String)
    case invalidSVG(reason: String)
    case renderingFailed(reason: String)
    /// A requested size or resolution outside what a figure can have.
    case invalidSize(what: String, value: Double, expected: String)

    public var description: String {
        switch self {
        case let .rendererUnavailable(reason):
            return "PDF and PNG output need librsvg and cairo (Debian: librsvg2-2 and libcairo2; scripts/install-deps.sh installs them), and \(reason); SVG output works without them."
        case let .invalidSVG(reason): return "The figure could not be rendered: \(reason)."
        case let .renderingFailed(reason): return "The figure could not be rendered: \(reason)."
        case let .invalidSize(what, value, expected):
            return "The figure's \(what) must be \(expected); found \(PlotNumberFormat.shortest(value, maxDigits: 4, minus: "-"))."
        }
    }
}

/// A figure's size on paper and the resolution of its PNG.
public struct FigureSize: Sendable, Equatable {
    /// Width and height in inches; nil keeps the SVG's own size (96 CSS pixels to the inch) or, when only one is
    /// given, the SVG's aspect ratio.
    public var widthInches: Double?
    public var heightInches: Double?
    /// Pixels per inch of a PNG.
    public var dpi: Double

    public init(widthInches: Double? = nil, heightInches: Double? = nil, dpi: Double = 300) {
        self.widthInches = widthInches
        self.heightInches = heightInches
        self.dpi = dpi
    }

    /// Millimetres in an inch, for sizes journals give in mm.
    public static let millimetresPerInch = 25.4
    /// Points (PDF units) in an inch.
    public static let pointsPerInch = 72.0
    /// CSS pixels, the SVG's units, in an inch.
    public static let cssPixelsPerInch = 96.0
}

/// The shared libraries PDF and PNG output loads, by soname. `nil` in ``FigureExport`` means the system's usual names
/// (librsvg-2.so.2, libcairo.so.2, libgobject-2.0.so.0, libglib-2.0.so.0, or their macOS equivalents), loaded once;
/// other names are loaded for that call only (a test names a library that is not installed).
public struct RendererLibraries: Sendable, Equatable {
    public var rsvg: String
    public var cairo: String
    public var gobject: String
    public var glib: String

    public init(rsvg: String = "librsvg-2.so.2", cairo: String = "libcairo.so.2", gobject: String = "libgobject-2.0.so.0",
                glib: String = "libglib-2.0.so.0") {
        self.rsvg = rsvg
        self.cairo = cairo
        self.gobject = gobject
        self.glib = glib
    }
}

/// Renders the SVG documents the plots draw as PDF (vector, fonts embedded as subsets, text kept as text) or PNG,
/// through librsvg and cairo (loaded at run time: the package builds without them and SVG needs neither).
public enum FigureExport {
    /// The encoded file for `svg` in `format` (`.svg` gives the UTF-8 text).
    public static func render(svg: String, format: FigureFormat, size: FigureSize = FigureSize(),
                              libraries: RendererLibraries? = nil) throws(FigureExportError) -> [UInt8] {
        if format == .svg { return Array(svg.utf8) }
        guard size.dpi.isFinite, (10...2400).contains(size.dpi) else {
            throw .invalidSize(what: "resolution (dpi)", value: size.dpi, expected: "between 10 and 2400")
        }
        for (what, value) in [("width", size.widthInches), ("height", size.heightInches)] {
            if let value, !(value.isFinite && value > 0 && value <= 200) {
                throw .invalidSize(what: "\(what) in inches", value: value, expected: "positive and at most 200 inches")
            }
        }
        let bytes = Array(svg.utf8)
        let names = libraries.map { [$0.rsvg, $0.cairo, $0.gobject, $0.glib] }
        let (svgWidth, svgHeight) = try intrinsicSize(bytes, libraries: names)
        let aspect = svgHeight / svgWidth
        let width: Double, height: Double
        switch (size.widthInches, size.heightInches) {
        case let (w?, h?): (width, height) = (w, h)
        case let (w?, nil): (width, height) = (w, w * aspect)
        case let (nil, h?): (width, height) = (h / aspect, h)
        case (nil, nil): (width, height) = (svgWidth / FigureSize.cssPixelsPerInch, svgHeight / FigureSize.cssPixelsPerInch)
        }
        let units = format == .pdf ? FigureSize.pointsPerInch : size.dpi
        var (w, h) = (width * units, height * units)
        if format == .png {
            (w, h) = (w.rounded(), h.rounded())
            guard w >= 1, h >= 1, w * h <= 400_000_000 else {
                throw .invalidSize(what: "PNG size in pixels", value: w * h, expected: "at least 1 × 1 and at most 400 megapixels")
            }
        }
        return try call { message, capacity in
            var output: UnsafeMutablePointer<UInt8>?
            var length = 0
            let status = withLibraryNames(names) { libraryNames in
                bytes.withUnsafeBufferPointer { svgBytes in
                    svgBytes.withMemoryRebound(to: CChar.self) { text in
                        metarender_svg(text.baseAddress, text.count, format == .pdf ? Int32(METARENDER_PDF) : Int32(METARENDER_PNG),
                                       w, h, libraryNames, &output, &length, message, capacity)
                    }
                }
            }
            defer { metarender_free(output) }
            return (status, output.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? [])
        }
    }

    /// The SVG's own size in CSS pixels.
    static func intrinsicSize(_ bytes: [UInt8], libraries: [String]?) throws(FigureExportError) -> (Double, Double) {
        var width = 0.0, height = 0.0
        _ = try call { message, capacity in
            let status = withLibraryNames(libraries) { libraryNames in
                bytes.withUnsafeBufferPointer { svgBytes in
                    svgBytes.withMemoryRebound(to: CChar.self) { text in
                        metarender_svg_size(text.baseAddress, text.count, &width, &height, libraryNames, message, capacity)
                    }
                }
            }
            return (status, [])
        }
        return (width, height)
    }

    /// Calls `body` with the four sonames as a C array (nil: the system's libraries).
    private static func withLibraryNames<R>(_ names: [String]?, _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        guard let names else { return body(nil) }
        let copies = names.map { name in
            let bytes = Array(name.utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        defer { copies.forEach { $0.deallocate() } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// Runs a shim call with a message buffer and maps its status to the typed error.
    private static func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> (Int32, [UInt8])) throws(FigureExportError) -> [UInt8] {
        var message = [CChar](repeating: 0, count: 512)
        let (status, output) = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch Int(status) {
        case Int(METARENDER_OK): return output
        case Int(METARENDER_LIBRARY_MISSING): throw .rendererUnavailable(reason: reason)
        case Int(METARENDER_INVALID_SVG): throw .invalidSVG(reason: reason)
        default: throw .renderingFailed(reason: reason)
        }
    }
}
