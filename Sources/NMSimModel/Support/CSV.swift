/// Comma-separated values as nmsim writes and reads them: RFC 4180 quoting, so that every
/// string ``field(_:)`` writes is read back unchanged by ``records(_:)`` and ``fields(_:trimming:)``.
///
/// Readers trim spaces and tabs around unquoted fields (hand-written files are often aligned);
/// the writer therefore quotes a field with leading or trailing whitespace.
package enum CSV {
    /// One field: quoted when it holds a comma, a quote, a line break, or leading or trailing
    /// whitespace; quotes inside are doubled.
    package static func field(_ s: String) -> String {
        let needsQuotes =
            s.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            || s.first.map(\.isWhitespace) == true || s.last.map(\.isWhitespace) == true
        guard needsQuotes else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields, each written by ``field(_:)``, joined by commas (no line end).
    package static func record(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    /// A quoted field that never closes.
    package struct UnclosedQuote: Error, Equatable, Sendable {
        /// The line (from 1) where the field opens.
        package var line: Int
    }

    /// Every record of `text` with the line (from 1) where it starts. A quoted field may span
    /// lines; blank lines are skipped; `\r\n` and `\n` both end a record.
    package static func records(_ text: String, trimming: Bool = true) -> Result<[(line: Int, fields: [String])], UnclosedQuote> {
        var out: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var cur = ""
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1, quoteLine = 1
        var chars = Array(text)[...]
        func endField() {
            fields.append(trimming && !wasQuoted ? trim(cur) : cur)
            cur = ""
            wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { out.append((recordLine, fields)) }
            fields = []
        }
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        chars.removeFirst()
                        cur.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    if c.isNewline { line += 1 }
                    cur.append(c)
                }
            } else if c == "\"", trim(cur).isEmpty, !wasQuoted {
                quoted = true
                wasQuoted = true
                quoteLine = line
                cur = ""
            } else if c == "," {
                endField()
            } else if c.isNewline {
                endRecord()
                line += 1
                recordLine = line
            } else if !wasQuoted || !c.isWhitespace {
                cur.append(c)
            }
        }
        if quoted { return .failure(UnclosedQuote(line: quoteLine)) }
        endRecord()
        return .success(out)
    }

    /// The fields of one line; nil when a quote does not close on it.
    package static func fields(_ line: Substring, trimming: Bool = true) -> [String]? {
        guard case .success(let r) = records(String(line), trimming: trimming) else { return nil }
        return r.first?.fields ?? [""]
    }

    static func trim(_ s: String) -> String {
        var t = Substring(s)
        while t.first == " " || t.first == "\t" { t.removeFirst() }
        while t.last == " " || t.last == "\t" { t.removeLast() }
        return String(t)
    }
}
