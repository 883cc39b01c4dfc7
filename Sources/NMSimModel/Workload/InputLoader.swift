import Foundation

/// Loads specs, workloads and assignments from preset names or files, turning every failure
/// into a located ``InputError``.
public enum InputLoader {
    public struct LoadedSpec: Sendable {
        public var spec: HardwareSpec
        public var warnings: [Diagnostic]
    }

    /// Reads a whole file; a missing one is a `noInput` error.
    public static func read(_ path: String) throws(InputError) -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(.noInput, source: path, "no such file")
        }
        if isDir.boolValue { throw InputError(.noInput, source: path, "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(.noInput, source: path, "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(.data, source: path, "is not UTF-8 text") }
        return text
    }

    /// A preset name, a spec JSON file, or a SCALE-Sim `.cfg` file.
    public static func spec(_ arg: String?) throws(InputError) -> LoadedSpec {
        let name = arg ?? Presets.defaultName
        if let json = Presets.json(named: name) {
            return LoadedSpec(spec: try HardwareSpec.decode(json: json, source: "preset \(name)"), warnings: [])
        }
        if !FileManager.default.fileExists(atPath: name), !name.contains("/"), !name.contains(".") {
            throw InputError(
                .usage, role: .spec,
                "unknown preset \"\(name)\"; presets are: \(Presets.names.joined(separator: ", ")) (or give a .json or SCALE-Sim .cfg file)")
        }
        if name.lowercased().hasSuffix(".cfg") {
            let r = try SCALESimConfig.parse(lines: TextLines.useful(file: name), source: name)
            return LoadedSpec(spec: r.spec, warnings: r.warnings)
        }
        let text = try read(name)
        return LoadedSpec(spec: try HardwareSpec.decode(json: text, source: name), warnings: [])
    }

    /// A built-in model name, a workload JSON file, or a SCALE-Sim topology CSV.
    public static func workload(_ arg: String, image: Int? = nil, batch: Int = 1, sparsify: Set<WeightLayerKind>? = nil) throws(InputError) -> Workload {
        if let model = VisionTransformer.named(arg) {
            if let why = model.problem(image: image ?? model.defaultImage, batch: batch) {
                throw InputError(.usage, role: image != nil ? .image : .batch, why)
            }
            return model.workload(image: image, batch: batch, sparsify: sparsify ?? VisionTransformer.defaultSparsifiable)
        }
        if sparsify != nil {
            throw InputError(.usage, role: .sparsify, "applies only to built-in models; a workload file marks its own layers with \"sparsifiable\"")
        }
        if image != nil || batch != 1 {
            throw InputError(
                .usage, role: image != nil ? .image : .batch,
                "applies only to built-in models (\(VisionTransformer.all.map(\.name).joined(separator: ", ")))")
        }
        if !FileManager.default.fileExists(atPath: arg), !arg.contains("/"), !arg.contains(".") {
            throw InputError(
                .usage, role: .workload,
                "unknown model \"\(arg)\"; built-in models are: \(VisionTransformer.all.map(\.name).joined(separator: ", ")) (or give a .json or SCALE-Sim .csv file)"
            )
        }
        if arg.lowercased().hasSuffix(".csv") { return try SCALESimTopology.parse(lines: TextLines.useful(file: arg), source: arg) }
        return try Workload.decode(json: read(arg), source: arg)
    }
}
