/// A strict well-formedness check of XML text (the SVG figures and the XHTML report): one root
/// element, balanced and properly nested tags, quoted attributes without duplicates, and only
/// the predefined or numeric entities. Some platforms' XML parsers silently repair broken
/// documents, so the tests check with this first.
package enum XMLCheck {
    /// The first problem found, with its byte offset, or nil when the text is well-formed.
    package static func problem(_ text: String) -> String? {
        let s = Array(text.utf8)
        var i = 0
        var stack: [String] = []
        var rootSeen = false
        func at(_ p: String) -> Bool { s.count - i >= p.utf8.count && Array(s[i..<(i + p.utf8.count)]) == Array(p.utf8) }
        func isNameByte(_ c: UInt8, first: Bool) -> Bool {
            (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 58 || c >= 128 || (!first && ((c >= 48 && c <= 57) || c == 45 || c == 46))
        }
        func name() -> String? {
            let start = i
            while i < s.count, isNameByte(s[i], first: i == start) { i += 1 }
            return i > start ? String(decoding: s[start..<i], as: UTF8.self) : nil
        }
        func skipSpace() { while i < s.count, [9, 10, 13, 32].contains(s[i]) { i += 1 } }
        func entity() -> Bool {
            // At '&': a predefined or numeric entity up to ';'.
            guard let semi = s[i...].prefix(12).firstIndex(of: 59) else { return false }
            let body = String(decoding: s[(i + 1)..<semi], as: UTF8.self)
            i = semi + 1
            if ["amp", "lt", "gt", "quot", "apos"].contains(body) { return true }
            if body.hasPrefix("#x") { return body.count > 2 && body.dropFirst(2).allSatisfy(\.isHexDigit) }
            if body.hasPrefix("#") { return body.count > 1 && body.dropFirst().allSatisfy(\.isNumber) }
            return false
        }
        while i < s.count {
            if s[i] == 60, at("<!--") {
                guard let end = findEnd("-->", s, from: i + 4) else { return "unclosed comment at \(i)" }
                i = end
            } else if s[i] == 60, at("<?") {
                guard let end = findEnd("?>", s, from: i + 2) else { return "unclosed processing instruction at \(i)" }
                i = end
            } else if s[i] == 60, at("<!DOCTYPE") {
                if rootSeen { return "DOCTYPE after the root element at \(i)" }
                guard let end = findEnd(">", s, from: i) else { return "unclosed DOCTYPE at \(i)" }
                i = end
            } else if s[i] == 60, at("</") {
                i += 2
                guard let n = name() else { return "bad end tag at \(i)" }
                skipSpace()
                guard i < s.count, s[i] == 62 else { return "bad end tag </\(n) at \(i)" }
                i += 1
                guard stack.last == n else { return "end tag </\(n)> at \(i) does not close <\(stack.last ?? "nothing")>" }
                stack.removeLast()
            } else if s[i] == 60 {
                i += 1
                guard let n = name() else { return "bad start tag at \(i)" }
                if stack.isEmpty {
                    if rootSeen { return "a second root element <\(n)> at \(i)" }
                    rootSeen = true
                }
                var attrs: Set<String> = []
                while true {
                    let before = i
                    skipSpace()
                    guard i < s.count else { return "unclosed tag <\(n)>" }
                    if s[i] == 62 { i += 1; stack.append(n); break }
                    if at("/>") { i += 2; break }
                    guard i > before, let a = name() else { return "bad attribute in <\(n)> at \(i)" }
                    guard attrs.insert(a).inserted else { return "duplicate attribute \(a) in <\(n)> at \(i)" }
                    skipSpace()
                    guard i < s.count, s[i] == 61 else { return "attribute \(a) in <\(n)> has no value at \(i)" }
                    i += 1
                    skipSpace()
                    guard i < s.count, s[i] == 34 || s[i] == 39 else { return "attribute \(a) in <\(n)> is not quoted at \(i)" }
                    let q = s[i]
                    i += 1
                    while i < s.count, s[i] != q {
                        if s[i] == 60 { return "'<' in attribute \(a) at \(i)" }
                        if s[i] == 38 { if !entity() { return "bad entity in attribute \(a) at \(i)" } } else { i += 1 }
                    }
                    guard i < s.count else { return "unclosed attribute \(a)" }
                    i += 1
                }
            } else if s[i] == 38 {
                if !entity() { return "bad entity at \(i)" }
            } else {
                if stack.isEmpty, ![9, 10, 13, 32].contains(s[i]) { return "text outside the root element at \(i)" }
                i += 1
            }
        }
        if let open = stack.last { return "<\(open)> is never closed" }
        return rootSeen ? nil : "no root element"
    }

    static func findEnd(_ marker: String, _ s: [UInt8], from: Int) -> Int? {
        let m = Array(marker.utf8)
        var j = from
        while j + m.count <= s.count {
            if Array(s[j..<(j + m.count)]) == m { return j + m.count }
            j += 1
        }
        return nil
    }
}
