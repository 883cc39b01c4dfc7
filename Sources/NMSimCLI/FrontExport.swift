import Foundation
import NMSimModel
import NMSimReport
import NMSimSearch

/// `--export-front DIR`: one ELSA configuration and one assignment JSON per Pareto point.
enum FrontExport {
    static func precheck(_ dir: String) throws(InputError) {
        var isDir: ObjCBool = false
        let parent = URL(fileURLWithPath: dir).deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw InputError(.cannotCreate, source: "--export-front", "\(dir) exists and is not a directory") }
        } else if !FileManager.default.fileExists(atPath: parent, isDirectory: &isDir) || !isDir.boolValue {
            throw InputError(.cannotCreate, source: "--export-front", "cannot create \(dir): directory \(parent) does not exist")
        }
    }

    /// Files `point-NNN.json` (and `point-NNN.yaml` when ELSA's format can hold the workload),
    /// numbered from the least resource up; every text is made before any file is written.
    static func write(_ session: SearchSession, to dir: String, _ c: Console) throws(InputError) {
        let points = session.pareto ?? []
        let workload = session.problem.table.workload
        var files: [(String, String)] = []
        var elsa = true
        for (i, p) in points.enumerated() {
            let list = session.assignment(p.choice)
            let name = String(format: "point-%03d", i)
            files.append(("\(name).json", AssignmentFile.jsonText(list)))
            if elsa {
                do {
                    files.append(
                        (
                            "\(name).yaml",
                            try AssignmentFile.elsaText(
                                patterns: Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0.pattern) }),
                                workload: workload, role: .frontExport)
                        ))
                } catch {
                    elsa = false
                    let notes = error.diagnostics.map {
                        Diagnostic(source: $0.naming(\.named).source, message: $0.message + "; only assignment files are written")
                    }
                    CLI.warn(notes, c)
                }
            }
        }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false) } catch {
            var isDir: ObjCBool = false
            if !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
                throw InputError(.cannotCreate, source: "--export-front", "cannot create \(dir): \(error.localizedDescription)")
            }
        }
        for (name, text) in files {
            try OutputFile.write(text, to: URL(fileURLWithPath: dir).appendingPathComponent(name).path, flag: "--export-front", console: c)
        }
    }
}
