/// The command line of `timeline-server`.
///
/// Every default lives in the configuration type it belongs to (`ServerConfiguration`,
/// `SiteOptions`, `ResponderOptions`); `--help` prints those values. Parsed here rather than
/// with swift-argument-parser: that package brings FoundationEssentials along, which
/// measured 4.4 MB more resident memory on a statically linked binary (9.3 MB against
/// 4.9 MB for an empty command), and memory is the kiosk's scarcest resource.
public struct ServerArguments: Sendable, Equatable {
    public var snapshot = ""
    public var check = false
    /// `--quick-check`: the start-up verification alone (structure, milliseconds at any size).
    public var quickCheck = false
    public var server = ServerConfiguration(listen: try! ListenAddress(ServerConfiguration.defaultListen))
    public var site = SiteOptions()
    public var responder = ResponderOptions()

    public init() {}

    /// What to do instead of serving.
    public enum Outcome: Equatable, Sendable {
        case serve(ServerArguments)
        case help
        case version
        case update(SnapshotUpdate.Options)
        /// A usage mistake: the message, then exit 64 (EX_USAGE).
        case usage(String)
    }

    public static var help: String {
        let server = ServerArguments().server, site = SiteOptions(), responder = ResponderOptions()
        let update = SnapshotUpdate.Options()
        return """
        USAGE: timeline-server --snapshot FILE [options]

        Serve a Kiosk Timeline snapshot over HTTP, read-only. Prints 'listening on
        http://HOST:PORT' once ready. SIGHUP reloads the snapshot from FILE (a bad file is
        refused and the current one keeps serving). SIGTERM or SIGINT stops accepting, lets
        requests in flight finish, and exits 0. Under systemd it speaks the notify protocol
        (NOTIFY_SOCKET, WATCHDOG_USEC) and serves a socket passed with LISTEN_FDS.
        Exit status: 0 stopped, 1 cannot listen, 2 snapshot unusable, 64 usage mistake.

        OPTIONS:
          --snapshot FILE          The snapshot file written by timeline-build (required).
          --listen HOST:PORT       Address to listen on (default \(ServerConfiguration.defaultListen)); port 0
                                   picks a free port. Not used when systemd passes a socket.
          --check                  Verify the snapshot fully, print its id and counts, exit.
          --quick-check            Verify only what start-up verifies (milliseconds at any
                                   size; systemd's ExecStartPre), print the same, exit.
          --connection-limit N     Most open connections (default \(server.connectionLimit)).
          --per-ip-limit N         Most open connections from one address (default \(server.perIPLimit)).
          --timeout SECONDS        Idle connection timeout (default \(server.timeoutSeconds)).
          --request-timeout SECONDS
                                   Longest a request may take to arrive whole; slower
                                   clients are cut off (default \(server.requestSeconds)).
          --loopback-reserve N     Connections kept for 127.0.0.1/::1, the kiosk's own
                                   browser (default \(server.loopbackReserve)).
          --connection-memory N    Bytes of memory per connection, holding the request head
                                   (default \(server.connectionMemory)).
          --max-uri-bytes N        Longest request target; longer gets 414 (default \(responder.maxTargetBytes)).
          --cache-mb N             Megabytes of responses kept in memory; the rest is read from
                                   the snapshot when asked for (default \(site.cacheBytes >> 20)).
          --access-log             Log one line per request.
          --version                Print the version and the libraries' versions, exit.
          -h, --help               Show this help.

        USAGE: timeline-server update FILE [--target PATH] [--service UNIT | --no-reload]
               timeline-server update --from-folder FOLDER [--target PATH] [--service UNIT]

        Put a new snapshot in place: copy it beside the target, verify the copy completely,
        rename it over the target (default \(update.target)) and reload the service
        (default \(update.service), if it runs). A bad file is refused with one line and
        nothing changes (exit 2). --from-folder takes every finished *.db in FOLDER, oldest
        first, removing each installed one and moving each refused one to FOLDER/rejected/.
        """
    }

    /// Options that take a whole number: the range allowed and where the value goes.
    static let numbers: [String: (ClosedRange<Int>, @Sendable (inout ServerArguments, Int) -> Void)] = [
        "--connection-limit": (1...100_000, { $0.server.connectionLimit = $1 }),
        "--per-ip-limit": (1...100_000, { $0.server.perIPLimit = $1 }),
        "--timeout": (1...86_400, { $0.server.timeoutSeconds = $1 }),
        "--request-timeout": (1...3_600, { $0.server.requestSeconds = $1 }),
        "--loopback-reserve": (0...100_000, { $0.server.loopbackReserve = $1 }),
        "--connection-memory": (4_096...(16 << 20), { $0.server.connectionMemory = $1 }),
        "--max-uri-bytes": (64...(1 << 20), { $0.responder.maxTargetBytes = $1 }),
        "--cache-mb": (0...65_536, { $0.site.cacheBytes = $1 << 20 }),
    ]

    public static func parse(_ arguments: [String]) -> Outcome {
        if arguments.first == "update" { return parseUpdate(Array(arguments.dropFirst())) }
        var result = ServerArguments()
        var seenSnapshot = false
        var index = 0
        while index < arguments.count {
            var name = arguments[index]
            var inlineValue: String?
            if name.hasPrefix("--"), let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            index += 1
            func value() -> String? {
                if let inlineValue { return inlineValue }
                guard index < arguments.count else { return nil }
                defer { index += 1 }
                return arguments[index]
            }
            if ["--check", "--quick-check", "--access-log", "--help", "--version"].contains(name), inlineValue != nil {
                return .usage("\(name) takes no value")
            }
            switch name {
            case "-h", "--help": return .help
            case "--version": return .version
            case "--check": result.check = true
            case "--quick-check": result.quickCheck = true
            case "--access-log": result.server.accessLog = true
            case "--snapshot":
                guard let path = value(), !path.isEmpty else { return .usage("--snapshot needs a file") }
                result.snapshot = path
                seenSnapshot = true
            case "--listen":
                guard let text = value() else { return .usage("--listen needs HOST:PORT") }
                do { result.server.listen = try ListenAddress(text) } catch { return .usage(error.description) }
            case _ where Self.numbers[name] != nil:
                let (range, set) = Self.numbers[name]!
                guard let n = value().flatMap({ Int($0) }), range.contains(n) else {
                    return .usage("\(name) needs a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                set(&result, n)
            default:
                return .usage("unknown option '\(name)'")
            }
        }
        guard seenSnapshot else { return .usage("missing --snapshot FILE") }
        return .serve(result)
    }

    static func parseUpdate(_ arguments: [String]) -> Outcome {
        var options = SnapshotUpdate.Options()
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count && !arguments[index].isEmpty ? arguments[index] : nil
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--from-folder":
                guard let folder = value() else { return .usage("--from-folder needs a folder") }
                options.source = folder
                options.fromFolder = true
            case "--target":
                guard let target = value(), target.hasSuffix(".db") else { return .usage("--target needs a .db file path") }
                options.target = target
            case "--service":
                guard let unit = value() else { return .usage("--service needs a unit name") }
                options.service = unit
            case "--no-reload": options.service = ""
            case "-h", "--help": return .help
            default:
                guard !argument.hasPrefix("-"), options.source.isEmpty else { return .usage("update: unexpected '\(argument)'") }
                options.source = argument
            }
            index += 1
        }
        guard !options.source.isEmpty else { return .usage("update needs a snapshot FILE or --from-folder FOLDER") }
        return .update(options)
    }
}
