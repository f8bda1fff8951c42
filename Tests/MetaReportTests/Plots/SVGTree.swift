import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG document parsed with a real XML parser (so a malformed document fails to parse),
/// kept as a tree of elements for structural assertions.
final class SVGElement {
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [SVGElement] = []

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    /// This element and all its descendants in document order.
    var all: [SVGElement] { [self] + children.flatMap(\.all) }

    func descendants(class cssClass: String) -> [SVGElement] { all.filter { $0.classes.contains(cssClass) } }
    func descendants(named name: String) -> [SVGElement] { all.filter { $0.name == name } }

    /// The text of every `<text>` element below, without tooltips.
    var texts: [String] { descendants(named: "text").map(\.text) }

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

struct SVGParseError: Error, CustomStringConvertible {
    let description: String
}

enum SVGTree {
    static func parse(_ svg: String) throws -> SVGElement {
        let delegate = Builder()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw SVGParseError(description: "XML parse failed: \(parser.parserError.map { "\($0)" } ?? "no root")")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: SVGElement?
        var stack: [SVGElement] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let element = SVGElement(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            // Text inside <title> belongs to the tooltip, not to the visible text.
            guard let current = stack.last, current.name != "title" || stack.count < 2 || stack[stack.count - 2].name == "svg" else { return }
            current.text += string
        }
    }
}

/// Writes an SVG next to the other examples when METASWIFT_PLOT_DIR is set (for rendering and looking at them).
func saveExample(_ svg: String, as name: String) {
    guard let directory = ProcessInfo.processInfo.environment["METASWIFT_PLOT_DIR"] else { return }
    try? svg.write(toFile: directory + "/" + name + ".svg", atomically: true, encoding: .utf8)
}
