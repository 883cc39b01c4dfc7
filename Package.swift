// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nmsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nmsim", targets: ["nmsim"]),
        .library(name: "NMSimModel", targets: ["NMSimModel"]),
        .library(name: "NMSimSearch", targets: ["NMSimSearch"]),
    ],
    targets: [
        .target(name: "NMSimKernel"),
        .target(name: "NMSimModel", dependencies: ["NMSimKernel"]),
        .target(name: "NMSimSearch", dependencies: ["NMSimModel"]),
        .target(name: "NMSimReport", dependencies: ["NMSimModel", "NMSimSearch"]),
        .target(name: "NMSimCLI", dependencies: ["NMSimModel", "NMSimSearch", "NMSimReport"]),
        .executableTarget(name: "nmsim", dependencies: ["NMSimCLI"]),
        .target(name: "NMSimTestSupport", dependencies: ["NMSimModel"], path: "Tests/NMSimTestSupport"),
        .testTarget(name: "NMSimKernelTests", dependencies: ["NMSimKernel"]),
        .testTarget(name: "NMSimModelTests", dependencies: ["NMSimModel", "NMSimReport", "NMSimTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NMSimSearchTests", dependencies: ["NMSimSearch", "NMSimModel"]),
        .testTarget(name: "NMSimCLITests", dependencies: ["NMSimCLI", "nmsim", "NMSimTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
