/// Chooses the N:M pattern of every layer of a workload for one run.
public struct PatternAssignment: Equatable, Sendable {
    /// One pattern for every sparsifiable layer (`--pattern`).
    public var uniform: NMPattern?
    /// Per-layer patterns by layer name (`--assignment`).
    public var byName: [String: NMPattern]
    /// The file `byName` came from, for diagnostics; nil when the patterns were given as values
    /// (diagnostics then name the ``InputRole/pattern`` or ``InputRole/assignment`` role).
    public var source: String?

    public init(uniform: NMPattern? = nil, byName: [String: NMPattern] = [:], source: String? = nil) {
        self.uniform = uniform
        self.byName = byName
        self.source = source
    }

    public static let none = PatternAssignment()

    /// The pattern of each layer, in order; every problem is reported (unknown names, patterns
    /// on layers that cannot be pruned, patterns the spec does not support).
    public func resolve(_ workload: Workload, on spec: HardwareSpec) throws(InputError) -> [NMPattern] {
        let sink = DiagnosticSink(source: source ?? InputRole.assignment.rawValue)
        let known = Set(workload.layers.map(\.name))
        for name in byName.keys.sorted() where !known.contains(name) {
            sink.report(name, "no layer named \"\(name)\" in workload \(workload.name)")
        }
        var out: [NMPattern] = []
        var unsupported: [String] = []
        for layer in workload.layers {
            // A SCALE-Sim config reads the topology's N:M column only in layer-wise mode: with
            // SparsitySupport = false every layer runs dense, in row-wise mode N is drawn per column.
            var p = (spec.scaleSim?.usesTopologyPatterns == false ? nil : layer.pattern) ?? .dense
            if let u = uniform, layer.sparsifiable { p = u }
            if let named = byName[layer.name] {
                if !layer.sparsifiable, !named.isDense {
                    sink.report(layer.name, "layer \"\(layer.name)\" is not sparsifiable; it cannot take \(named)")
                }
                p = named
            }
            if !spec.supports(p) { unsupported.append("\(layer.name) (\(p))") }
            out.append(p)
        }
        try sink.throwIfAny()
        if !unsupported.isEmpty {
            let list = unsupported.prefix(5).joined(separator: ", ") + (unsupported.count > 5 ? ", and \(unsupported.count - 5) more" : "")
            let message = "spec \(spec.name) does not support the pattern of \(list); it supports \(spec.supportedPatternNames) (and dense)"
            if uniform != nil, byName.isEmpty { throw InputError(.data, role: .pattern, message) }
            if let source { throw InputError(.data, source: source, message) }
            throw InputError(.data, role: .assignment, message)
        }
        return out
    }
}
