import Testing

@testable import NMSimModel

@Suite("CSV")
struct CSVTests {
    static let awkward = [
        "plain", "", "a,b", "say \"hi\"", "\"", "\"\"", ",", "two\nlines", "crlf\r\nend", " lead", "trail ", "\t", "  ",
        "blocks.0.attn.qkv", "ünïcødé, ok", "a\"b,c\nd",
    ]

    @Test func everyWrittenFieldReadsBackUnchanged() throws {
        let rows = Self.awkward.map { [$0, "x", $0] } + [Self.awkward]
        let text = rows.map(CSV.record).joined(separator: "\n") + "\n"
        let read = try CSV.records(text).get()
        #expect(read.map(\.fields) == rows)
    }

    @Test func fieldsOfOneLineRoundTrip() {
        for s in Self.awkward where !s.contains(where: \.isNewline) {
            #expect(CSV.fields(Substring(CSV.record([s, "1"]))) == [s, "1"], "\(s)")
            #expect(CSV.fields(Substring(CSV.record([s, "1"])), trimming: false) == [s, "1"], "\(s)")
        }
    }

    @Test func plainFieldsAreNotQuotedAndUnquotedOnesAreTrimmed() throws {
        #expect(CSV.record(["layer", "2:4", "0.5"]) == "layer,2:4,0.5")
        #expect(CSV.fields(" a , b ,c") == ["a", "b", "c"])
        #expect(CSV.fields(" a , b ", trimming: false) == [" a ", " b "])
        #expect(CSV.fields("a,,") == ["a", "", ""])
    }

    @Test func recordsStartLinesSkipBlankLinesAndReportUnclosedQuotes() throws {
        let r = try CSV.records("h1,h2\n\n\"x\ny\",1\n  \nz,2\n").get()
        #expect(r.map(\.line) == [1, 3, 6])
        #expect(r[1].fields == ["x\ny", "1"])
        #expect(throws: CSV.UnclosedQuote(line: 2)) { try CSV.records("a\n\"open,1\nb,2\n").get() }
        #expect(CSV.fields("\"open") == nil)
    }
}
