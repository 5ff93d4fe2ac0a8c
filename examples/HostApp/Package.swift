// swift-tools-version:6.1
import PackageDescription

// An app that embeds Wasmoon the way any outside package would: through the `Wasmoon`
// product only (here by path; elsewhere by URL). Built and run by the test suite
// (HostAppTests), so the public API it uses stays enough to write it.
let package = Package(
    name: "HostApp",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Wasmoon", path: "../..")],
    targets: [
        .executableTarget(name: "HostApp", dependencies: [.product(name: "Wasmoon", package: "Wasmoon")])
    ]
)
