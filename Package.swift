// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "KioskTimeline",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "timeline-build", targets: ["timeline-build"]),
        .executable(name: "timeline-server", targets: ["timeline-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // MARK: C libraries (Debian -dev packages, see `make deps`)
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        // Builder only: image derivatives. The kiosk's server never links it.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),

        // MARK: Libraries
        /// Snapshot schema and the SQLite wrapper shared by builder and server. No Foundation.
        .target(name: "TimelineSnapshot", dependencies: ["CSQLite"]),
        /// Exhibit model, parsing, validation, rendering and snapshot writing.
        .target(name: "TimelineBuilder", dependencies: [
            "TimelineSnapshot", "CCmark", "CZlib", "CCrypto", "CVips",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),

        /// The kiosk's HTTP service: frozen response table, routing, search, process handling.
        /// Standard library, libmicrohttpd and SQLite only: no Foundation on the kiosk.
        .target(name: "TimelineServer", dependencies: ["TimelineSnapshot", "CMicroHTTPD", "CSQLite"]),

        // MARK: Executables (argument parsing only)
        .executableTarget(name: "timeline-build", dependencies: [
            "TimelineBuilder",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // No swift-argument-parser here: it costs the kiosk 4.4 MB of memory (ServerArguments.swift).
        .executableTarget(name: "timeline-server", dependencies: ["TimelineServer"]),

        /// libFuzzer harness for the request path and the exhibit loader (`make fuzz`); built
        /// normally it replays the kept corpus.
        .executableTarget(name: "timeline-fuzz", dependencies: ["TimelineServer", "TimelineBuilder"]),

        // MARK: Tests
        .testTarget(name: "TimelineSnapshotTests", dependencies: ["TimelineSnapshot"]),
        .testTarget(name: "TimelineBuilderTests", dependencies: ["TimelineBuilder", "TimelineSnapshot"]),
        .testTarget(name: "TimelineServerTests", dependencies: ["TimelineServer", "TimelineSnapshot", "TimelineBuilder"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TimelineSnapshot"]),
    ],
    swiftLanguageModes: [.v6]
)
