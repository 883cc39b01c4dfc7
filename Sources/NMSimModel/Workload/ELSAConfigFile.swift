import Foundation

/// ELSA's YAML configuration file (github ningchihuang/ELSA): the model it builds and the
/// layer-wise N:M genes it evaluates.
///
/// ELSA merges a file over its defaults (yacs), so a key the file leaves out takes ELSA's
/// default: `MODEL.DEIT` defaults to DeiT-B's dimensions and `MODEL.SWIN` to Swin-T's. The model
/// is read the same way here, from `MODEL.TYPE` and the dimensions (with those defaults), with
/// `MODEL.NAME` only choosing between built-in models of equal dimensions (DeiT-B and ViT-B/16).
package struct ELSAConfigFile: Sendable {
    /// One value of the file: its text (a scalar or a flow list) and its 1-based line.
    package struct Entry: Equatable, Sendable {
        package var text: String
        package var line: Int
    }

    package let source: String
    /// Every key path (`MODEL.DEIT.EMBED_DIM`) with a value; mappings are not listed themselves.
    package let entries: [String: Entry]

    /// The key paths of the file's values and of its mappings (`MODEL`, `MODEL.DEIT`, ...).
    package var keyPaths: Set<String> {
        var out = Set(entries.keys)
        for k in entries.keys {
            var parts = k.split(separator: ".").dropLast()
            while !parts.isEmpty { out.insert(parts.joined(separator: ".")); parts = parts.dropLast() }
        }
        return out
    }

    package init(_ text: String, source: String) throws(InputError) {
        try self.init(lines: TextLines.useful(text, source: source), source: source)
    }

    package init(lines: [TextLine], source: String) throws(InputError) {
        self.source = source
        entries = try Self.read(lines, source: source)
    }

    // MARK: Reading the YAML subset ELSA's files use

    /// Reads indented `KEY: value` mappings, flow lists over one or more lines (`[[1, 4], ...]`)
    /// and block lists (`- [1, 4]` items), which is what ELSA's files and yacs dumps contain.
    static func read(_ numbered: [TextLine], source: String) throws(InputError) -> [String: Entry] {
        let lines = numbered.map(\.text)
        var out: [String: Entry] = [:]
        var stack: [(indent: Int, key: String)] = []
        var i = 0
        while i < lines.count {
            let raw = lines[i]
            let lineNo = numbered[i].number
            i += 1
            let content = stripComment(raw)
            if content.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let indent = content.prefix { $0 == " " }.count
            let body = content.trimmingCharacters(in: .whitespaces)
            guard let colon = body.firstIndex(of: ":"), !body.hasPrefix("-") else {
                throw InputError(.data, source: source, location: "line \(lineNo)", "expected KEY: value, found \"\(body)\"")
            }
            let key = String(body[..<colon]).trimmingCharacters(in: .whitespaces)
            var value = String(body[body.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            let path = (stack.map(\.key) + [key]).joined(separator: ".")
            if out[path] != nil {
                throw InputError(.data, source: source, location: "line \(lineNo)", "duplicate key \(path)")
            }
            if value.isEmpty {
                // A nested mapping, or a block list of "- item" lines.
                var items: [String] = []
                while i < lines.count {
                    let t = stripComment(lines[i]).trimmingCharacters(in: .whitespaces)
                    guard t.hasPrefix("-") else { break }
                    items.append(String(t.dropFirst()).trimmingCharacters(in: .whitespaces))
                    i += 1
                }
                if items.isEmpty { stack.append((indent, key)); continue }
                value = "[" + items.joined(separator: ", ") + "]"
            } else if value.hasPrefix("[") {
                // A flow list continues until its brackets balance.
                var depth = value.filter { $0 == "[" }.count - value.filter { $0 == "]" }.count
                while depth > 0, i < lines.count {
                    let more = stripComment(lines[i])
                    value += more
                    depth += more.filter { $0 == "[" }.count - more.filter { $0 == "]" }.count
                    i += 1
                }
            }
            out[path] = Entry(text: value, line: lineNo)
        }
        return out
    }

    static func stripComment(_ s: String) -> String {
        guard let h = s.firstIndex(of: "#") else { return s }
        return String(s[..<h])
    }

    // MARK: Values

    package func string(_ path: String) -> String? {
        guard let e = entries[path] else { return nil }
        var t = e.text
        if t.count >= 2, (t.hasPrefix("'") && t.hasSuffix("'")) || (t.hasPrefix("\"") && t.hasSuffix("\"")) { t = String(t.dropFirst().dropLast()) }
        return t
    }

    func location(_ path: String) -> String { entries[path].map { "line \($0.line) (\(path))" } ?? path }

    /// A list value parsed as JSON (flow lists of numbers are JSON).
    package func list(_ path: String) throws(InputError) -> JSONValue? {
        guard let e = entries[path] else { return nil }
        do { return try JSONParser.parse(e.text) } catch {
            throw InputError(.data, source: source, location: location(path), "expected a list: \(error.message) at column \(error.column)")
        }
    }

    func int(_ path: String) throws(InputError) -> Int? {
        guard let s = string(path) else { return nil }
        guard let v = Int(s) ?? Double(s).flatMap({ $0 == $0.rounded() && abs($0) < 1e9 ? Int($0) : nil }) else {
            throw InputError(.data, source: source, location: location(path), "expected an integer, found \"\(s)\"")
        }
        return v
    }

    func ints(_ path: String) throws(InputError) -> [Int]? {
        guard let v = try list(path) else { return nil }
        guard case .array(let a) = v, let out = Optional(a.compactMap { x -> Int? in if case .integer(let i) = x { return Int(i) } else { return nil } }),
            out.count == a.count
        else {
            throw InputError(.data, source: source, location: location(path), "expected a list of integers")
        }
        return out
    }

    /// The genes of `NAS.TEST_CONFIG.TEST_SUBNET` (or a top-level `TEST_SUBNET`), with where
    /// they are; nil when the file has neither.
    package func testSubnet() throws(InputError) -> (genes: [JSONValue], location: String)? {
        guard let path = ["NAS.TEST_CONFIG.TEST_SUBNET", "TEST_SUBNET"].first(where: { entries[$0] != nil }) else { return nil }
        let loc = "line \(entries[path]!.line) (TEST_SUBNET)"
        let value: JSONValue
        do { value = try JSONParser.parse(entries[path]!.text) } catch {
            throw InputError(.data, source: source, location: loc, "expected a list of [N, M] pairs: \(error.message) at column \(error.column)")
        }
        guard case .array(let genes) = value else {
            throw InputError(.data, source: source, location: loc, "expected a list of [N, M] pairs, found \(value.brief)")
        }
        return (genes, loc)
    }

    // MARK: The model

    /// Whether the file says anything about the model (a `MODEL` section).
    package var describesModel: Bool { entries.keys.contains { $0.hasPrefix("MODEL.") } }

    /// The dimensions ELSA would build from this file: its own where given, ELSA's defaults
    /// (DeiT-B, Swin-T) elsewhere.
    package struct Dimensions: Equatable, Sendable, CustomStringConvertible {
        package var family: ModelFamily
        package var patch: Int
        package var width: Int
        package var depths: [Int]
        package var heads: [Int]
        package var window: Int

        package var description: String {
            switch family {
            case .swin: "\(family.displayName), width \(width), depths \(depths), heads \(heads), patch \(patch), window \(window)"
            case .vit: "\(family.displayName), width \(width), depth \(depths[0]), \(heads[0]) heads, patch \(patch)"
            }
        }

        package init(family: ModelFamily, patch: Int, width: Int, depths: [Int], heads: [Int], window: Int) {
            self.family = family; self.patch = patch; self.width = width; self.depths = depths; self.heads = heads; self.window = window
        }

        package init(_ m: VisionTransformer) {
            family = m.family; patch = m.patch; width = m.width; depths = m.depths; heads = m.heads
            window = m.family == .swin ? m.window : 0
        }
    }

    package func dimensions() throws(InputError) -> Dimensions {
        let type = string("MODEL.TYPE") ?? "tiny_vit"
        guard let family = ModelFamily(elsaType: type) else {
            throw InputError(
                .data, source: source, location: location("MODEL.TYPE"),
                "ELSA builds \(ModelFamily.allCases.map(\.elsaType).joined(separator: " or ")) models, found \"\(type)\"")
        }
        let section = "MODEL.\(family.elsaSection)"
        switch family {
        case .swin:
            return Dimensions(
                family: .swin, patch: try int("\(section).PATCH_SIZE") ?? 4, width: try int("\(section).EMBED_DIM") ?? 96,
                depths: try ints("\(section).DEPTHS") ?? [2, 2, 6, 2], heads: try ints("\(section).NUM_HEADS") ?? [3, 6, 12, 24],
                window: try int("\(section).WINDOW_SIZE") ?? 7)
        case .vit:
            return Dimensions(
                family: .vit, patch: try int("\(section).PATCH_SIZE") ?? 16, width: try int("\(section).EMBED_DIM") ?? 768,
                depths: [try int("\(section).DEPTH") ?? 12], heads: [try int("\(section).NUM_HEADS") ?? 12], window: 0)
        }
    }

    /// The built-in model ELSA would build from this file.
    package func model() throws(InputError) -> VisionTransformer {
        guard entries["MODEL.TYPE"] != nil else {
            throw InputError(
                .data, source: source,
                "cannot tell the model: no MODEL.TYPE (\(ModelFamily.allCases.map(\.elsaType).joined(separator: " or "))) with its \(ModelFamily.allCases.map { "MODEL.\($0.elsaSection)" }.joined(separator: " or ")) dimensions"
            )
        }
        let dims = try dimensions()
        let matches = VisionTransformer.all.filter { Dimensions($0) == dims }
        let name = string("MODEL.NAME") ?? ""
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: "/", with: "")
        guard let model = matches.first(where: { key.contains($0.name) }) ?? matches.first else {
            throw InputError(
                .data, source: source, location: location("MODEL.TYPE"),
                "ELSA would build \(dims), which is none of the built-in models (\(VisionTransformer.all.map(\.name).joined(separator: ", ")))")
        }
        // A NAME that is itself a built-in model must agree with the dimensions ELSA builds.
        if let named = VisionTransformer.named(name), !matches.contains(named) {
            throw InputError(
                .data, source: source, location: location("MODEL.NAME"),
                "names \(named.name), but ELSA would build \(model.name) (\(dims)) from this file; give \(named.name)'s dimensions under MODEL.\(named.family.elsaSection)"
            )
        }
        return model
    }
}

extension ELSAConfigFile {
    /// ELSA's configuration file for `model` with `genes` ([N, M] per gene), in the structure of
    /// ELSA's released configurations (the output of its `get_subnet_cfg_from_ea.py`): the model's
    /// own dimensions, `NAS.INIT_CONFIG` and `NAS.TEST_CONFIG.TEST_SUBNET` equal to the genes, a
    /// one-choice-per-gene `NAS.SEARCH_SPACE`, and the released files' sampling settings.
    /// `name` becomes `MODEL.NAME`.
    package static func text(model: VisionTransformer, genes: [[Int]], name: String, comment: [String] = []) -> String {
        func list(_ g: [Int]) -> String { "[" + g.map(String.init).joined(separator: ", ") + "]" }
        let flat = "[" + genes.map(list).joined(separator: ", ") + "]"
        let space = "[" + genes.map { "[" + list($0) + "]" }.joined(separator: ", ") + "]"
        var s = comment.map { "# \($0)\n" }.joined()
        s += "MODEL:\n"
        switch model.family {
        case .swin:
            s += """
                  NAME: \(name)
                  SWIN:
                    APE: False
                    DEPTHS: \(list(model.depths))
                    EMBED_DIM: \(model.width)
                    IN_CHANS: 3
                    MLP_RATIO: \(model.mlpRatio).0
                    NUM_HEADS: \(list(model.heads))
                    PATCH_NORM: True
                    PATCH_SIZE: \(model.patch)
                    QKV_BIAS: True
                    QK_SCALE: None
                    SVD_CONFIG: []
                    WINDOW_SIZE: \(model.window)
                  TYPE: \(model.family.elsaType)

                """
        case .vit:
            s += """
                  DEIT:
                    DEPTH: \(model.depths[0])
                    EMBED_DIM: \(model.width)
                    IN_CHANS: 3
                    MLP_RATIO: \(model.mlpRatio).0
                    NUM_HEADS: \(model.heads[0])
                    PATCH_SIZE: \(model.patch)
                    QKV_BIAS: True
                  NAME: \(name)
                  TYPE: \(model.family.elsaType)

                """
        }
        s += """
            NAS:
              INIT_CONFIG: \(flat)
              NUM_CHOICES_BLOCKS: \(genes.count)
              PER_CAND_AFFINE: False
              PROXY:
                ENABLE: False
                IMG_PER_CLASSES: 1
              SAMPLE_POLICY:
                CAND_POOL_SIZE: 1000
                ENABLE_CAND_POOL: False
                ENABLE_EPS: True
                EPS1:
                  FIX_EPOCHS: 0
                  MAX: 0.0
                  MIN: 0.0
                  PATIENT_EPOCHS: 0
                EPS2:
                  FIX_EPOCHS: 10
                  MAX: 1.0
                  MIN: 0.5
                  PATIENT_EPOCHS: 10
                FILTERED_POLICY: None
                NUM_KEPT_SUBNETS: 1
                NUM_SAMPLE_SUBNETS: 1
              SEARCH_SPACE: \(space)
              TARGET_COMP_RATIO: 0.5
              TEST_CONFIG:
                TEST_SUBNET: \(flat)
                UNIFORM_SUBNETS: []

            """
        return s
    }
}
