import Foundation
import NMSimModel

/// Accuracy proxy from real weights: N:M magnitude masks along the reduction dimension (the N
/// largest |w| of every M consecutive input weights of each output row, so masks nest as in
/// ELSA), scored per layer by the relative output error on seeded Gaussian activations:
/// ‖X(W − W_mask)ᵀ‖² / ‖XWᵀ‖², with X of `probeRows` rows. Supplied activations (a tensor
/// `<layer>.input` whose last dimension is the layer's K) replace the Gaussian probes for the
/// layers they cover, up to `maxActivationRows` rows. With `probeRows` 0 the score is the relative
/// weight energy removed, ‖W − W_mask‖² / ‖W‖². The cost of a configuration is the sum over
/// layers: a proxy, not an accuracy.
public enum WeightProxy {
    /// Checkpoint name prefixes tried before a layer's own name (timm, DataParallel, Lightning).
    static let prefixes = ["", "module.", "model.", "backbone."]
    public static let maxActivationRows = 256

    /// Tensors by name from a `.safetensors` file or a folder of `<name>.npy` files.
    struct TensorStore {
        let path: String
        let lookup: (String) throws(InputError) -> Tensor?

        init(path: String, flag: String) throws(InputError) {
            self.path = path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw InputError(.noInput, source: path, "no such file") }
            if isDir.boolValue {
                lookup = { (name: String) throws(InputError) -> Tensor? in
                    let f = URL(fileURLWithPath: path).appendingPathComponent(name + ".npy").path
                    return FileManager.default.fileExists(atPath: f) ? try NPYFile.read(path: f) : nil
                }
            } else if path.lowercased().hasSuffix(".npy") {
                throw InputError(.usage, source: flag, "give a folder of .npy files named after the tensors (blocks.0.attn.qkv.weight.npy), not one .npy file")
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

    public static func costs(
        path: String, table: LatencyTable, activations: String? = nil, probeRows: Int = 16,
        seed: UInt64 = 0
    ) throws(InputError) -> CostTable {
        let weights = try TensorStore(path: path, flag: "--weights")
        let inputs = try activations.map { (a: String) throws(InputError) -> TensorStore in try TensorStore(path: a, flag: "--activations") }
        var costs: [[Double]] = []
        var missing: [String] = []
        var supplied = 0
        for (j, i) in table.layerIndices.enumerated() {
            let layer = table.workload.layers[i]
            guard let shape = layer.shape else { continue }
            guard let (w, found) = try weights.find(layer.name + ".weight") else {
                missing.append(layer.name + ".weight"); costs.append([]); continue
            }
            guard w.values.allSatisfy(\.isFinite) else {
                throw InputError(.data, source: path, location: found, "contains NaN or infinite values")
            }
            guard w.shape == [shape.n, shape.k] else {
                let hint = w.shape == [shape.k, shape.n] ? " (transposed? expected PyTorch's [out, in] layout)" : ""
                throw InputError(
                    .data, source: path, location: found, "shape \(w.shape) does not match layer \(layer.name) [out \(shape.n), in \(shape.k)]\(hint)")
            }
            var probes: [[Double]]?
            if let inputs, let (x, name) = try inputs.find(layer.name + ".input") {
                guard let last = x.shape.last, last == shape.k, x.values.count >= shape.k else {
                    throw InputError(.data, source: inputs.path, location: name, "shape \(x.shape) does not end in the layer's input width \(shape.k)")
                }
                guard x.values.allSatisfy(\.isFinite) else {
                    throw InputError(.data, source: inputs.path, location: name, "contains NaN or infinite values")
                }
                let rows = min(x.values.count / shape.k, maxActivationRows)
                probes = (0..<rows).map { r in x.values[(r * shape.k)..<((r + 1) * shape.k)].map(Double.init) }
                supplied += 1
            }
            costs.append(
                table.options[j].map {
                    score(w, rows: shape.n, k: shape.k, pattern: $0.pattern, probeRows: probeRows, seed: seed &+ UInt64(j), probes: probes)
                })
        }
        if !missing.isEmpty {
            let list = missing.prefix(4).joined(separator: ", ") + (missing.count > 4 ? ", and \(missing.count - 4) more" : "")
            throw InputError(.data, source: path, "no tensor for \(list) (tried the prefixes \(prefixes.filter { !$0.isEmpty }.joined(separator: ", ")))")
        }
        var kind = probeRows > 0 ? "weight proxy: relative output error on \(probeRows) Gaussian probes" : "weight proxy: relative weight energy removed"
        if activations != nil {
            kind =
                "weight proxy: relative output error on supplied activations for \(supplied) of \(table.layerIndices.count) layers"
                + (supplied < table.layerIndices.count ? ", \(probeRows) Gaussian probes for the rest" : "")
        }
        return CostTable(costs: costs, kind: kind)
    }

    /// The pruned-weight mask's relative error for one layer; `w` is [rows (out), k (in)].
    /// `probes`, when given, are the input rows X; otherwise `probeRows` seeded Gaussian rows.
    public static func score(
        _ w: Tensor, rows: Int, k: Int, pattern: NMPattern, probeRows: Int, seed: UInt64,
        probes: [[Double]]? = nil
    ) -> Double {
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
        if probeRows == 0 && probes == nil {
            let total = w.values.reduce(0.0) { $0 + Double($1) * Double($1) }
            let removed = pruned.reduce(0.0) { $0 + Double($1.value) * Double($1.value) }
            return total > 0 ? removed / total : 0
        }
        var rng = SeededGenerator(seed: seed)
        var num = 0.0, den = 0.0
        var x = [Double](repeating: 0, count: k)
        for p in 0..<(probes?.count ?? probeRows) {
            if let probes { x = probes[p] } else { for i in 0..<k { x[i] = gaussian(&rng) } }
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
        if den > 0 { return num / den }
        // The probes give no output at all (all-zero inputs): score the removed weight energy.
        return probes != nil ? score(w, rows: rows, k: k, pattern: pattern, probeRows: 0, seed: seed) : 0
    }

    static func gaussian(_ rng: inout SeededGenerator) -> Double {
        let u1 = max(rng.unit(), 1e-300), u2 = rng.unit()
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }
}
