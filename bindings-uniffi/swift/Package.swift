// swift-tools-version:5.9
//
// The Kopo Kopo SDK for Swift: UniFFI bindings over the Rust core.
//
// Sources/KopoKopo/KopoKopo.swift and Sources/KopoKopoFFI/include/* are
// generated (bindings-uniffi/scripts/generate-swift.sh) and committed.
// This manifest links the Rust library built in the Cargo workspace
// (`cargo build -p kopokopo-uniffi`), found in KOPOKOPO_LIB_DIR or
// ../../target/debug. For iOS apps, build an XCFramework instead and swap the
// KopoKopoFFI target for a binaryTarget (see bindings-uniffi/README.md).
import Foundation
import PackageDescription

/// The package version: the workspace's (Cargo.toml), checked by scripts/check-version.py.
/// A release tags the repository `v<version>` and publishes the XCFramework under it.
let kopokopoVersion = "0.1.0"

let packageDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let libDir = ProcessInfo.processInfo.environment["KOPOKOPO_LIB_DIR"] ?? "\(packageDir)/../../target/debug"

let package = Package(
    name: "KopoKopo",
    platforms: [.macOS(.v10_15), .iOS(.v13)],
    products: [
        .library(name: "KopoKopo", targets: ["KopoKopo"]),
    ],
    targets: [
        // The C side: the generated header and module map (module KopoKopoFFI).
        .target(
            name: "KopoKopoFFI",
            path: "Sources/KopoKopoFFI",
            publicHeadersPath: "include",
            linkerSettings: [
                .linkedLibrary("kopokopo_uniffi"),
                .unsafeFlags(["-L", libDir, "-Xlinker", "-rpath", "-Xlinker", libDir]),
            ]
        ),
        // The generated Swift bindings plus KopoKopoSDK (User-Agent helper)
        // and Redaction (secret-free Mirror/debugDescription of the records).
        .target(
            name: "KopoKopo",
            dependencies: ["KopoKopoFFI"],
            path: "Sources/KopoKopo"
        ),
        // The same scenarios as the Kotlin suite, against `k2 mock`.
        .testTarget(
            name: "KopoKopoTests",
            dependencies: ["KopoKopo"],
            path: "Tests/KopoKopoTests"
        ),
    ]
)
