import Foundation
import NMSimModel

/// Accuracy proxy from real weights, deterministic: the same tensor gets the same score
/// wherever it sits in the model. N:M magnitude masks along the reduction dimension (the N
/// largest |w| of every M consecutive input weights of each output row, so masks nest as in
/// ELSA's supernet); the score of a layer is the exact relative weight energy removed,
/// Σ_removed w² / Σ w². With recorded inputs X (a tensor `<layer>.input` whose last dimension is
/// the layer's K), each weight counts with its input column's energy, as in Wanda's |W|·‖X‖:
/// Σ_removed w²_ij ‖X_j‖² / Σ w²_ij ‖X_j‖², the diagonal part of the output error
/// ‖X(W − W_mask)ᵀ‖² / ‖XWᵀ‖². The cost of a configuration is the sum over layers: a proxy, not an
/// accuracy.
package enum WeightProxy {
    /// Checkpoint name prefixes tried before a layer's own name (timm, DataParallel, Lightning).
    static let prefixes = ["", "module.", "model.", "backbone."]

    /// Tensors by name from a `.safetensors` file or a folder of `<name>.npy` files.
    struct TensorStore {
        let path: String
        let lookup: (String) throws(InputError) -> Tensor?

        init(path: String, role: InputRole) throws(InputError) {
            self.path = path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw InputError(.noInput, source: path, "no such file") }
            if isDir.boolValue {
                lookup = { (name: String) throws(InputError) -> Tensor? in
                    let f = URL(fileURLWithPath: path).appendingPathComponent(name + ".npy").path
                    return FileManager.default.fileExists(atPath: f) ? try NPYFile.read(path: f) : nil
                }
            } else if path.lowercased().hasSuffix(".npy") {
                throw InputError(.usage, role: role, "give a folder of .npy files named after the tensors (blocks.0.attn.qkv.weight.npy), not one .npy file")
            } else {
                let file = try SafeTensorsFile(path: path)
                lookup = { (name: String) throws(InputError) -> Tensor? in try file.tensor(name) }
            }
        }

        /// The first of `name` under the known prefixes, with the name it was found under.
        func find(_ name: String) throws(InputError) -> (Tensor, String)? {
            for p in WeightProxy.prefixes {
                if let t = try lookup(p + name) { return (t, p + name) }
            }
            return nil
        }
    }

    /// The costs of `table`'s options from the checkpoint at `path` (read once, for the spec's
    /// levels); see ``CheckpointScores`` to score a model once for many specs.
    package static func costs(path: String, table: LatencyTable, activations: String? = nil) throws(InputError) -> CostTable {
        var levels: [NMPattern] = []
        for p in table.options.joined().map(\.pattern) where !levels.contains(p) { levels.append(p) }
        let scores = try CheckpointScores(path: path, activations: activations, workload: table.workload, patterns: levels)
        return try scores.costs(for: table)
    }

    /// ‖X_j‖² for every input column j of the recorded inputs `x` (rows × k, any leading shape).
    static func columnEnergy(_ x: Tensor, k: Int) -> [Double] {
        var e = [Double](repeating: 0, count: k)
        let rows = x.values.count / k
        for r in 0..<rows {
            let base = r * k
            for j in 0..<k { let v = Double(x.values[base + j]); e[j] += v * v }
        }
        return e
    }

    /// The relative removed energy of one layer's N:M magnitude mask; `w` is [rows (out), k (in)].
    /// With `inputEnergy` (‖X_j‖² per input column), each w²_ij counts ‖X_j‖² times. Inputs that
    /// are all zero carry no information, and the unweighted energy is used.
    package static func score(_ w: Tensor, rows: Int, k: Int, pattern: NMPattern, inputEnergy: [Double]? = nil) -> Double {
        if pattern.isDense { return 0 }
        let scale = inputEnergy.flatMap { e in e.contains { $0 > 0 } ? e : nil }
        var total = 0.0, removed = 0.0
        var idx = [Int](repeating: 0, count: pattern.m)
        for r in 0..<rows {
            let base = r * k
            var g = 0
            while g < k {
                let len = min(pattern.m, k - g)
                for t in 0..<len { idx[t] = g + t }
                // Keep the N largest magnitudes; ties keep the lower index (stable).
                let order = idx[0..<len].sorted { a, b in
                    let x = abs(w.values[base + a]), y = abs(w.values[base + b])
                    return x != y ? x > y : a < b
                }
                for (rank, c) in order.enumerated() {
                    let v = Double(w.values[base + c])
                    let e = v * v * (scale?[c] ?? 1)
                    total += e
                    if rank >= pattern.n { removed += e }
                }
                g += pattern.m
            }
        }
        return total > 0 ? removed / total : 0
    }
}
