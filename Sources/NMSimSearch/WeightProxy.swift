import Foundation
import NMSimModel

/// Accuracy proxy from real weights: N:M magnitude masks along the reduction dimension (the N
/// largest |w| of every M consecutive input weights of each output row, so masks nest as in
/// ELSA), scored per layer by the relative output error on seeded Gaussian activations:
/// ‖X(W − W_mask)ᵀ‖² / ‖XWᵀ‖², with X of `probeRows` rows. With `probeRows` 0 the score is the
/// relative weight energy removed, ‖W − W_mask‖² / ‖W‖². The cost of a configuration is the sum
/// over layers: a proxy, not an accuracy.
public enum WeightProxy {
    /// Checkpoint name prefixes tried before a layer's own name (timm, DataParallel, Lightning).
    static let prefixes = ["", "module.", "model.", "backbone."]

    public static func costs(path: String, table: LatencyTable, probeRows: Int = 16, seed: UInt64 = 0) throws(InputError) -> CostTable {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw InputError(.noInput, source: path, "no such file") }
        let lookup: (String) throws(InputError) -> Tensor?
        if isDir.boolValue {
            lookup = { (name: String) throws(InputError) -> Tensor? in
                let f = URL(fileURLWithPath: path).appendingPathComponent(name + ".npy").path
                return FileManager.default.fileExists(atPath: f) ? try NPYFile.read(path: f) : nil
            }
        } else if path.lowercased().hasSuffix(".npy") {
            throw InputError(.usage, source: "--weights", "give a folder of .npy files named after the tensors (blocks.0.attn.qkv.weight.npy), not one .npy file")
        } else {
            let file = try SafeTensorsFile(path: path)
            lookup = { (name: String) throws(InputError) -> Tensor? in try file.tensor(name) }
        }
        var costs: [[Double]] = []
        var missing: [String] = []
        for (j, i) in table.layerIndices.enumerated() {
            let layer = table.workload.layers[i]
            guard let shape = layer.shape else { continue }
            var tensor: Tensor?
            var found = ""
            for p in prefixes {
                if let t = try lookup(p + layer.name + ".weight") { tensor = t; found = p + layer.name + ".weight"; break }
            }
            guard let w = tensor else { missing.append(layer.name + ".weight"); costs.append([]); continue }
            guard w.shape == [shape.n, shape.k] else {
                let hint = w.shape == [shape.k, shape.n] ? " (transposed? expected PyTorch's [out, in] layout)" : ""
                throw InputError(.data, source: path, location: found, "shape \(w.shape) does not match layer \(layer.name) [out \(shape.n), in \(shape.k)]\(hint)")
            }
            costs.append(table.options[j].map { score(w, rows: shape.n, k: shape.k, pattern: $0.pattern, probeRows: probeRows, seed: seed &+ UInt64(j)) })
        }
        if !missing.isEmpty {
            let list = missing.prefix(4).joined(separator: ", ") + (missing.count > 4 ? ", and \(missing.count - 4) more" : "")
            throw InputError(.data, source: path, "no tensor for \(list) (tried the prefixes \(prefixes.filter { !$0.isEmpty }.joined(separator: ", ")))")
        }
        return CostTable(costs: costs, kind: probeRows > 0 ? "weight proxy: relative output error on \(probeRows) Gaussian probes" : "weight proxy: relative weight energy removed")
    }

    /// The pruned-weight mask's relative error for one layer; `w` is [rows (out), k (in)].
    public static func score(_ w: Tensor, rows: Int, k: Int, pattern: NMPattern, probeRows: Int, seed: UInt64) -> Double {
        if pattern.isDense { return 0 }
        // Δ = the pruned entries: per output row, per group of M inputs, all but the N largest |w|.
        var pruned: [(row: Int, col: Int, value: Float)] = []
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
                for c in order.dropFirst(min(pattern.n, len)) { pruned.append((r, c, w.values[base + c])) }
                g += pattern.m
            }
        }
        if probeRows == 0 {
            let total = w.values.reduce(0.0) { $0 + Double($1) * Double($1) }
            let removed = pruned.reduce(0.0) { $0 + Double($1.value) * Double($1.value) }
            return total > 0 ? removed / total : 0
        }
        var rng = SeededGenerator(seed: seed)
        var num = 0.0, den = 0.0
        var x = [Double](repeating: 0, count: k)
        for _ in 0..<probeRows {
            for i in 0..<k { x[i] = gaussian(&rng) }
            var delta = [Double](repeating: 0, count: rows)
            for p in pruned { delta[p.row] += Double(p.value) * x[p.col] }
            num += delta.reduce(0) { $0 + $1 * $1 }
            for r in 0..<rows {
                var y = 0.0
                let base = r * k
                for i in 0..<k { y += Double(w.values[base + i]) * x[i] }
                den += y * y
            }
        }
        return den > 0 ? num / den : 0
    }

    static func gaussian(_ rng: inout SeededGenerator) -> Double {
        let u1 = max(rng.unit(), 1e-300), u2 = rng.unit()
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }
}
