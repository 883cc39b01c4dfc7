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
public enum WeightProxy {
    /// Checkpoint name prefixes tried before a layer's own name (timm, DataParallel, Lightning).
    static let prefixes = ["", "module.", "model.", "backbone."]

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

    public static func costs(path: String, table: LatencyTable, activations: String? = nil) throws(InputError) -> CostTable {
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
            var columns: [Double]?
            if let inputs, let (x, name) = try inputs.find(layer.name + ".input") {
                guard let last = x.shape.last, last == shape.k, x.values.count >= shape.k else {
                    throw InputError(.data, source: inputs.path, location: name, "shape \(x.shape) does not end in the layer's input width \(shape.k)")
                }
                guard x.values.allSatisfy(\.isFinite) else {
                    throw InputError(.data, source: inputs.path, location: name, "contains NaN or infinite values")
                }
                columns = columnEnergy(x, k: shape.k)
                supplied += 1
            }
            costs.append(table.options[j].map { score(w, rows: shape.n, k: shape.k, pattern: $0.pattern, inputEnergy: columns) })
        }
        if !missing.isEmpty {
            let list = missing.prefix(4).joined(separator: ", ") + (missing.count > 4 ? ", and \(missing.count - 4) more" : "")
            throw InputError(.data, source: path, "no tensor for \(list) (tried the prefixes \(prefixes.filter { !$0.isEmpty }.joined(separator: ", ")))")
        }
        var kind = "weight proxy: relative weight energy removed"
        if activations != nil {
            kind =
                "weight proxy: removed weight energy weighted by recorded input energy (Wanda's |W|·‖X‖) for \(supplied) of \(table.layerIndices.count) layers"
                + (supplied < table.layerIndices.count ? ", unweighted for the rest" : "")
        }
        return CostTable(costs: costs, kind: kind)
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
    public static func score(_ w: Tensor, rows: Int, k: Int, pattern: NMPattern, inputEnergy: [Double]? = nil) -> Double {
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
