// swift-tools-version:5.9
// Kopo Kopo quickstart for Swift (macOS/Linux command line).
//
//   cargo build -p kopokopo-uniffi
//   cargo run -p kopokopo-mock --bin k2 -- mock --port 0      # prints the base URL
//   cd bindings-uniffi/examples/swift && K2_BASE_URL=http://127.0.0.1:PORT swift run
import PackageDescription

let package = Package(
    name: "Quickstart",
    platforms: [.macOS(.v10_15)],
    dependencies: [.package(path: "../../bindings-uniffi/swift")],
    targets: [
        .executableTarget(
            name: "Quickstart",
            dependencies: [.product(name: "KopoKopo", package: "KopoKopo")],
            path: "Sources/Quickstart"
        ),
    ]
)
