import Foundation

/// Reads SCALE-Sim topology CSVs: the GEMM form (`Layer, M, N, K, Sparsity,`) and the
/// convolution form (`Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
/// Channels, Num Filter, Strides, [Sparsity],`), which lowers to a GEMM with M = output pixels
/// (no padding), K = Fh·Fw·C and N = filters, as SCALE-Sim does.
public enum SCALESimTopology {
    public static func parse(_ text: String, source: String) throws(InputError) -> Workload {
        try parse(lines: TextLines.useful(text, source: source), source: source)
    }

    public static func parse(lines: [TextLine], source: String) throws(InputError) -> Workload {
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
        var names: Set<String> = []
        for line in lines.dropFirst() {
            let loc = "line \(line.number)", raw = line.text
            let f = fields(raw)
            let numeric = conv ? 7 : 3
            guard f.count >= 1 + numeric else {
                sink.report(loc, "expected \(1 + numeric) fields (name and \(numeric) integers), found \(f.count)"); continue
            }
            let name = f[0]
            if name.isEmpty { sink.report(loc, "layer name is empty"); continue }
            if !names.insert(name).inserted { sink.report(loc, "duplicate layer name \"\(name)\"") }
            var values: [Int] = []
            for j in 1...numeric {
                guard let v = Int(f[j]), v >= 1 else {
                    sink.report(loc, "field \(j + 1) (\(conv ? convNames[j - 1] : ["M", "N", "K"][j - 1])) must be a positive integer, found \"\(f[j])\"")
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
            let shape: GEMMShape
            if let big = values.first(where: { $0 > WorkloadLimits.maxDimension }) {
                sink.report(loc, "\(big) exceeds the largest supported dimension \(WorkloadLimits.maxDimension)"); continue
            }
            if conv {
                let (h, w, fh, fw, c, nf, s) = (values[0], values[1], values[2], values[3], values[4], values[5], values[6])
                guard fh <= h, fw <= w else { sink.report(loc, "filter \(fh)×\(fw) is larger than the input \(h)×\(w)"); continue }
                let oh = (h - fh) / s + 1, ow = (w - fw) / s + 1
                let (pixels, o1) = oh.multipliedReportingOverflow(by: ow)
                let (taps, o2) = (fh * fw).multipliedReportingOverflow(by: c)
                guard !o1, !o2, pixels <= WorkloadLimits.maxDimension, taps <= WorkloadLimits.maxDimension else {
                    sink.report(
                        loc,
                        "the lowered GEMM (\(oh)×\(ow) pixels, \(fh)×\(fw)×\(c) taps) exceeds the largest supported dimension \(WorkloadLimits.maxDimension)");
                    continue
                }
                shape = GEMMShape(m: pixels, n: nf, k: taps)
            } else {
                shape = GEMMShape(m: values[0], n: values[1], k: values[2])
            }
            if let why = WorkloadLimits.check(shape) { sink.report(loc, why); continue }
            layers.append(Layer(name: name, kind: .gemm(shape), pattern: pattern, sparsifiable: true))
        }
        if layers.isEmpty && sink.isEmpty { sink.report("line 2", "the topology lists no layers") }
        try sink.throwIfAny()
        let base = source.split(separator: "/").last.map(String.init) ?? source
        return Workload(name: base.hasSuffix(".csv") ? String(base.dropLast(4)) : base, layers: layers)
    }

    static let convNames = ["IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width", "Channels", "Num Filter", "Strides"]

    /// Comma-separated fields, trimmed, with the trailing empty field SCALE-Sim's format leaves dropped.
    static func fields(_ line: String) -> [String] {
        var f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if f.last == "" { f.removeLast() }
        return f
    }
}
