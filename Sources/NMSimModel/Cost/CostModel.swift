import Foundation

/// Named amounts that sum to a total, in report order (area in mm², energy in pJ).
public struct Breakdown: Equatable, Sendable {
    public var entries: [(name: String, value: Double)]

    package init(_ entries: [(name: String, value: Double)]) { self.entries = entries }

    public var total: Double { entries.reduce(0) { $0 + $1.value } }
    public subscript(_ name: String) -> Double { entries.first { $0.name == name }?.value ?? 0 }

    public static func == (a: Breakdown, b: Breakdown) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Component-wise sum; both sides must list the same components (or one be empty).
    package static func + (a: Breakdown, b: Breakdown) -> Breakdown {
        if a.entries.isEmpty { return b }
        if b.entries.isEmpty { return a }
        return Breakdown(zip(a.entries, b.entries).map { ($0.name, $0.value + $1.value) })
    }

    package func scaled(by k: Double) -> Breakdown { Breakdown(entries.map { ($0.name, $0.value * k) }) }
}

/// Area and energy of a spec, from per-operation costs at 45 nm scaled to the spec's node
/// (see Docs/SpecFormat.md for every default and its source). Energy is a function of the
/// counters the simulator reports: MACs, buffer and DRAM bytes by operand, metadata, decoded
/// groups, vector operations and time (for leakage).
package struct CostModel: Sendable {
    /// One resolved parameter, for listing.
    package struct Parameter: Sendable {
        package var key: String
        package var value: Double
        package var unit: String
        /// Whether the spec gave it (else the default was used).
        package var given: Bool
    }

    package let spec: HardwareSpec
    package let macPJ: Double
    package let muxPJ: Double
    package let decodePJPerGroup: Double
    package let vectorPJPerElementOp: Double
    package let dramPJPerByte: Double
    package let leakageMWPerMM2: Double
    /// Read and write energy per byte of ifmap, filter, ofmap.
    package let bufferPJPerByte: [(read: Double, write: Double)]
    package let macUM2: Double
    package let muxUM2: Double
    package let decoderLaneUM2: Double
    package let sramBitUM2: Double
    /// A periphery strip width given by the spec; nil: CACTI's periphery fraction by bank size.
    package let sramPeripheryUM: Double?
    package let vectorLaneUM2: Double
    /// Area by component, mm².
    package let area: Breakdown

    /// Names of the buffers as reported.
    package static let bufferNames = ["ifmap", "filter", "ofmap"]
    /// Energy components in report order.
    package static let energyComponents = [
        "mac", "mux", "ifmapRead", "ifmapWrite", "filterRead", "filterWrite", "ofmapRead", "ofmapWrite",
        "metadata", "decode", "dramInput", "dramWeight", "dramPartialSums", "dramOutput", "vector", "leakage",
    ]

    package init(spec: HardwareSpec) {
        self.spec = spec
        let tech = spec.technology
        let e = tech.energyScale, a = tech.areaScale
        let t = spec.dataTypes
        let aBits = t.activationBytes * 8, wBits = t.weightBytes * 8, accBits = t.accumulatorBytes * 8
        let sparse = spec.supportedPatterns.filter { !$0.isDense }
        let m = sparse.map(\.m).max() ?? 1
        let n = sparse.map(\.n).max() ?? 0
        let indexBits = m > 1 ? Int(ceil(log2(Double(m)))) : 0
        let mult = Horowitz45.multiplier(aBits, wBits), acc = Horowitz45.adder(bits: accBits)
        let o = spec.energy, ar = spec.area

        macPJ = o.macPJ ?? (mult.pJ + acc.pJ) * e
        // Cell energies of the NanGate library are at its 1.1 V: bring them to 45 nm, 1.0 V first.
        let cellToReference = TechnologySpec.fit(45, 1.0) / TechnologySpec.fit(45, NanGate45.volts)
        // An M:1 selection of an activation: (M−1) 2:1 mux stages per bit.
        muxPJ = o.muxPJ ?? Double(max(m - 1, 0) * aBits) * NanGate45.mux2StageFJ / 1000 * cellToReference * e
        decodePJPerGroup =
            o.decodePJPerGroup ?? NanGate45.decodeGroupFJ(n: n, indexBits: indexBits) / 1000 * cellToReference * e
        vectorPJPerElementOp = o.vectorPJPerElementOp ?? (Horowitz45.fp16Mult.pJ + Horowitz45.fp16Add.pJ) * e
        dramPJPerByte = o.dramPJPerByte ?? spec.dram.kind.pJPerBit * 8
        leakageMWPerMM2 = o.leakageMWPerMM2 ?? NanGate45.leakageMWPerMM2 * e / a
        let buffers = spec.unifiedBuffer ? [Self.unified(spec)] : [spec.ifmap, spec.filter, spec.ofmap]
        let perByte = buffers.map { b -> (read: Double, write: Double) in
            let bankKiB = Double(b.capacityBytes) / Double(b.banks) / 1024
            let pj = Horowitz45.sramRead64PJ(kib: bankKiB) / 8 * e
            return (o.sramReadPJPerByte ?? pj, o.sramWritePJPerByte ?? pj)
        }
        bufferPJPerByte = spec.unifiedBuffer ? Array(repeating: perByte[0], count: 3) : perByte

        macUM2 = ar.macUM2 ?? (mult.um2 + acc.um2 + Double(aBits + wBits + accBits) * NanGate45.flipFlop) * a
        // Per mux: the M:1 select tree, the extra M−1 activations it is offered, and its index.
        muxUM2 = ar.muxUM2 ?? (Double((m - 1) * aBits) * (NanGate45.mux2 + NanGate45.flipFlop) + Double(indexBits) * NanGate45.flipFlop) * a
        // Per decoder lane: one-hot decode of N indices of log2(M) bits, and their registers.
        decoderLaneUM2 = ar.decoderLaneUM2 ?? (Double(n * m) * NanGate45.and2 + Double(n * indexBits) * NanGate45.flipFlop) * a
        sramBitUM2 = ar.sramBitUM2 ?? 0.346 * a
        sramPeripheryUM = ar.sramPeripheryUM
        vectorLaneUM2 = ar.vectorLaneUM2 ?? (Horowitz45.fp16Mult.um2 + Horowitz45.fp16Add.um2 + 32 * NanGate45.flipFlop) * a

        let pes = Double(spec.rows * spec.columns)
        var parts: [(name: String, value: Double)] = [("peArray", pes * macUM2 / 1e6)]
        let muxes = sparse.isEmpty ? 0 : Double(spec.mux == .perPE ? spec.rows * spec.columns : spec.rows)
        parts.append(("muxes", muxes * muxUM2 / 1e6))
        let lanes = sparse.isEmpty ? 0 : Double(min(spec.decoder.groupsPerCycle, spec.rows * spec.columns))
        parts.append(("decoders", lanes * decoderLaneUM2 / 1e6))
        let bit = sramBitUM2, edge = sramPeripheryUM
        let names = spec.unifiedBuffer ? ["unified"] : Self.bufferNames
        for (name, b) in zip(names, buffers) {
            parts.append((name, Self.sramMM2(b, bitUM2: bit, peripheryUM: edge)))
        }
        parts.append(("vectorUnit", Double(spec.vector.lanes) * vectorLaneUM2 / 1e6))
        area = Breakdown(parts)
    }

    /// The one buffer behind a unified spec (each operand's view holds a third of it).
    static func unified(_ spec: HardwareSpec) -> BufferSpec {
        var u = spec.ifmap
        u.capacityBytes = spec.ifmap.capacityBytes * 3
        return u
    }

    /// Area of one multi-ported SRAM cell relative to a single-ported one, as CACTI models it:
    /// the 146 F² cell is 10 F wide and 14.6 F high (aspect ratio 1.46), and each port beyond
    /// the first adds two local-wire pitches of 2.5 F to both its width and its height (a
    /// second port: 15 F × 19.6 F, 2.01× the area).
    package static func sramPortFactor(_ ports: Int) -> Double {
        let extra = 5 * Double(max(ports - 1, 0))
        return (10 + extra) * (14.6 + extra) / 146
    }

    /// Area of an SRAM buffer in mm²: per bank, the cells (grown by ``sramPortFactor(_:)`` for
    /// extra ports) plus their periphery (row decoders, sense amplifiers, drivers). By default
    /// the periphery is CACTI's fraction of the cell area for the bank's size
    /// (``CACTI45/peripheryFraction(kib:)``), so small banks pay relatively more; a given
    /// `peripheryUM` instead adds a strip of that width along two sides of the square array.
    package static func sramMM2(_ b: BufferSpec, bitUM2: Double, peripheryUM: Double? = nil) -> Double {
        let bankBytes = Double(b.capacityBytes) / Double(b.banks)
        let cells = bankBytes * 8 * bitUM2 * sramPortFactor(b.ports)
        let periphery: Double
        if let strip = peripheryUM {
            periphery = 2 * cells.squareRoot() * strip
        } else {
            periphery = cells * CACTI45.peripheryFraction(kib: bankBytes / 1024)
        }
        return Double(b.banks) * (cells + periphery) / 1e6
    }

    /// Energy of one layer result by component, in pJ; the components sum to the total.
    package func energy(_ r: LayerResult, pattern: NMPattern) -> Breakdown {
        let parts = energyParts(r, pattern: pattern)
        return Breakdown(Self.energyComponents.indices.map { (Self.energyComponents[$0], parts[$0]) })
    }

    /// The total of ``energy(_:pattern:)``, summed in the same order, without building the breakdown.
    package func energyTotal(_ r: LayerResult, pattern: NMPattern) -> Double {
        let parts = energyParts(r, pattern: pattern)
        var total = 0.0
        for i in 0..<parts.scalarCount { total += parts[i] }
        return total
    }

    /// The energy components in ``energyComponents`` order.
    private func energyParts(_ r: LayerResult, pattern: NMPattern) -> SIMD16<Double> {
        let op = r.traffic.byOperand
        let (ifm, fil, ofm) = (bufferPJPerByte[0], bufferPJPerByte[1], bufferPJPerByte[2])
        let selections: Double
        if pattern.isDense {
            selections = 0
        } else {
            selections = spec.mux == .perPE ? Double(r.macs) : Double(r.macs) / Double(spec.columns)
        }
        let seconds = Double(r.cycles) / (spec.clockGHz * 1e9)
        let d = dramPJPerByte
        return SIMD16(
            Double(r.macs) * macPJ,
            selections * muxPJ,
            Double(op.ifmapRead) * ifm.read,
            Double(op.ifmapWrite) * ifm.write,
            Double(op.filterRead - op.metadataRead) * fil.read,
            Double(op.filterWrite - op.dramMetadata) * fil.write,
            Double(op.ofmapRead) * ofm.read,
            Double(op.ofmapWrite) * ofm.write,
            Double(op.metadataRead) * fil.read + Double(op.dramMetadata) * (fil.write + d),
            Double(r.decodedGroups) * decodePJPerGroup,
            Double(op.dramInput) * d,
            Double(op.dramWeight - op.dramMetadata) * d,
            Double(op.dramPartialRead + op.dramPartialWrite) * d,
            Double(r.traffic.dramWriteBytes - op.dramPartialWrite) * d,
            Double(r.vectorElementOps) * vectorPJPerElementOp,
            // mm² × mW/mm² × s = mJ = 1e9 pJ.
            area.total * leakageMWPerMM2 * seconds * 1e9)
    }

    /// Every parameter in use, with its unit and whether the spec gave it.
    package var parameters: [Parameter] {
        let o = spec.energy, a = spec.area
        var p: [Parameter] = [
            Parameter(key: "energy.macPJ", value: macPJ, unit: "pJ", given: o.macPJ != nil),
            Parameter(key: "energy.muxPJ", value: muxPJ, unit: "pJ", given: o.muxPJ != nil),
        ]
        for (name, e) in zip(Self.bufferNames, bufferPJPerByte) {
            p.append(Parameter(key: "\(name) read", value: e.read, unit: "pJ/B", given: o.sramReadPJPerByte != nil))
            p.append(Parameter(key: "\(name) write", value: e.write, unit: "pJ/B", given: o.sramWritePJPerByte != nil))
        }
        p += [
            Parameter(key: "energy.dramPJPerByte", value: dramPJPerByte, unit: "pJ/B", given: o.dramPJPerByte != nil),
            Parameter(key: "energy.decodePJPerGroup", value: decodePJPerGroup, unit: "pJ", given: o.decodePJPerGroup != nil),
            Parameter(key: "energy.vectorPJPerElementOp", value: vectorPJPerElementOp, unit: "pJ", given: o.vectorPJPerElementOp != nil),
            Parameter(key: "energy.leakageMWPerMM2", value: leakageMWPerMM2, unit: "mW/mm²", given: o.leakageMWPerMM2 != nil),
            Parameter(key: "area.macUM2", value: macUM2, unit: "µm²", given: a.macUM2 != nil),
            Parameter(key: "area.muxUM2", value: muxUM2, unit: "µm²", given: a.muxUM2 != nil),
            Parameter(key: "area.decoderLaneUM2", value: decoderLaneUM2, unit: "µm²", given: a.decoderLaneUM2 != nil),
            Parameter(key: "area.sramBitUM2", value: sramBitUM2, unit: "µm²", given: a.sramBitUM2 != nil),
            Parameter(key: "area.vectorLaneUM2", value: vectorLaneUM2, unit: "µm²", given: a.vectorLaneUM2 != nil),
        ]
        if let strip = sramPeripheryUM {
            p.append(Parameter(key: "area.sramPeripheryUM", value: strip, unit: "µm", given: true))
        } else {
            let buffers = spec.unifiedBuffer ? [Self.unified(spec)] : [spec.ifmap, spec.filter, spec.ofmap]
            let names = spec.unifiedBuffer ? ["unified"] : Self.bufferNames
            for (name, b) in zip(names, buffers) {
                let kib = Double(b.capacityBytes) / Double(b.banks) / 1024
                p.append(Parameter(key: "\(name) periphery", value: 100 * CACTI45.peripheryFraction(kib: kib), unit: "% of cells", given: false))
            }
        }
        return p
    }
}
