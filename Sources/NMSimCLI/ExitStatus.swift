import NMSimModel

/// The command line's exit statuses (sysexits), the one place an error kind becomes a number.
extension InputError.Kind {
    var exitStatus: Int32 {
        switch self {
        case .usage: 64
        case .data: 65
        case .noInput: 66
        case .software: 70
        case .cannotCreate: 73
        }
    }
}
