/// A comparison (`nmsim compare`), stated once: a workload on one or more specs, dense and every
/// uniform level each spec supports beside named configurations.
public struct ComparisonRequest: Sendable {
    /// A configuration to compare, with its label.
    public typealias Configuration = (label: String, assignment: PatternAssignment)

    public var workload: Workload
    public var specs: [HardwareSpec]
    /// The named configurations; nil: ELSA's releases for the workload's model.
    public var configurations: [Configuration]?
    /// Whether layer simulations may run in parallel (results are identical either way).
    public var parallel: Bool

    public init(workload: Workload, specs: [HardwareSpec], configurations: [Configuration]? = nil, parallel: Bool = true) {
        self.workload = workload
        self.specs = specs
        self.configurations = configurations
        self.parallel = parallel
    }

    /// One ``Comparison`` per spec, in order, and the configurations skipped on a spec that lacks
    /// one of their patterns (`"label on spec"`). With one spec, such a configuration is an error.
    public func run() throws(InputError) -> (comparisons: [Comparison], skipped: [String]) {
        let w = workload
        var named: [Configuration] = []
        if let configurations {
            named = configurations
        } else {
            for e in w.model.map(ELSAConfigurations.released) ?? [] { named.append((e.name, try e.assignment(for: w))) }
        }
        var comparisons: [Comparison] = []
        var skipped: [String] = []
        for spec in specs {
            var candidates: [Configuration] = []
            for p in spec.supportedPatterns.sorted().reversed() where !p.isDense {
                candidates.append(("uniform \(p)", PatternAssignment(uniform: p)))
            }
            for n in named {
                do { _ = try n.assignment.resolve(w, on: spec); candidates.append(n) } catch {
                    if specs.count == 1 { throw error }
                    skipped.append("\(n.label) on \(spec.name)")
                }
            }
            comparisons.append(try Comparison(spec: spec, workload: w, candidates: candidates, parallel: parallel))
        }
        return (comparisons, skipped)
    }
}
