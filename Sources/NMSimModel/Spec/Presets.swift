// Built-in hardware specs. Each must equal the file of the same name in hardware-specs/
// (a test checks this); edit both together.

public enum Presets {
    /// The spec used when none is given.
    public static let defaultName = "flex-nm4"

    /// Preset names in display order.
    public static let names = ["flex-nm4", "sparse-tc-2of4", "flex-nm8", "scalesim-ws-32x32", "edge-nm4", "datacenter-nm4"]

    /// The JSON text of a preset, by name.
    public static func json(named name: String) -> String? { sources[name] }

    static let sources: [String: String] = [
        "flex-nm4": #"""
        {
          "version": 1,
          "name": "flex-nm4",
          "description": "Flexible N:M array in the manner of VEGETA (the default): 32x32 weight-stationary, 1:4, 2:4 and 4:4, per-PE 4:1 muxes, activation buffer at four times the dense rate.",
          "clockGHz": 1.0,
          "peArray": { "rows": 32, "columns": 32, "dataflow": "weightStationary", "stationaryDoubleBuffered": true },
          "sparsity": {
            "supportedPatterns": ["1:4", "2:4", "4:4"],
            "mux": "perPE",
            "decoder": { "groupsPerCycle": 64, "latencyCycles": 2 }
          },
          "buffers": {
            "ifmap": { "capacityKiB": 1024, "banks": 16, "bankWidthBytes": 8, "ports": 1, "doubleBuffered": true },
            "filter": { "capacityKiB": 512, "banks": 8, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "ofmap": { "capacityKiB": 256, "banks": 64, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true }
          },
          "dram": { "model": "fixedLatency", "bytesPerCycle": 64, "latencyCycles": 200, "burstBytes": 64 },
          "vectorUnit": { "lanes": 32, "latencyCycles": 4 },
          "dataMovement": { "fuseElementwise": true, "activationsOnChip": true },
          "dataTypes": { "activationBytes": 1, "weightBytes": 1, "outputBytes": 1, "accumulatorBytes": 4 },
          "technology": { "nodeNm": 45 }
        }
        """#,
        "sparse-tc-2of4": #"""
        {
          "version": 1,
          "name": "sparse-tc-2of4",
          "description": "2:4-only array in the manner of sparse tensor cores: 32x32 weight-stationary, per-PE 4:1 muxes, activation buffer at twice the dense rate.",
          "clockGHz": 1.0,
          "peArray": { "rows": 32, "columns": 32, "dataflow": "weightStationary", "stationaryDoubleBuffered": true },
          "sparsity": {
            "supportedPatterns": ["2:4"],
            "mux": "perPE",
            "decoder": { "groupsPerCycle": 64, "latencyCycles": 2 }
          },
          "buffers": {
            "ifmap": { "capacityKiB": 1024, "banks": 8, "bankWidthBytes": 8, "ports": 1, "doubleBuffered": true },
            "filter": { "capacityKiB": 512, "banks": 8, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "ofmap": { "capacityKiB": 256, "banks": 64, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true }
          },
          "dram": { "model": "fixedLatency", "bytesPerCycle": 64, "latencyCycles": 200, "burstBytes": 64 },
          "vectorUnit": { "lanes": 32, "latencyCycles": 4 },
          "dataMovement": { "fuseElementwise": true, "activationsOnChip": true },
          "dataTypes": { "activationBytes": 1, "weightBytes": 1, "outputBytes": 1, "accumulatorBytes": 4 },
          "technology": { "nodeNm": 45 }
        }
        """#,
        "flex-nm8": #"""
        {
          "version": 1,
          "name": "flex-nm8",
          "description": "Flexible N:M array with groups of 8: 32x32 weight-stationary, 1:8, 2:8, 4:8 and 8:8, per-PE 8:1 muxes; the activation buffer at four times the dense rate caps 1:8 at 4x.",
          "clockGHz": 1.0,
          "peArray": { "rows": 32, "columns": 32, "dataflow": "weightStationary", "stationaryDoubleBuffered": true },
          "sparsity": {
            "supportedPatterns": ["1:8", "2:8", "4:8", "8:8"],
            "mux": "perPE",
            "decoder": { "groupsPerCycle": 64, "latencyCycles": 2 }
          },
          "buffers": {
            "ifmap": { "capacityKiB": 1024, "banks": 16, "bankWidthBytes": 8, "ports": 1, "doubleBuffered": true },
            "filter": { "capacityKiB": 512, "banks": 8, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "ofmap": { "capacityKiB": 256, "banks": 64, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true }
          },
          "dram": { "model": "fixedLatency", "bytesPerCycle": 64, "latencyCycles": 200, "burstBytes": 64 },
          "vectorUnit": { "lanes": 32, "latencyCycles": 4 },
          "dataMovement": { "fuseElementwise": true, "activationsOnChip": true },
          "dataTypes": { "activationBytes": 1, "weightBytes": 1, "outputBytes": 1, "accumulatorBytes": 4 },
          "technology": { "nodeNm": 45 }
        }
        """#,
        "scalesim-ws-32x32": #"""
        {
          "version": 1,
          "name": "scalesim-ws-32x32",
          "description": "SCALE-Sim-like dense systolic array: 32x32 weight-stationary, 1 MiB SRAM per operand, 10 B/cycle DRAM, single-buffered stationary registers so each fold loads, streams and drains in turn, no sparse support.",
          "clockGHz": 1.0,
          "peArray": { "rows": 32, "columns": 32, "dataflow": "weightStationary", "stationaryDoubleBuffered": false },
          "sparsity": {
            "supportedPatterns": [],
            "mux": "perPE",
            "decoder": { "groupsPerCycle": 1, "latencyCycles": 0 }
          },
          "buffers": {
            "ifmap": { "capacityKiB": 1024, "banks": 8, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "filter": { "capacityKiB": 1024, "banks": 8, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "ofmap": { "capacityKiB": 1024, "banks": 64, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true }
          },
          "dram": { "model": "fixedLatency", "bytesPerCycle": 10, "latencyCycles": 100, "burstBytes": 64 },
          "vectorUnit": { "lanes": 32, "latencyCycles": 4 },
          "dataMovement": { "fuseElementwise": false, "activationsOnChip": false },
          "dataTypes": { "activationBytes": 1, "weightBytes": 1, "outputBytes": 1, "accumulatorBytes": 4 },
          "technology": { "nodeNm": 45 }
        }
        """#,
        "edge-nm4": #"""
        {
          "version": 1,
          "name": "edge-nm4",
          "description": "Edge-sized flexible N:M array: 16x16 weight-stationary at 0.5 GHz, 1:4 and 2:4, 64 KiB buffers, 8 B/cycle DRAM; the activation buffer at twice the dense rate caps 1:4 at 2x.",
          "clockGHz": 0.5,
          "peArray": { "rows": 16, "columns": 16, "dataflow": "weightStationary", "stationaryDoubleBuffered": true },
          "sparsity": {
            "supportedPatterns": ["1:4", "2:4"],
            "mux": "perPE",
            "decoder": { "groupsPerCycle": 16, "latencyCycles": 2 }
          },
          "buffers": {
            "ifmap": { "capacityKiB": 64, "banks": 8, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "filter": { "capacityKiB": 64, "banks": 4, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "ofmap": { "capacityKiB": 64, "banks": 32, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true }
          },
          "dram": { "model": "fixedLatency", "bytesPerCycle": 8, "latencyCycles": 100, "burstBytes": 64 },
          "vectorUnit": { "lanes": 16, "latencyCycles": 4 },
          "dataMovement": { "fuseElementwise": true, "activationsOnChip": true },
          "dataTypes": { "activationBytes": 1, "weightBytes": 1, "outputBytes": 1, "accumulatorBytes": 4 },
          "technology": { "nodeNm": 45 }
        }
        """#,
        "datacenter-nm4": #"""
        {
          "version": 1,
          "name": "datacenter-nm4",
          "description": "Datacenter-sized flexible N:M array: 128x128 weight-stationary, 1:4, 2:4 and 4:4, 8 MiB buffers, 512 B/cycle DRAM (HBM class).",
          "clockGHz": 1.0,
          "peArray": { "rows": 128, "columns": 128, "dataflow": "weightStationary", "stationaryDoubleBuffered": true },
          "sparsity": {
            "supportedPatterns": ["1:4", "2:4", "4:4"],
            "mux": "perPE",
            "decoder": { "groupsPerCycle": 512, "latencyCycles": 3 }
          },
          "buffers": {
            "ifmap": { "capacityKiB": 8192, "banks": 64, "bankWidthBytes": 8, "ports": 1, "doubleBuffered": true },
            "filter": { "capacityKiB": 8192, "banks": 32, "bankWidthBytes": 4, "ports": 1, "doubleBuffered": true },
            "ofmap": { "capacityKiB": 4096, "banks": 128, "bankWidthBytes": 8, "ports": 1, "doubleBuffered": true }
          },
          "dram": { "model": "fixedLatency", "bytesPerCycle": 512, "latencyCycles": 300, "burstBytes": 64, "kind": "hbm2" },
          "vectorUnit": { "lanes": 256, "latencyCycles": 4 },
          "dataMovement": { "fuseElementwise": true, "activationsOnChip": true },
          "dataTypes": { "activationBytes": 1, "weightBytes": 1, "outputBytes": 1, "accumulatorBytes": 4 },
          "technology": { "nodeNm": 16 }
        }
        """#,
    ]
}
