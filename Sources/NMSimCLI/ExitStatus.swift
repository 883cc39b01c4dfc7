import NMSimModel

/// The command line's exit statuses (sysexits), the one place an error kind becomes a number.
extension InputError.Kind {
    var exitStatus: Int32 {
        switch self {
        case .usage: 64
        case .data: 65
        case .noInput: 66
        case .software: 70
        case .cannotCreate: 73
        }
    }
}

extension InputRole {
    /// The option that gives a value of this role, as diagnostics name it.
    var option: String {
        switch self {
        case .spec: "--spec"
        case .workload: "--workload"
        case .image: "--image"
        case .batch: "--batch"
        case .sparsify: "--sparsify"
        case .pattern: "--pattern"
        case .assignment: "--assignment"
        case .elsaExport: "--export-elsa"
        case .frontExport: "--export-front"
        case .elsaFormat: "--format"
        case .speedup: "--speedup"
        case .latency: "--latency"
        case .macsWindow: "--flops-window"
        case .memory: "--memory"
        case .energy: "--energy"
        case .evaluator: "--evaluator"
        case .weights: "--weights"
        case .activations: "--activations"
        case .schedulerShard: "--shard auto"
        case .shardCount: "--shards"
        case .resume: "--resume"
        case .missingCost: "--missing-cost"
        case .evaluatorTimeout: "--evaluator-timeout"
        case .streamedTrace: "--trace"
        }
    }

    /// How diagnostics name the role: its option, with its command where that is another
    /// command than the one that failed (a trace too large for a golden is streamed by simulate).
    var named: String { self == .streamedTrace ? "nmsim simulate \(option)" : option }
}
