import Foundation

/// Per-layer N:M assignments: nmsim's JSON form and ELSA's released YAML configurations.
///
/// JSON: `{"version": 1, "patterns": {"blocks.0.attn.qkv": "2:4", ...}}`.
/// ELSA YAML: `TEST_SUBNET: [[N, M], ...]` under `NAS: TEST_CONFIG:`, one pair per gene, four
/// genes per transformer block in the order [proj, qkv, fc1, fc2], blocks in model order.
public enum AssignmentFile {
    /// ELSA's gene order inside a block.
    public static let elsaGeneOrder = ["attn.proj", "attn.qkv", "mlp.fc1", "mlp.fc2"]

    public static func load(_ path: String, for workload: Workload) throws(InputError) -> PatternAssignment {
        let text = try InputLoader.read(path)
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try elsa(text, source: path, for: workload)
        }
        return try json(text, source: path)
    }

    public static func json(_ text: String, source: String) throws(InputError) -> PatternAssignment {
        let top = try ObjectReader.document(JSONParser.parse(text, source: source), source: source)
        let sink = top.sink
        try top.checkVersion(current: 1, format: "assignment")
        var map: [String: NMPattern] = [:]
        if case .object(let members)? = top.value("patterns") {
            for (k, v) in members {
                let path = "patterns.\(k)"
                guard case .string(let s) = v else { sink.report(path, "expected an N:M string such as \"2:4\", found \(v.brief)"); continue }
                switch NMPattern.parse(s) {
                case .success(let p): map[k] = p
                case .failure(let e): sink.report(path, e.description)
                }
            }
        } else if let v = top.value("patterns") {
            sink.report("patterns", "expected an object of layer name → pattern, found \(v.brief)")
        } else {
            sink.report("patterns", "is required")
        }
        top.finish()
        try sink.throwIfAny()
        return PatternAssignment(byName: map, source: source)
    }

    public static func jsonText(_ patterns: [(name: String, pattern: NMPattern)]) -> String {
        JSONWriter.write(.object([("version", 1), ("patterns", .object(patterns.map { ($0.name, .string($0.pattern.description)) }))]))
    }

    /// Block prefixes (`blocks.3`, `layers.2.blocks.5`) in model order, from the qkv layers.
    public static func blockPrefixes(_ w: Workload) -> [String] {
        w.layers.compactMap { $0.name.hasSuffix(".attn.qkv") ? String($0.name.dropLast(".attn.qkv".count)) : nil }
    }

    public static func elsa(_ text: String, source: String, for workload: Workload) throws(InputError) -> PatternAssignment {
        let lines = text.lineList
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("TEST_SUBNET:") }) else {
            throw InputError(.data, source: source, "no TEST_SUBNET list (expected ELSA's NAS.TEST_CONFIG.TEST_SUBNET: [[N, M], ...])")
        }
        let head = lines[start]
        var body = String(head[head.index(after: head.firstIndex(of: ":")!)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        var i = start + 1
        if body.isEmpty {
            // Block style: one "- [N, M]" item per line.
            var items: [String] = []
            while i < lines.count {
                let t = lines[i].trimmingCharacters(in: .whitespacesAndNewlines)
                guard t.hasPrefix("-") else { break }
                items.append(String(t.dropFirst()).trimmingCharacters(in: .whitespaces))
                i += 1
            }
            body = "[" + items.joined(separator: ", ") + "]"
        } else {
            // The flow list may continue over several lines until its brackets balance.
            var depth = body.filter { $0 == "[" }.count - body.filter { $0 == "]" }.count
            while depth > 0, i < lines.count {
                body += lines[i]
                depth += lines[i].filter { $0 == "[" }.count - lines[i].filter { $0 == "]" }.count
                i += 1
            }
        }
        let loc = "line \(start + 1) (TEST_SUBNET)"
        let value: JSONValue
        do { value = try JSONParser.parse(body.trimmingCharacters(in: .whitespaces)) } catch {
            throw InputError(.data, source: source, location: loc, "expected a list of [N, M] pairs: \(error.message) at column \(error.column)")
        }
        guard case .array(let genes) = value else {
            throw InputError(.data, source: source, location: loc, "expected a list of [N, M] pairs, found \(value.brief)")
        }
        let prefixes = blockPrefixes(workload)
        let expected = prefixes.count * elsaGeneOrder.count
        guard genes.count == expected else {
            throw InputError(
                .data, source: source, location: loc,
                "has \(genes.count) genes but \(workload.name) has \(prefixes.count) blocks × 4 sparsifiable layers = \(expected)")
        }
        var map: [String: NMPattern] = [:]
        var problems: [Diagnostic] = []
        for (g, gene) in genes.enumerated() {
            guard case .array(let pair) = gene, pair.count == 2, case .integer(let n) = pair[0], case .integer(let m) = pair[1] else {
                problems.append(Diagnostic(source: source, location: "\(loc)[\(g)]", message: "expected [N, M] with integers, found \(gene.brief)"))
                continue
            }
            guard let p = NMPattern(n: Int(n), m: Int(m)) else {
                problems.append(
                    Diagnostic(source: source, location: "\(loc)[\(g)]", message: NMPattern.PatternError.outOfRange(n: Int(n), m: Int(m)).description))
                continue
            }
            map["\(prefixes[g / 4]).\(elsaGeneOrder[g % 4])"] = p
        }
        if !problems.isEmpty { throw InputError(.data, problems) }
        return PatternAssignment(byName: map, source: source)
    }

    /// ELSA's YAML form of an assignment (the subset ELSA's code reads for evaluation).
    ///
    /// ELSA's genes are the qkv, proj, fc1 and fc2 layers of each block; a sparse pattern on any
    /// other layer has no place in the format and is an error, never dropped. `flag` names the
    /// option in that error.
    public static func elsaText(
        patterns: [String: NMPattern], workload: Workload, modelType: String,
        flag: String = "--export-elsa"
    ) throws(InputError) -> String {
        let blocks = blockPrefixes(workload)
        guard !blocks.isEmpty else {
            throw InputError(.usage, source: flag, "ELSA's format needs transformer blocks (layers named *.attn.qkv); \(workload.name) has none")
        }
        let genesNames = Set(blocks.flatMap { b in elsaGeneOrder.map { "\(b).\($0)" } })
        let outside = patterns.filter { !$0.value.isDense && !genesNames.contains($0.key) }.keys.sorted()
        if !outside.isEmpty {
            throw InputError(
                .usage, source: flag,
                "ELSA's format has genes only for qkv, proj, fc1 and fc2 of each block; \(outside.prefix(3).joined(separator: ", ")) would be lost")
        }
        var genes: [String] = []
        // Dense is written as M:M with the group size the other genes use (4 if none).
        let m = patterns.values.filter { !$0.isDense }.map(\.m).max() ?? 4
        for prefix in blockPrefixes(workload) {
            for g in elsaGeneOrder {
                let p = patterns["\(prefix).\(g)"] ?? .dense
                let q = p.isDense ? NMPattern(n: m, m: m)! : p
                genes.append("[\(q.n), \(q.m)]")
            }
        }
        return """
            # Layer-wise N:M configuration for \(workload.name), exported by nmsim.
            # Gene order per block: [proj, qkv, fc1, fc2].
            MODEL:
              TYPE: \(modelType)
              NAME: \(workload.name)
            NAS:
              TEST_CONFIG:
                TEST_SUBNET: [\(genes.joined(separator: ", "))]

            """
    }
}
