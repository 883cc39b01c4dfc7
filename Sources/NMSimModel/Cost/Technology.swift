import Foundation

/// The process a design is costed in: a node and a supply voltage. Per-operation energies
/// and areas are published at 45 nm (Horowitz, ISSCC 2014) and scaled to the node with the
/// fitted tables of Stillmaker & Baas (Integration 58, 2017).
public struct TechnologySpec: Equatable, Sendable {
    /// Process node in nanometres; one of ``TechnologySpec/nodes``.
    public var nodeNm: Int
    /// Supply voltage in volts; nil means the node's nominal voltage.
    public var voltage: Double?

    public init(nodeNm: Int = 45, voltage: Double? = nil) {
        self.nodeNm = nodeNm
        self.voltage = voltage
    }

    /// Nodes with published scaling factors (Stillmaker & Baas 2017, Tables 4–6).
    public static let nodes = [130, 90, 65, 45, 32, 20, 16, 14, 10, 7]

    /// Nominal supply voltage of each node (Stillmaker & Baas 2017, Table 2).
    static let nominalVoltage: [Int: Double] = [130: 1.3, 90: 1.2, 65: 1.1, 45: 1.0, 32: 0.9, 20: 0.9, 16: 0.85, 14: 0.8, 10: 0.75, 7: 0.7]

    /// Area relative to 45 nm (Stillmaker & Baas 2017, area scaling row for 45 nm).
    static let areaFrom45: [Int: Double] = [130: 6.4, 90: 2.8, 65: 1.5, 45: 1, 32: 0.46, 20: 0.21, 16: 0.19, 14: 0.17, 10: 0.1, 7: 0.059]

    /// Energy fits a·V² + b·V + c per node (Stillmaker & Baas 2017, energy equations).
    static let energyFit: [Int: (Double, Double, Double)] = [
        130: (7.171, -6.709, 2.904), 90: (4.762, -4.781, 2.092), 65: (3.755, -4.398, 1.975),
        45: (1.103, -0.362, 0.2767), 32: (0.9559, -0.7823, 0.471), 20: (0.373, -0.1582, 0.04104),
        16: (0.2958, -0.1241, 0.03024), 14: (0.2363, -0.09675, 0.02239), 10: (0.2068, -0.09311, 0.02375),
        7: (0.1776, -0.09097, 0.02447),
    ]

    /// The voltage in use.
    public var volts: Double { voltage ?? Self.nominalVoltage[nodeNm] ?? 1.0 }

    static func fit(_ node: Int, _ v: Double) -> Double {
        guard let (a, b, c) = energyFit[node] else { return 1 }
        return a * v * v + b * v + c
    }

    /// Multiplies a 45 nm, 1.0 V energy into this node and voltage.
    package var energyScale: Double { Self.fit(nodeNm, volts) / Self.fit(45, 1.0) }
    /// Multiplies a 45 nm area into this node.
    package var areaScale: Double { Self.areaFrom45[nodeNm] ?? 1 }
}

/// Published 45 nm per-operation costs the defaults are built from (see Docs/SpecFormat.md).
package enum Horowitz45 {
    /// Integer adders: bits → (pJ, µm²). Horowitz, ISSCC 2014, Fig. 1.1.9.
    static let add: [(bits: Double, pJ: Double, um2: Double)] = [(8, 0.03, 36), (16, 0.05, 67), (32, 0.1, 137)]
    /// Integer multipliers: bits → (pJ, µm²).
    static let mult: [(bits: Double, pJ: Double, um2: Double)] = [(8, 0.2, 282), (32, 3.1, 3495)]
    /// FP16 multiply and add (pJ, µm²): the vector unit's lane.
    static let fp16Mult = (pJ: 1.1, um2: 1640.0)
    static let fp16Add = (pJ: 0.4, um2: 1360.0)
    /// 64-bit SRAM reads: KiB → pJ (8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ).
    package static let sramRead64: [(kib: Double, pJ: Double)] = [(8, 10), (32, 20), (1024, 100)]

    /// Energy and area of an integer adder of `bits`, interpolated linearly between the
    /// published widths (extrapolated linearly beyond them).
    static func adder(bits: Int) -> (pJ: Double, um2: Double) {
        let b = Double(bits)
        let (lo, hi) = b <= 16 ? (add[0], add[1]) : (add[1], add[2])
        let t = (b - lo.bits) / (hi.bits - lo.bits)
        return (max(0.005, lo.pJ + t * (hi.pJ - lo.pJ)), max(5, lo.um2 + t * (hi.um2 - lo.um2)))
    }

    /// Energy and area of an a×b-bit integer multiplier: a power law in the geometric mean
    /// width through the published 8-bit and 32-bit points.
    static func multiplier(_ a: Int, _ b: Int) -> (pJ: Double, um2: Double) {
        let w = (Double(a) * Double(b)).squareRoot()
        let ratio = log(w / 8) / log(4)
        return (mult[0].pJ * pow(mult[1].pJ / mult[0].pJ, ratio), mult[0].um2 * pow(mult[1].um2 / mult[0].um2, ratio))
    }

    /// Energy of a 64-bit read from an SRAM array of `kib`: proportional to √capacity (wire
    /// length), through the 8 KB point. Reproduces the 32 KB point exactly and the 1 MB point
    /// within 15 % (a test checks this).
    package static func sramRead64PJ(kib: Double) -> Double { sramRead64[0].pJ * (max(kib, 0.125) / sramRead64[0].kib).squareRoot() }
}

/// Standard cells of the NanGate FreePDK45 Open Cell Library (typical corner: 1.1 V, 25 °C,
/// `NangateOpenCellLibrary_typical.lib`, revision 1.0) used for registers, muxes and
/// decoders: areas (µm²), switching energies (fJ, at the library's 1.1 V) and leakage.
enum NanGate45 {
    static let flipFlop = 4.522
    static let mux2 = 1.862
    static let and2 = 1.064
    /// The library's supply voltage; its energies are scaled to the model's 45 nm, 1.0 V
    /// reference with ``TechnologySpec``'s fit.
    static let volts = 1.1
    /// MUX2_X1, data input to output: internal energy 2.50 fJ per rising and 3.44 fJ per
    /// falling output (fastest input slew, 1.89 fF load), mean 2.97 fJ per transition.
    static let mux2TransitionFJ = (2.50 + 3.44) / 2
    /// MUX2_X1 data input capacitance (fF): the load one stage of a mux tree drives.
    static let mux2InputFF = 0.946
    /// AND2_X1, input to output: 1.93 fJ rising, 2.94 fJ falling, mean per transition.
    static let and2TransitionFJ = (1.93 + 2.94) / 2
    /// DFF_X1 clock pin: 3.98 fJ falling plus 4.36 fJ rising, per clock cycle.
    static let flipFlopClockFJ = 3.98 + 4.36
    /// DFF_X1: cell leakage 79.11 nW over 4.522 µm² (FA_X1: 75.76 nW over 4.256 µm², 17.8).
    static let leakageMWPerMM2 = 79.11 / 4.522

    /// Energy of one 2:1 stage of a multiplexer tree per bit and selection, at the library's
    /// voltage: a new activation toggles each bit with probability 1/2, and a toggle costs the
    /// cell's internal energy plus charging the next stage's input (½ C V² per transition).
    static var mux2StageFJ: Double { 0.5 * (mux2TransitionFJ + 0.5 * mux2InputFF * volts * volts) }

    /// Energy of decoding one N:M group at the library's voltage: N indices of `indexBits`
    /// bits each clocked into flip-flops, and per index one one-hot output falling and one rising.
    static func decodeGroupFJ(n: Int, indexBits: Int) -> Double {
        Double(n) * (Double(indexBits) * flipFlopClockFJ + 2 * and2TransitionFJ)
    }
}

/// SRAM area efficiency (cell area / total area) that CACTI 7 (HewlettPackard/cacti, built
/// from source) reports at 45 nm for a single-ported, single-bank RAM with 64-bit words,
/// optimised for area: `-technology (u) 0.045`, `-cache type "ram"`, `-block size (bytes) 8`,
/// `-output/input bus width 64`, design objective 0:0:0:0:100.
enum CACTI45 {
    static let efficiency: [(kib: Double, cells: Double)] = [
        (1, 0.675227), (4, 0.751282), (16, 0.793671), (64, 0.853001), (256, 0.901487),
    ]

    /// Periphery (decoders, sense amplifiers, drivers) as a fraction of the cell area of a
    /// bank of `kib`: 1/efficiency − 1, interpolated as a power law between CACTI's points and
    /// extrapolated along the nearest segment beyond them.
    static func peripheryFraction(kib: Double) -> Double {
        let pts = efficiency.map { (log($0.kib), log(1 / $0.cells - 1)) }
        let x = log(max(kib, 1e-6))
        var i = 0
        while i < pts.count - 2 && x > pts[i + 1].0 { i += 1 }
        let (x0, y0) = pts[i], (x1, y1) = pts[i + 1]
        return exp(y0 + (x - x0) * (y1 - y0) / (x1 - x0))
    }
}

/// Off-chip memory kinds with their access energy (pJ per bit).
public enum DRAMKind: String, Sendable, CaseIterable {
    /// Horowitz 2014: 1.3–2.6 nJ per 64-bit access; the low end, 20 pJ/bit.
    case ddr3
    /// O'Connor et al., MICRO 2017: GDDR5 about 14 pJ/bit.
    case gddr5
    /// O'Connor et al., MICRO 2017: HBM2 about 3.9 pJ/bit.
    case hbm2

    package var pJPerBit: Double {
        switch self {
        case .ddr3: return 20
        case .gddr5: return 14
        case .hbm2: return 3.9
        }
    }
}

/// Per-action energies in picojoules at the spec's node; each nil value takes its default.
public struct EnergySpec: Equatable, Sendable {
    public var macPJ: Double?
    public var muxPJ: Double?
    public var sramReadPJPerByte: Double?
    public var sramWritePJPerByte: Double?
    public var dramPJPerByte: Double?
    public var decodePJPerGroup: Double?
    public var vectorPJPerElementOp: Double?
    public var leakageMWPerMM2: Double?

    public init(
        macPJ: Double? = nil, muxPJ: Double? = nil, sramReadPJPerByte: Double? = nil, sramWritePJPerByte: Double? = nil,
        dramPJPerByte: Double? = nil, decodePJPerGroup: Double? = nil, vectorPJPerElementOp: Double? = nil,
        leakageMWPerMM2: Double? = nil
    ) {
        self.macPJ = macPJ; self.muxPJ = muxPJ; self.sramReadPJPerByte = sramReadPJPerByte
        self.sramWritePJPerByte = sramWritePJPerByte; self.dramPJPerByte = dramPJPerByte
        self.decodePJPerGroup = decodePJPerGroup; self.vectorPJPerElementOp = vectorPJPerElementOp
        self.leakageMWPerMM2 = leakageMWPerMM2
    }
}

/// Per-component areas in µm² at the spec's node; each nil value takes its default.
public struct AreaSpec: Equatable, Sendable {
    public var macUM2: Double?
    public var muxUM2: Double?
    public var decoderLaneUM2: Double?
    public var sramBitUM2: Double?
    public var sramPeripheryUM: Double?
    public var vectorLaneUM2: Double?

    public init(
        macUM2: Double? = nil, muxUM2: Double? = nil, decoderLaneUM2: Double? = nil, sramBitUM2: Double? = nil,
        sramPeripheryUM: Double? = nil, vectorLaneUM2: Double? = nil
    ) {
        self.macUM2 = macUM2; self.muxUM2 = muxUM2; self.decoderLaneUM2 = decoderLaneUM2
        self.sramBitUM2 = sramBitUM2; self.sramPeripheryUM = sramPeripheryUM; self.vectorLaneUM2 = vectorLaneUM2
    }
}
