import NMSimModel
import NMSimSearch

/// Simulates DeiT-Tiny with 2:4 weights on the default accelerator, then searches a
/// layer-wise N:M configuration at least 1.3x faster than dense.
func libraryExample() throws(InputError) -> (uniform: NetworkReport, searched: SearchSession) {
    let spec = try InputLoader.spec("flex-nm4").spec
    let deit = VisionTransformer.named("deit-t")!.workload()
    let patterns = try PatternAssignment(uniform: NMPattern(n: 2, m: 4)!).resolve(deit, on: spec)
    let uniform = try NetworkSimulator(spec: spec).run(deit, patterns: patterns)
    print("2:4 everywhere: \(uniform.totalCycles) cycles, \(uniform.macs) MACs")

    let request = SearchRequest(workload: deit, budget: .speedup(1.3), accuracy: .prior, optimizer: .dp)
    let searched = try SearchSession.run(request, on: spec)
    print("searched: \(searched.resimulated.totalCycles) cycles, prior cost \(searched.chosen.cost)")
    for (layer, pattern) in searched.assignment(searched.chosen.choice).prefix(4) { print(layer, pattern) }
    return (uniform, searched)
}
