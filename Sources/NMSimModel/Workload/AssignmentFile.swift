import Foundation

/// Per-layer N:M assignments: nmsim's JSON form and ELSA's released YAML configurations.
///
/// JSON: `{"version": 1, "patterns": {"blocks.0.attn.qkv": "2:4", ...}}`.
/// ELSA YAML: `TEST_SUBNET: [[N, M], ...]` under `NAS: TEST_CONFIG:`, one pair per gene, four
/// genes per transformer block in the order [proj, qkv, fc1, fc2], blocks in model order.
public enum AssignmentFile {
    /// ELSA's gene order inside a block.
    package static let elsaGeneOrder: [WeightLayerKind] = [.proj, .qkv, .fc1, .fc2]

    public static func load(_ path: String, for workload: Workload) throws(InputError) -> PatternAssignment {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try elsa(ELSAConfigFile(lines: TextLines.useful(file: path), source: path), for: workload)
        }
        return try json(InputLoader.read(path), source: path)
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

    /// Block prefixes (`blocks.3`, `layers.2.blocks.5`) in model order: the workload's model's
    /// blocks; none for a workload of no built-in model.
    package static func blockPrefixes(_ w: Workload) -> [String] { w.model?.blockPrefixes ?? [] }

    /// The assignment in an ELSA configuration file, for `workload`. When the file describes its
    /// model (`MODEL.TYPE` and dimensions, as ELSA's files do), that model must be the workload's
    /// built-in model; a file with only `TEST_SUBNET` is matched by its gene count.
    public static func elsa(_ text: String, source: String, for workload: Workload) throws(InputError) -> PatternAssignment {
        try elsa(ELSAConfigFile(text, source: source), for: workload)
    }

    package static func elsa(_ file: ELSAConfigFile, for workload: Workload) throws(InputError) -> PatternAssignment {
        let source = file.source
        if file.describesModel, let base = workload.model {
            let model = try file.model()
            guard model == base else {
                throw InputError(.data, source: source, "is a configuration of \(model.name) (\(try file.dimensions())), not of \(workload.name)")
            }
        }
        return try assignment(file, for: workload)
    }

    /// The genes of `file` applied to `workload`'s blocks.
    package static func assignment(_ file: ELSAConfigFile, for workload: Workload) throws(InputError) -> PatternAssignment {
        let source = file.source
        guard let (genes, loc) = try file.testSubnet() else {
            throw InputError(.data, source: source, "no TEST_SUBNET list (expected ELSA's NAS.TEST_CONFIG.TEST_SUBNET: [[N, M], ...])")
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
            map[VisionTransformer.layerName(block: prefixes[g / 4], elsaGeneOrder[g % 4])] = p
        }
        if !problems.isEmpty { throw InputError(.data, problems) }
        return PatternAssignment(byName: map, source: source)
    }

    /// ELSA's configuration file for an assignment on a built-in model, in the structure of
    /// ELSA's released configurations (see ``ELSAConfigFile/text(model:genes:name:comment:)``).
    ///
    /// ELSA's genes are the qkv, proj, fc1 and fc2 layers of each block; a sparse pattern on any
    /// other layer has no place in the format and is an error, never dropped. Dense is written as
    /// M:M with the group size the other genes use (4 if none). Errors name `role`.
    public static func elsaText(patterns: [String: NMPattern], workload: Workload, role: InputRole = .elsaExport) throws(InputError) -> String {
        guard let model = workload.model else {
            throw InputError(.usage, role: role, "ELSA builds only DeiT/ViT and Swin models; \(workload.name) is not one of the built-in models")
        }
        let blocks = blockPrefixes(workload)
        let genesNames = Set(blocks.flatMap { b in elsaGeneOrder.map { VisionTransformer.layerName(block: b, $0) } })
        let outside = patterns.filter { !$0.value.isDense && !genesNames.contains($0.key) }.keys.sorted()
        if !outside.isEmpty {
            throw InputError(
                .usage, role: role,
                "ELSA's format has genes only for qkv, proj, fc1 and fc2 of each block; \(outside.prefix(3).joined(separator: ", ")) would be lost")
        }
        let m = patterns.values.filter { !$0.isDense }.map(\.m).max() ?? 4
        var genes: [[Int]] = []
        for prefix in blocks {
            for g in elsaGeneOrder {
                let p = patterns[VisionTransformer.layerName(block: prefix, g)] ?? .dense
                genes.append(p.isDense ? [m, m] : [p.n, p.m])
            }
        }
        // ELSA names a found configuration after its supernet, its GMACs and its accuracy.
        var kept: Int64 = 0
        for l in workload.layers {
            guard let s = l.shape else { continue }
            let p = patterns[l.name] ?? l.pattern ?? .dense
            kept += Int64(s.m) * Int64(s.n) * Int64(p.keptLength(s.k)) * Int64(l.count)
        }
        let gmacs = String(format: "%.2f", Double(kept) / 1e9)
        var comment = [
            "Layer-wise N:M configuration for \(workload.name), exported by nmsim (\(gmacs) GMACs performed).",
            "Gene order per block: [proj, qkv, fc1, fc2].",
        ]
        if workload.name != model.name {
            comment.append("Exported for \(workload.name); ELSA takes the image size from DATA.IMG_SIZE, not from this file.")
        }
        return ELSAConfigFile.text(
            model: model, genes: genes, name: "sparse_\(model.name.replacingOccurrences(of: "-", with: "_"))_\(gmacs)G", comment: comment)
    }
}
