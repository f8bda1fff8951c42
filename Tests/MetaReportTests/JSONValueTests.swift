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
}
