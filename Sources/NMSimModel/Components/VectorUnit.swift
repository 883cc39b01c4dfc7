/// The SIMD unit that runs a transformer's non-GEMM work on data already on chip.
///
/// An operation over `elements` costs ⌈elements × cyclesPerElement / lanes⌉ + latency cycles.
package struct VectorUnit: Sendable {
    package let spec: VectorUnitSpec

    package init(_ spec: VectorUnitSpec) { self.spec = spec }

    /// Cycles for `op` over `elements`; nil when the count would overflow.
    package func cycles(_ op: VectorOp, elements: Int) -> Int64? {
        let cpe = Int64(spec.cyclesPerElement[op] ?? 1)
        let (work, o) = Int64(elements).multipliedReportingOverflow(by: cpe)
        if o { return nil }
        let lanes = Int64(spec.lanes)
        return (work + lanes - 1) / lanes + Int64(spec.latencyCycles)
    }

    /// Lane operations performed (for energy).
    package func elementOps(_ op: VectorOp, elements: Int) -> Int64 {
        Int64(elements) * Int64(spec.cyclesPerElement[op] ?? 1)
    }
}
