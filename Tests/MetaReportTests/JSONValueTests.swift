import MetaReport
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test func roundTripsDoublesExactly() throws {
        let values = [0.1, -0.8893113339202054, 1e-300, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 3, -0.0]
        let doc = JSONValue.object([("x", .doubles(values)), ("s", .string("a\"b\\c\n\u{1}é")), ("n", .null), ("b", .bool(true))])
        for indent in [nil, 2] as [Int?] {
            let back = try JSONValue(parsing: doc.serialized(indent: indent))
            #expect(back == doc)
            let parsed = back["x"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            #expect(parsed.map(\.bitPattern) == values.map { $0 == 0 ? 0.0.bitPattern : $0.bitPattern })
        }
    }

    @Test func nonFiniteAsStrings() throws {
        #expect(JSONValue.double(Double.nan) == .string("NaN"))
        #expect(JSONValue.double(-Double.infinity).serialized() == "\"-Inf\"")
        #expect(try JSONValue(parsing: "\"Inf\"").doubleValue == .infinity)
    }

    @Test func rejectsMalformed() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "{\"a\": }") }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[1, 2") }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "1 2") }
    }

    /// Issue 16, defect 2: `"\ud83b\ud83b` trapped on `low - 0xDC00`; 200,000 nested `[` overflowed the stack.
    @Test func refusesBrokenSurrogatesAndDeepNestingWithoutTrapping() throws {
        let cases: [(text: String, expected: String)] = [
            ("\"\\ud83b\\ud83b", "a \\uDC00-\\uDFFF low surrogate after the high surrogate"),
            ("\"\\ud83b\\u0041\"", "a \\uDC00-\\uDFFF low surrogate after the high surrogate"),
            ("\"\\ud83bx\"", "a \\uDC00-\\uDFFF low surrogate after the high surrogate"),
            ("\"\\udc00\"", "a valid \\u escape (not a lone low surrogate)"),
            ("\"\\u+041\"", "four hex digits"),
            ("\"\\u00\"", "four hex digits"),
            (String(repeating: "[", count: 200_000), "arrays and objects nested at most \(JSONValue.maximumNestingDepth) deep"),
            (String(repeating: "{\"a\":", count: 100_000), "arrays and objects nested at most \(JSONValue.maximumNestingDepth) deep"),
        ]
        for c in cases {
            do {
                _ = try JSONValue(parsing: c.text)
                Issue.record("accepted \(c.text.prefix(20))")
            } catch {
                #expect(error.expected == c.expected, "\(c.text.prefix(20))")
            }
        }
        // A valid pair and nesting at the limit still parse.
        #expect(try JSONValue(parsing: "\"\\ud83d\\ude00\"") == .string("\u{1F600}"))
        let deep = String(repeating: "[", count: JSONValue.maximumNestingDepth) + String(repeating: "]", count: JSONValue.maximumNestingDepth)
        #expect(throws: Never.self) { try JSONValue(parsing: deep) }
    }
}
