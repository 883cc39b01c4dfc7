import Foundation
import NMSimModel

/// A dense floating-point tensor read from a checkpoint, as `Float` values in row-major order.
package struct Tensor: Equatable, Sendable {
    package var shape: [Int]
    package var values: [Float]
}

/// Reads tensors from `.safetensors` files: an 8-byte little-endian header length, a JSON
/// header `{name: {dtype, shape, data_offsets: [begin, end]}}`, then the data. F32, F16, BF16 and
/// F64 are read; every other dtype, and any inconsistency, is a located error.
package struct SafeTensorsFile: Sendable {
    package struct Entry: Equatable, Sendable {
        package var dtype: String
        package var shape: [Int]
        package var begin: Int
        package var end: Int
    }

    package let path: String
    package let entries: [String: Entry]
    private let data: Data
    private let dataStart: Int

    package static let elementSizes = ["F32": 4, "F16": 2, "BF16": 2, "F64": 8]
    static let knownDtypes: Set<String> = ["F32", "F16", "BF16", "F64", "I8", "U8", "I16", "U16", "I32", "U32", "I64", "U64", "BOOL", "F8_E4M3", "F8_E5M2"]

    package init(path: String) throws(InputError) {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(.noInput, source: path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(.noInput, source: path, "cannot be read") }
        try self.init(data: data, source: path)
    }

    package init(data: Data, source: String) throws(InputError) {
        path = source
        self.data = data
        guard data.count >= 8 else {
            throw InputError(.data, source: source, location: "byte 0", "truncated: \(data.count) bytes, expected an 8-byte header length")
        }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n > 0, n <= UInt64(data.count - 8), n < 100_000_000 else {
            throw InputError(
                .data, source: source, location: "byte 0", "header length \(n) does not fit in a \(data.count)-byte file (truncated, or not a safetensors file)"
            )
        }
        dataStart = 8 + Int(n)
        let headerBytes = [UInt8](data[8..<dataStart])
        let root: JSONValue
        do { root = try JSONParser.parse(headerBytes) } catch {
            throw InputError(.data, source: source, location: "header line \(error.line), column \(error.column)", "header is not valid JSON: \(error.message)")
        }
        guard case .object(let members) = root else {
            throw InputError(.data, source: source, location: "header", "expected a JSON object, found \(root.brief)")
        }
        var entries: [String: Entry] = [:]
        var problems: [Diagnostic] = []
        let available = data.count - dataStart
        for (name, v) in members where name != "__metadata__" {
            let loc = "header.\(name)"
            guard case .string(let dtype)? = v["dtype"], case .array(let shapeV)? = v["shape"], case .array(let off)? = v["data_offsets"],
                off.count == 2, case .integer(let b) = off[0], case .integer(let e) = off[1]
            else {
                problems.append(Diagnostic(source: source, location: loc, message: "expected {dtype, shape, data_offsets: [begin, end]}"))
                continue
            }
            var shape: [Int] = []
            for s in shapeV { if case .integer(let d) = s, d >= 0, d < 1 << 31 { shape.append(Int(d)) } }
            guard shape.count == shapeV.count else {
                problems.append(Diagnostic(source: source, location: "\(loc).shape", message: "expected non-negative integers"))
                continue
            }
            guard Self.knownDtypes.contains(dtype) else {
                problems.append(Diagnostic(source: source, location: "\(loc).dtype", message: "unknown dtype \"\(dtype)\""))
                continue
            }
            guard b >= 0, e >= b, e <= Int64(available) else {
                problems.append(
                    Diagnostic(
                        source: source, location: "\(loc).data_offsets",
                        message: "[\(b), \(e)] lies outside the \(available)-byte data section (truncated file?)"))
                continue
            }
            if let size = Self.elementSizes[dtype] {
                var count = size, overflow = false
                for d in shape {
                    let (p, o) = count.multipliedReportingOverflow(by: d)
                    count = p
                    overflow = overflow || o
                }
                if overflow || Int64(count) != e - b {
                    problems.append(
                        Diagnostic(
                            source: source, location: "\(loc).data_offsets",
                            message: "\(e - b) bytes for shape \(shape) of \(dtype)" + (overflow ? " (the shape is too large)" : " (expected \(count))")))
                    continue
                }
            }
            entries[name] = Entry(dtype: dtype, shape: shape, begin: Int(b), end: Int(e))
        }
        if !problems.isEmpty { throw InputError(.data, problems) }
        self.entries = entries
    }

    /// The named tensor as floats; nil when absent.
    package func tensor(_ name: String) throws(InputError) -> Tensor? {
        guard let e = entries[name] else { return nil }
        guard let size = Self.elementSizes[e.dtype] else {
            throw InputError(
                .data, source: path, location: "header.\(name).dtype", "dtype \(e.dtype) is not supported for weights (expected F32, F16, BF16 or F64)")
        }
        let start = dataStart + e.begin
        let bytes = [UInt8](data[start..<(dataStart + e.end)])
        return Tensor(shape: e.shape, values: TensorDecoding.decode(bytes, dtype: e.dtype, elementSize: size, littleEndian: true))
    }
}

/// Reads NumPy `.npy` arrays (format versions 1–3, little-endian f2/f4/f8, C order).
package enum NPYFile {
    package static func read(path: String) throws(InputError) -> Tensor {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(.noInput, source: path, "no such file") }
        return try parse(data, source: path)
    }

    package static func parse(_ data: Data, source: String) throws(InputError) -> Tensor {
        let b = [UInt8](data)
        guard b.count >= 10, b[0] == 0x93, Array(b[1...5]) == Array("NUMPY".utf8) else {
            throw InputError(.data, source: source, location: "byte 0", "not a .npy file (missing the \\x93NUMPY magic)")
        }
        let major = b[6]
        let (hlen, start): (Int, Int)
        switch major {
        case 1: (hlen, start) = (Int(b[8]) | Int(b[9]) << 8, 10)
        case 2, 3:
            guard b.count >= 12 else { throw InputError(.data, source: source, location: "byte 8", "truncated header") }
            (hlen, start) = (Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24, 12)
        default: throw InputError(.data, source: source, location: "byte 6", "unsupported .npy format version \(major)")
        }
        guard start + hlen <= b.count else { throw InputError(.data, source: source, location: "byte \(start)", "header of \(hlen) bytes is truncated") }
        let header = String(decoding: b[start..<(start + hlen)], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrRaw = field("descr"), let q1 = descrRaw.firstIndex(of: "'"),
            let q2 = descrRaw[descrRaw.index(after: q1)...].firstIndex(of: "'")
        else {
            throw InputError(.data, source: source, location: "header", "no 'descr' in the header")
        }
        let descr = String(descrRaw[descrRaw.index(after: q1)..<q2])
        let sizes = ["<f4": 4, "<f2": 2, "<f8": 8, "|f1": 1]
        guard let size = sizes[descr], descr != "|f1" else {
            throw InputError(.data, source: source, location: "header.descr", "dtype \(descr) is not supported (expected <f2, <f4 or <f8)")
        }
        if let fo = field("fortran_order"), fo.hasPrefix("True") {
            throw InputError(.data, source: source, location: "header.fortran_order", "Fortran-ordered arrays are not supported")
        }
        guard let shapeRaw = field("shape"), let open = shapeRaw.firstIndex(of: "("),
            let close = shapeRaw[open...].firstIndex(of: ")")
        else {
            throw InputError(.data, source: source, location: "header", "no 'shape' in the header")
        }
        let dims = shapeRaw[shapeRaw.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = dims.compactMap { Int($0) }
        guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw InputError(.data, source: source, location: "header.shape", "malformed shape")
        }
        var count = 1, overflow = false
        for d in shape {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            count = p
            overflow = overflow || o
        }
        let body = start + hlen
        guard !overflow, count <= (b.count - body) / size, b.count - body == count * size else {
            throw InputError(
                .data, source: source, location: "byte \(body)", "\(b.count - body) data bytes do not hold shape \(shape) of \(descr) (truncated?)")
        }
        let dtype = ["<f4": "F32", "<f2": "F16", "<f8": "F64"][descr]!
        return Tensor(shape: shape, values: TensorDecoding.decode(Array(b[body...]), dtype: dtype, elementSize: size, littleEndian: true))
    }
}

enum TensorDecoding {
    static func decode(_ b: [UInt8], dtype: String, elementSize: Int, littleEndian: Bool) -> [Float] {
        let n = b.count / elementSize
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var bits: UInt64 = 0
            for k in 0..<elementSize { bits |= UInt64(b[i * elementSize + k]) << (8 * UInt64(k)) }
            switch dtype {
            case "F32": out[i] = Float(bitPattern: UInt32(bits))
            case "F64": out[i] = Float(Double(bitPattern: bits))
            case "BF16": out[i] = Float(bitPattern: UInt32(bits) << 16)
            case "F16": out[i] = half(UInt16(bits))
            default: preconditionFailure("decode of \(dtype) requested")
            }
        }
        return out
    }

    /// IEEE 754 binary16 to Float, subnormals, infinities and NaN included.
    static func half(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exp = Int((h >> 10) & 0x1F), frac = Float(h & 0x3FF)
        if exp == 0 { return sign * frac * powf(2, -24) }
        if exp == 31 { return frac == 0 ? sign * .infinity : .nan }
        return sign * (1 + frac / 1024) * powf(2, Float(exp - 15))
    }
}
