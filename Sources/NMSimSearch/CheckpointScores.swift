import NMSimModel

/// One model's weight-proxy scores (``WeightProxy``), independent of any spec: for every
/// sparsifiable layer, the score of each N:M level asked for. The checkpoint is read once; the
/// scores then give the costs of any spec whose levels they cover, e.g. at every point of a
/// hardware sweep.
public struct CheckpointScores: Equatable, Sendable {
    /// The checkpoint's path.
    public let source: String
    /// What the scores are, as reports name the cost.
    public let kind: String
    /// Scores by layer name and level.
    let scores: [String: [NMPattern: Double]]

    /// Scores `workload`'s sparsifiable layers at `patterns` from the checkpoint at `path` (a
    /// `.safetensors` file or a folder of `.npy` files), with recorded inputs from `activations`.
    public init(path: String, activations: String? = nil, workload: Workload, patterns: [NMPattern]) throws(InputError) {
        let weights = try WeightProxy.TensorStore(path: path, role: .weights)
        let inputs = try activations.map { (a: String) throws(InputError) -> WeightProxy.TensorStore in
            try WeightProxy.TensorStore(path: a, role: .activations)
        }
        var scores: [String: [NMPattern: Double]] = [:]
        var missing: [String] = []
        var supplied = 0
        let searchable = workload.sparsifiableIndices
        for i in searchable {
            let layer = workload.layers[i]
            guard let shape = layer.shape else { continue }
            guard let (w, found) = try weights.find(layer.name + ".weight") else {
                missing.append(layer.name + ".weight"); continue
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
                columns = WeightProxy.columnEnergy(x, k: shape.k)
                supplied += 1
            }
            var row: [NMPattern: Double] = [:]
            for p in patterns { row[p] = WeightProxy.score(w, rows: shape.n, k: shape.k, pattern: p, inputEnergy: columns) }
            scores[layer.name] = row
        }
        if !missing.isEmpty {
            let list = missing.prefix(4).joined(separator: ", ") + (missing.count > 4 ? ", and \(missing.count - 4) more" : "")
            throw InputError(
                .data, source: path, "no tensor for \(list) (tried the prefixes \(WeightProxy.prefixes.filter { !$0.isEmpty }.joined(separator: ", ")))")
        }
        var kind = "weight proxy: relative weight energy removed"
        if activations != nil {
            kind =
                "weight proxy: removed weight energy weighted by recorded input energy (Wanda's |W|·‖X‖) for \(supplied) of \(searchable.count) layers"
                + (supplied < searchable.count ? ", unweighted for the rest" : "")
        }
        source = path
        self.kind = kind
        self.scores = scores
    }

    /// The costs of `table`'s options; a level the scores do not cover is a usage error.
    package func costs(for table: LatencyTable) throws(InputError) -> CostTable {
        var costs: [[Double]] = []
        for (j, name) in table.layerNames.enumerated() {
            var row: [Double] = []
            for o in table.options[j] {
                guard let c = scores[name]?[o.pattern] else {
                    throw InputError(.usage, source: source, "no score for \(name) at \(o.pattern); the scores were computed for other levels")
                }
                row.append(c)
            }
            costs.append(row)
        }
        return CostTable(costs: costs, kind: kind)
    }
}
