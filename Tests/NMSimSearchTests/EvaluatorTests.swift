import Foundation
import Testing

@testable import NMSimModel
@testable import NMSimSearch

/// An accuracy evaluator written in Swift that speaks nmsim's JSON Lines protocol over pipes on
/// a thread of its own, so the protocol is tested without any other language.
final class SwiftEvaluator: @unchecked Sendable {
    let requests = Pipe(), replies = Pipe()
    /// Accuracy for an assignment; nil leaves the request unanswered.
    let accuracy: @Sendable ([String: String]) -> Double?
    /// Requests gathered before the replies to all of them are written, last first.
    let reverseEvery: Int
    /// Replaces the reply line to the n-th request (1-based), to break the protocol.
    let override: @Sendable (Int, Int) -> String?
    /// Closes the replies after this many requests (a crash).
    let crashAfter: Int?
    private let lock = NSLock()
    private var _served = 0
    var served: Int { lock.withLock { _served } }

    init(
        reverseEvery: Int = 1, crashAfter: Int? = nil, override: @escaping @Sendable (Int, Int) -> String? = { _, _ in nil },
        accuracy: @escaping @Sendable ([String: String]) -> Double?
    ) {
        self.accuracy = accuracy
        self.reverseEvery = reverseEvery
        self.override = override
        self.crashAfter = crashAfter
        Thread { [self] in serve() }.start()
    }

    func client(_ table: LatencyTable, batch: Int, timeout: Double = 30) -> EvaluatorClient {
        EvaluatorClient(
            command: "swift-evaluator", table: table, batch: batch, timeout: timeout,
            writeTo: requests.fileHandleForWriting.fileDescriptor, readFrom: replies.fileHandleForReading.fileDescriptor)
    }

    private func serve() {
        var buffer = Data()
        var held: [String] = []
        let out = replies.fileHandleForWriting
        while true {
            let data = requests.fileHandleForReading.availableData
            if data.isEmpty { break }
            buffer.append(data)
            while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                guard let v = try? JSONParser.parse(line), case .integer(let id)? = v["id"], case .object(let m)? = v["assignment"] else { continue }
                var assignment: [String: String] = [:]
                for (k, p) in m { if case .string(let s) = p { assignment[k] = s } }
                let n = lock.withLock {
                    _served += 1; return _served
                }
                if let crashAfter, n > crashAfter { try? out.close(); return }
                if let line = override(n, Int(id)) {
                    held.append(line)
                } else if let a = accuracy(assignment) {
                    held.append("{\"id\": \(id), \"accuracy\": \(a)}")
                }
                if held.count >= reverseEvery {
                    out.write(Data(held.reversed().map { $0 + "\n" }.joined().utf8))
                    held.removeAll()
                }
            }
        }
        try? out.close()
    }
}

/// A non-additive accuracy: each layer has its own sensitivity (which the prior does not know)
/// and two neighbouring layers both at the sparsest level cost extra.
@Sendable func interactingAccuracy(_ a: [String: String], order: [String]) -> Double {
    var acc = 80.0
    var sparsest: [Bool] = []
    for (j, name) in order.enumerated() {
        let p = a[name]!
        let s = 0.05 + Double((j * 37) % 11) * 0.12
        let drop: Double = p == "1:4" ? 2 : (p == "2:4" ? 1 : 0)
        acc -= s * drop
        sparsest.append(p == "1:4")
    }
    for j in 1..<sparsest.count where sparsest[j] && sparsest[j - 1] { acc -= 0.8 }
    return acc
}

@Suite("External evaluator")
struct EvaluatorTests {
    static func table(_ n: Int = 8) throws -> LatencyTable { try LatencyTable(spec: preset("flex-nm4"), workload: smallWorkload(n)) }

    @Test func repliesOutOfOrderAreMatchedByIdAndResultsAreCached() throws {
        let table = try Self.table()
        let server = SwiftEvaluator(reverseEvery: 3) { a in Double(a.values.filter { $0 == "2:4" }.count) }
        let client = server.client(table, batch: 3)
        let n = table.options.count
        let choices = (0..<6).map { k in (0..<n).map { j in j < k ? 1 : 0 } }
        #expect(table.options[0][1].pattern.description == "2:4")
        let acc = try client.accuracies(choices + [choices[2]])
        #expect(acc == [0, 1, 2, 3, 4, 5, 2])
        #expect(client.evaluations == 6 && client.cacheHits == 1 && client.batches == 2)
        _ = try client.accuracies(choices)
        #expect(client.evaluations == 6 && client.cacheHits == 7 && server.served == 6)
        #expect(client.request(id: 7, choices[1]).hasPrefix("{\"id\": 7, \"assignment\": {\"l0\": \"2:4\", \"l1\": \"1:1\""))
    }

    static func failure(_ server: SwiftEvaluator, batch: Int = 2, timeout: Double = 30) throws -> InputError? {
        let table = try Self.table()
        let client = server.client(table, batch: batch, timeout: timeout)
        let n = table.options.count
        do { _ = try client.accuracies((0..<4).map { k in (0..<n).map { j in j == k ? 1 : 0 } }) } catch { return error }
        return nil
    }

    @Test func aMalformedReplyIsLocatedByItsLine() throws {
        let e = try #require(try Self.failure(SwiftEvaluator(override: { n, _ in n == 3 ? "accuracy: 80" : nil }) { _ in 80 }))
        #expect(e.kind == .data)
        #expect(
            e.diagnostics.map(\.description) == [
                "evaluator: reply line 3: not a JSON reply (unexpected character 'a' (expected a value) at column 1): \"accuracy: 80\""
            ])
    }

    @Test func anUnknownIdAnErrorReplyAndANonNumberAreDataErrors() throws {
        let unknown = try #require(try Self.failure(SwiftEvaluator(override: { n, _ in n == 2 ? "{\"id\": 99, \"accuracy\": 1}" : nil }) { _ in 80 }))
        #expect(
            unknown.kind == .data
                && unknown.diagnostics[0].description == "evaluator: reply line 2: id 99 was not asked for or was already answered (waiting for 2)")
        let reported = try #require(
            try Self.failure(SwiftEvaluator(override: { n, id in n == 1 ? "{\"id\": \(id), \"error\": \"CUDA out of memory\"}" : nil }) { _ in 80 }))
        #expect(reported.diagnostics[0].description == "evaluator: reply line 1: the evaluator reports an error for id 1: CUDA out of memory")
        let nan = try #require(try Self.failure(SwiftEvaluator(override: { n, id in n == 1 ? "{\"id\": \(id), \"accuracy\": \"high\"}" : nil }) { _ in 80 }))
        #expect(nan.diagnostics[0].message.hasPrefix("id 1: expected a finite number \"accuracy\""))
    }

    @Test func aCrashAndATimeoutAreSoftwareErrors() throws {
        let crash = try #require(try Self.failure(SwiftEvaluator(crashAfter: 2) { _ in 80 }))
        #expect(crash.kind == .software)
        #expect(crash.diagnostics[0].description == "evaluator: exited before answering ids 3, 4")
        let silent = try #require(try Self.failure(SwiftEvaluator { _ in nil }, timeout: 0.2))
        #expect(
            silent.kind == .software && silent.diagnostics[0].description == "evaluator: no reply within 0.2 s (evaluatorTimeout) while waiting for ids 1, 2"
        )
    }

    @Test func theEvaluatorDrivenSearchBeatsTheDPOnTheAdditivePriorWhenAccuracyIsNotAdditive() throws {
        let spec = try preset("flex-nm4")
        let table = try LatencyTable(spec: spec, workload: smallWorkload(12))
        let order = table.layerNames
        let server = SwiftEvaluator { interactingAccuracy($0, order: order) }
        let client = server.client(table, batch: 8)
        let budget = Int64(Double(table.denseCycles) / 1.6)
        let prior = Sensitivity.prior(for: table)
        let problem = SearchProblem(table: table, costs: prior, constraint: .latency(maxCycles: budget), dominance: prior)
        let s = try SearchSession.run(problem, spec: spec, optimizer: .both, seed: 3, pareto: true, evaluator: client)
        let dp = try #require(s.results.first { $0.optimizer == "dp" })
        let evo = try #require(s.results.first { $0.optimizer == "evolutionary" })
        // The DP is exact on the additive prior, and measurably worse on the real accuracy.
        let exact = try #require(ExhaustiveSearch.solve(problem))
        #expect(SearchProblem.sameCost(dp.cost, exact.cost))
        #expect(evo.accuracy! >= dp.accuracy! + 1.0, "evaluator-driven \(evo.accuracy!) vs DP on the prior \(dp.accuracy!)")
        #expect(problem.feasible(evo.choice) && s.chosen.optimizer == "evolutionary" && s.constraintCheck.met)
        #expect(s.evaluator!.evaluations == server.served && s.evaluator!.evaluations > 500)
        // The front holds evaluated configurations, none beaten on both axes.
        let front = try #require(s.pareto)
        for (a, b) in zip(front, front.dropFirst()) { #expect(a.resource < b.resource && a.accuracy! < b.accuracy!) }
        #expect(front.last!.accuracy! >= evo.accuracy!)
    }

    @Test func sameSeedSameSearchWithAnEvaluator() throws {
        let spec = try preset("flex-nm4")
        let table = try LatencyTable(spec: spec, workload: smallWorkload(10))
        let order = table.layerNames
        func run() throws -> SearchResult {
            let client = SwiftEvaluator { interactingAccuracy($0, order: order) }.client(table, batch: 4)
            let p = SearchProblem(table: table, costs: Sensitivity.prior(for: table), constraint: .latency(maxCycles: table.denseCycles * 2 / 3))
            return try SearchSession.run(p, spec: spec, optimizer: .evolutionary, seed: 5, pareto: false, evaluator: client).chosen
        }
        #expect(try run() == run())
    }
}

@Suite("Sensitivity files")
struct SensitivityFileTests {
    @Test func negativeCostsAndNonZeroDenseCostsAreLocatedErrors() {
        #expect {
            _ = try Sensitivity.csv("layer,pattern,cost\nl0,1:1,0.3\nl0,2:4,-0.1\nl0,1:4,0.5\n", source: "s.csv")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "s.csv: line 2: l0 1:1: a dense entry is the reference and must cost 0 (got 0.3)",
                "s.csv: line 3: l0 2:4: a cost must not be negative (got -0.1)",
            ]
        }
        #expect {
            _ = try Sensitivity.json(#"{"version": 1, "layers": {"l0": {"2:4": -1}}}"#, source: "s.json")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == ["s.json: layers.l0.2:4: l0 2:4: a cost must not be negative (got -1)"]
        }
        #expect {
            _ = try Sensitivity.csv("layer,pattern,accuracy\nl0,4:4,80\nl0,2:4,80.5\n", source: "a.csv")
        } throws: { e in
            (e as! InputError).diagnostics.map(\.description) == [
                "a.csv: line 3: l0 2:4: accuracy 80.5 is above the layer's dense accuracy 80, a negative cost"
            ]
        }
    }

    @Test func missingLevelsAreAnErrorOrInterpolatedInDensity() throws {
        let spec = try preset("flex-nm8")
        let w = Workload(name: "one", layers: [Layer(name: "l0", kind: .gemm(GEMMShape(m: 64, n: 64, k: 64)))])
        let table = try LatencyTable(spec: spec, workload: w)
        let t = try Sensitivity.csv("layer,pattern,cost\nl0,2:4,1\nl0,1:4,3\n", source: "s.csv")
        #expect {
            _ = try Sensitivity.costs(t, for: table, kind: "t")
        } throws: { e in (e as! InputError).diagnostics[0].description.hasSuffix("(list them, or pass missingCost interpolate)") }
        let c = try Sensitivity.costs(t, for: table, kind: "t", missing: .interpolate)
        var byPattern: [String: Double] = [:]
        for (o, v) in zip(table.options[0], c.costs[0]) { byPattern[o.pattern.description] = v }
        // Densities: 1 → 0, 0.5 → 1, 0.25 → 3; 4:8 is 0.5, 2:8 is 0.25, 1:8 (0.125) extends the line: 3 + 8 × 0.125 = 4.
        #expect(byPattern["4:8"] == 1 && byPattern["2:8"] == 3 && byPattern["1:8"] == 4)
        #expect(Sensitivity.interpolate([NMPattern(n: 2, m: 4)!: 1], at: 0.75) == 0.5)
    }

    @Test func theTemplateListsEveryLayerAndLevelAndReadsBackOnceFilled() throws {
        let spec = try preset("flex-nm4")
        let w = VisionTransformer.named("deit-t")!.workload()
        let text = Sensitivity.template(w, spec: spec)
        let rows = text.split(separator: "\n")
        #expect(rows.first == "layer,pattern,accuracy" && rows.count == 1 + 48 * 3)
        #expect(rows[1] == "blocks.0.attn.qkv,1:1," && rows[2] == "blocks.0.attn.qkv,2:4," && rows[3] == "blocks.0.attn.qkv,1:4,")
        let filled = rows.enumerated().map { i, r in i == 0 ? String(r) : r + (r.contains(",1:1,") ? "80" : "79") }.joined(separator: "\n")
        let t = try Sensitivity.csv(filled, source: "f.csv")
        let costs = try Sensitivity.costs(t, for: LatencyTable(spec: spec, workload: w), kind: "t")
        #expect(costs.costs.allSatisfy { $0 == [0, 1, 1] })
    }
}
