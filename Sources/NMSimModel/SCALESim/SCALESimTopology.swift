import Foundation

/// Reads SCALE-Sim topology CSVs: the GEMM form (`Layer, M, N, K, Sparsity,`) and the
/// convolution form (`Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
/// Channels, Num Filter, Strides, [Sparsity],`), which lowers to a GEMM with M = output pixels
/// (no padding), K = Fh·Fw·C and N = filters, as SCALE-Sim does.
///
/// SCALE-Sim's own rules are kept: output sizes ⌈(I − F + S) / S⌉; a convolution whose name
/// contains `DP` is depthwise (one single-channel layer per channel); every row loses its last
/// field, so a row without the trailing comma loses its N:M pattern (with a warning here);
/// layer names may repeat.
package enum SCALESimTopology {
    package static func parse(_ text: String, source: String) throws(InputError) -> Workload {
        try parse(lines: TextLines.useful(text, source: source), source: source)
    }

    package static func parse(lines: [TextLine], source: String) throws(InputError) -> Workload {
        let sink = DiagnosticSink(source: source)
        guard let header = lines.first?.text, lines.first?.number == 1 else {
            throw InputError(.data, source: source, location: "line 1", "expected a SCALE-Sim topology header, found an empty file")
        }
        let headerFields = fields(header).map { $0.lowercased() }
        let conv = headerFields.contains { $0.contains("ifmap") }
        if !conv, !(headerFields.count >= 4 && headerFields[1] == "m" && headerFields[2] == "n" && headerFields[3] == "k") {
            throw InputError(
                .data, source: source, location: "line 1",
                "expected a header 'Layer, M, N, K, Sparsity,' or the convolution form 'Layer name, IFMAP Height, ...', found \"\(header.prefix(60))\"")
        }
        var layers: [Layer] = []
        var warnings: [Diagnostic] = []
        for line in lines.dropFirst() {
            let loc = "line \(line.number)"
            let row = line.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if row.isEmpty { continue }
            let numeric = conv ? 7 : 3
            let what = conv ? convNames : ["M", "N", "K"]
            // SCALE-Sim drops the last field of every row, expecting the trailing comma's empty
            // one; without that comma it silently loses a real field.
            var f = row.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let last = f.removeLast()
            if !last.isEmpty {
                let lost =
                    f.count == numeric + 1
                    ? "sparsity \"\(last)\"" : f.isEmpty ? "the layer name" : f.count <= numeric ? "\(what[f.count - 1]) \"\(last)\"" : "\"\(last)\""
                if f.count <= numeric {
                    sink.report(
                        loc, "the row does not end with a comma, so SCALE-Sim drops its last field (\(lost)) and cannot run it; end the row with a comma")
                    continue
                }
                warnings.append(
                    Diagnostic(
                        source: source, location: loc,
                        message:
                            "warning: the row does not end with a comma, so its last field (\(lost)) is dropped, as SCALE-Sim does\(f.count == numeric + 1 ? "; the layer runs dense" : ""); end the row with a comma to keep it"
                    ))
            }
            guard f.count >= 1 + numeric else {
                sink.report(loc, "expected \(1 + numeric) fields (name and \(numeric) integers), found \(f.count)"); continue
            }
            let name = f[0]
            if name.isEmpty { sink.report(loc, "layer name is empty"); continue }
            var values: [Int] = []
            for j in 1...numeric {
                guard let v = Int(f[j]), v >= 1 else {
                    sink.report(loc, "field \(j + 1) (\(what[j - 1])) must be a positive integer, found \"\(f[j])\"")
                    break
                }
                values.append(v)
            }
            guard values.count == numeric else { continue }
            var pattern: NMPattern?
            if f.count > numeric + 1, !f[numeric + 1].isEmpty {
                switch NMPattern.parse(f[numeric + 1]) {
                case .success(let p): pattern = p
                case .failure(let e): sink.report(loc, "field \(numeric + 2) (sparsity): \(e.description)"); continue
                }
            }
            if let big = values.first(where: { $0 > WorkloadLimits.maxDimension }) {
                sink.report(loc, "\(big) exceeds the largest supported dimension \(WorkloadLimits.maxDimension)"); continue
            }
            guard conv else {
                let shape = GEMMShape(m: values[0], n: values[1], k: values[2])
                if let why = WorkloadLimits.check(shape) { sink.report(loc, why); continue }
                layers.append(Layer(name: name, kind: .gemm(shape), pattern: pattern, sparsifiable: true))
                continue
            }
            let (h, w, fh, fw, c, nf, s) = (values[0], values[1], values[2], values[3], values[4], values[5], values[6])
            guard fh <= h, fw <= w else { sink.report(loc, "filter \(fh)×\(fw) is larger than the input \(h)×\(w)"); continue }
            // SCALE-Sim's output size without padding: ⌈(I − F + S) / S⌉; a last window that
            // runs past the input still counts (its missing pixels are null requests).
            // A layer whose name contains "DP" is depthwise: SCALE-Sim runs one single-channel
            // layer per channel, named <name>Channel_<i>.
            let depthwise = name.contains("DP")
            let channels = depthwise ? 1 : c
            let convolution = Convolution(ifmapHeight: h, ifmapWidth: w, filterHeight: fh, filterWidth: fw, channels: channels, filters: nf, stride: s)
            let oh = convolution.outputHeight, ow = convolution.outputWidth
            let (pixels, o1) = oh.multipliedReportingOverflow(by: ow)
            let (taps, o2) = (fh * fw).multipliedReportingOverflow(by: channels)
            guard !o1, !o2, pixels <= WorkloadLimits.maxDimension, taps <= WorkloadLimits.maxDimension else {
                sink.report(
                    loc,
                    "the lowered GEMM (\(oh)×\(ow) pixels, \(fh)×\(fw)×\(channels) taps) exceeds the largest supported dimension \(WorkloadLimits.maxDimension)"
                ); continue
            }
            let shape = GEMMShape(m: pixels, n: nf, k: taps)
            if let why = WorkloadLimits.check(shape) { sink.report(loc, why); continue }
            if depthwise {
                guard layers.count + c <= maxLayers else {
                    sink.report(loc, "depthwise layer \"\(name)\" splits into \(c) layers, more than the \(maxLayers) a topology may hold"); continue
                }
                for ch in 0..<c {
                    var layer = Layer(name: "\(name)Channel_\(ch)", kind: .gemm(shape), pattern: pattern, sparsifiable: true)
                    layer.convolution = convolution
                    layers.append(layer)
                }
            } else {
                var layer = Layer(name: name, kind: .gemm(shape), pattern: pattern, sparsifiable: true)
                layer.convolution = convolution
                layers.append(layer)
            }
        }
        if layers.isEmpty && sink.isEmpty { sink.report("line 2", "the topology lists no layers") }
        try sink.throwIfAny()
        let base = source.split(separator: "/").last.map(String.init) ?? source
        var workload = Workload(name: base.hasSuffix(".csv") ? String(base.dropLast(4)) : base, layers: layers)
        workload.warnings = warnings
        return workload
    }

    /// Layers one topology may expand to (depthwise layers split per channel).
    static let maxLayers = 1 << 20

    static let convNames = ["IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width", "Channels", "Num Filter", "Strides"]

    /// Comma-separated fields (``CSV``), trimmed, with the trailing empty field SCALE-Sim's format
    /// leaves dropped.
    static func fields(_ line: String) -> [String] {
        var f = CSV.fields(Substring(line)) ?? [line]
        if f.last == "" { f.removeLast() }
        return f
    }
}
