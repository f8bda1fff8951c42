/// Builds an SVG 1.1 document as text, one element per line, attributes in the order given.
///
/// Everything visible is XML-escaped here, in one place, and every number goes through
/// `PlotNumberFormat.coordinate`, so the output is deterministic and well-formed by construction.
struct SVGWriter {
    private(set) var body = ""
    private var openElements: [String] = []

    /// An attribute list; a nil value omits the attribute.
    typealias Attributes = [(String, String?)]

    mutating func open(_ name: String, _ attributes: Attributes = []) {
        body += "<" + name + Self.attributeText(attributes) + ">\n"
        openElements.append(name)
    }

    mutating func close() {
        guard let name = openElements.popLast() else { preconditionFailure("SVGWriter.close without open element") }
        body += "</" + name + ">\n"
    }

    /// A group with a class (used by tests and stylesheets to find the parts of a plot).
    mutating func group(_ cssClass: String, _ attributes: Attributes = [], _ content: (inout SVGWriter) -> Void) {
        open("g", [("class", cssClass)] + attributes)
        content(&self)
        close()
    }

    /// Appends another writer's finished elements (parts drawn separately, stacked in paint order).
    mutating func append(_ other: SVGWriter) {
        precondition(other.openElements.isEmpty, "SVGWriter.append of an unfinished writer")
        body += other.body
    }

    mutating func empty(_ name: String, _ attributes: Attributes) {
        body += "<" + name + Self.attributeText(attributes) + "/>\n"
    }

    mutating func element(_ name: String, _ attributes: Attributes, text: String) {
        body += "<" + name + Self.attributeText(attributes) + ">" + MarkupEscaping.escaped(text) + "</" + name + ">\n"
    }

    // MARK: Shapes

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil, cssClass: String? = nil) {
        empty("line", [
            ("class", cssClass),
            ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
            ("stroke", stroke), ("stroke-width", Self.number(width)), ("stroke-dasharray", dash),
        ])
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, strokeWidth: Double? = nil, opacity: Double? = nil,
                       cssClass: String? = nil, title: String? = nil) {
        let attributes: Attributes = [
            ("class", cssClass),
            ("x", Self.number(x)), ("y", Self.number(y)),
            ("width", Self.number(Swift.max(0, width))), ("height", Self.number(Swift.max(0, height))),
            ("fill", fill), ("fill-opacity", opacity.map(Self.number)),
            ("stroke", stroke), ("stroke-width", strokeWidth.map(Self.number)),
        ]
        if let title {
            open("rect", attributes)
            element("title", [], text: title)
            close()
        } else {
            empty("rect", attributes)
        }
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, stroke: String? = nil,
                          strokeWidth: Double? = nil, cssClass: String? = nil) {
        let text = points.map { Self.number($0.0) + "," + Self.number($0.1) }.joined(separator: " ")
        empty("polygon", [
            ("class", cssClass), ("points", text), ("fill", fill),
            ("stroke", stroke), ("stroke-width", strokeWidth.map(Self.number)),
        ])
    }

    /// An open polyline through `points` (curves: p-value functions, profile likelihoods, fitted lines).
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1, dash: String? = nil,
                           opacity: Double? = nil, cssClass: String? = nil) {
        let text = points.map { Self.number($0.0) + "," + Self.number($0.1) }.joined(separator: " ")
        empty("polyline", [
            ("class", cssClass), ("points", text), ("fill", "none"), ("stroke", stroke),
            ("stroke-width", Self.number(width)), ("stroke-dasharray", dash), ("stroke-opacity", opacity.map(Self.number)),
        ])
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil,
                         strokeWidth: Double? = nil, opacity: Double? = nil, cssClass: String? = nil) {
        empty("circle", [
            ("class", cssClass), ("cx", Self.number(cx)), ("cy", Self.number(cy)), ("r", Self.number(r)),
            ("fill", fill), ("fill-opacity", opacity.map(Self.number)),
            ("stroke", stroke), ("stroke-width", strokeWidth.map(Self.number)),
        ])
    }

    /// Open polylines (each a list of points) as one path: density curves, contour lines.
    mutating func path(_ polylines: [[(Double, Double)]], stroke: String, width: Double = 1, dash: String? = nil,
                       fill: String = "none", opacity: Double? = nil, closed: Bool = false, cssClass: String? = nil) {
        var d = ""
        for line in polylines where line.count >= 2 {
            for (i, p) in line.enumerated() {
                d += (d.isEmpty ? "" : " ") + (i == 0 ? "M" : "L") + Self.number(p.0) + " " + Self.number(p.1)
            }
            if closed { d += " Z" }
        }
        guard !d.isEmpty else { return }
        empty("path", [
            ("class", cssClass), ("d", d), ("fill", fill), ("fill-opacity", opacity.map(Self.number)),
            ("stroke", stroke), ("stroke-width", Self.number(width)), ("stroke-dasharray", dash),
        ])
    }

    enum Anchor: String {
        case start, middle, end
    }

    /// Text with its baseline at `y`. `title` adds a tooltip (used for the full text of a shortened label).
    mutating func text(_ string: String, x: Double, y: Double, anchor: Anchor = .start, size: Double? = nil,
                       bold: Bool = false, italic: Bool = false, fill: String? = nil, rotate: Double? = nil,
                       cssClass: String? = nil, title: String? = nil) {
        let attributes: Attributes = [
            ("class", cssClass),
            ("x", Self.number(x)), ("y", Self.number(y)),
            ("text-anchor", anchor == .start ? nil : anchor.rawValue),
            ("font-size", size.map(Self.number)),
            ("font-weight", bold ? "bold" : nil),
            ("font-style", italic ? "italic" : nil),
            ("fill", fill),
            ("transform", rotate.map { "rotate(\(Self.number($0)) \(Self.number(x)) \(Self.number(y)))" }),
        ]
        if let title {
            body += "<text" + Self.attributeText(attributes) + "><title>" + MarkupEscaping.escaped(title) + "</title>"
                + MarkupEscaping.escaped(string) + "</text>\n"
        } else {
            element("text", attributes, text: string)
        }
    }

    // MARK: Document

    /// The complete standalone document around `body`.
    func document(width: Double, height: Double, title: String?, description: String?, style: PlotStyle) -> String {
        precondition(openElements.isEmpty, "SVGWriter: unclosed <\(openElements.last ?? "")>")
        let w = Self.number(width.rounded(.up)), h = Self.number(height.rounded(.up))
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\""
        out += " viewBox=\"0 0 \(w) \(h)\" font-family=\"\(MarkupEscaping.escaped(style.fontFamily))\""
        out += " font-size=\"\(Self.number(style.fontSize))\" fill=\"\(MarkupEscaping.escaped(style.ink))\">\n"
        if let title { out += "<title>" + MarkupEscaping.escaped(title) + "</title>\n" }
        if let description { out += "<desc>" + MarkupEscaping.escaped(description) + "</desc>\n" }
        out += "<rect class=\"background\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        out += body
        out += "</svg>\n"
        return out
    }

    // MARK: Escaping and numbers

    static func number(_ x: Double) -> String { PlotNumberFormat.coordinate(x) }

    private static func attributeText(_ attributes: Attributes) -> String {
        var out = ""
        for (name, value) in attributes {
            guard let value else { continue }
            out += " " + name + "=\"" + MarkupEscaping.escaped(value) + "\""
        }
        return out
    }
}
