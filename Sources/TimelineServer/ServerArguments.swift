/// The command line of `timeline-server`.
///
/// Parsed here rather than with swift-argument-parser: that package brings
/// FoundationEssentials along, which measured 4.4 MB more resident memory on a statically
/// linked binary (9.3 MB against 4.9 MB for an empty command), and memory is the kiosk's
/// scarcest resource. The parser is small, strict and tested.
public struct ServerArguments: Sendable, Equatable {
    public var snapshot = ""
    public var listen = "127.0.0.1:8080"
    public var check = false
    public var threads = 1
    public var connectionLimit = 128
    public var perIPLimit = 64
    public var timeout = 30
    public var connectionMemory = 16_384
    public var maxURIBytes = 8_192
    public var cacheMB = 64
    public var accessLog = false

    public init() {}

    /// What to do instead of serving.
    public enum Outcome: Equatable, Sendable {
        case serve(ServerArguments)
        case help
        /// A usage mistake: the message, then exit 64 (EX_USAGE).
        case usage(String)
    }

    public static let help = """
    USAGE: timeline-server --snapshot FILE [options]

    Serve a Kiosk Timeline snapshot over HTTP, read-only. Prints 'listening on
    http://HOST:PORT' once ready. SIGTERM or SIGINT stops accepting, lets requests in
    flight finish, and exits 0. A snapshot that cannot be served exits 2.

    OPTIONS:
      --snapshot FILE          The snapshot file written by timeline-build (required).
      --listen HOST:PORT       Address to listen on (default 127.0.0.1:8080); port 0 picks a
                               free port. Ignored when systemd passes a socket (LISTEN_FDS).
      --check                  Open and verify the snapshot, print its id and counts, exit.
      --threads N              Threads answering requests (default 1).
      --connection-limit N     Most open connections (default 128).
      --per-ip-limit N         Most open connections from one address (default 64).
      --timeout SECONDS        Idle connection timeout (default 30).
      --connection-memory N    Bytes of memory per connection, holding the request head
                               (default 16384).
      --max-uri-bytes N        Longest request target; longer gets 414 (default 8192).
      --cache-mb N             Megabytes of bodies kept in memory; the rest is read from the
                               snapshot per request (default 64).
      --access-log             Log one line per request.
      -h, --help               Show this help.
    """

    /// Options that take a whole number, with the field they set and the range allowed.
    static let numbers: [String: (any WritableKeyPath<ServerArguments, Int> & Sendable, ClosedRange<Int>)] = [
        "--threads": (\.threads, 1...64),
        "--connection-limit": (\.connectionLimit, 1...100_000),
        "--per-ip-limit": (\.perIPLimit, 1...100_000),
        "--timeout": (\.timeout, 1...86_400),
        "--connection-memory": (\.connectionMemory, 4_096...(16 << 20)),
        "--max-uri-bytes": (\.maxURIBytes, 64...(1 << 20)),
        "--cache-mb": (\.cacheMB, 0...65_536),
    ]

    public static func parse(_ arguments: [String]) -> Outcome {
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
            func number(_ range: ClosedRange<Int>) -> Int? {
                value().flatMap { Int($0) }.flatMap { range.contains($0) ? $0 : nil }
            }
            func bad(_ range: ClosedRange<Int>) -> Outcome {
                .usage("\(name) needs a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            if ["--check", "--access-log", "--help"].contains(name), inlineValue != nil {
                return .usage("\(name) takes no value")
            }
            switch name {
            case "-h", "--help": return .help
            case "--check": result.check = true
            case "--access-log": result.accessLog = true
            case "--snapshot":
                guard let path = value(), !path.isEmpty else { return .usage("--snapshot needs a file") }
                result.snapshot = path
                seenSnapshot = true
            case "--listen":
                guard let address = value() else { return .usage("--listen needs HOST:PORT") }
                result.listen = address
            case _ where Self.numbers[name] != nil:
                let (field, range) = Self.numbers[name]!
                guard let n = number(range) else { return bad(range) }
                result[keyPath: field] = n
            default:
                return .usage("unknown option '\(name)'")
            }
        }
        guard seenSnapshot else { return .usage("missing --snapshot FILE") }
        return .serve(result)
    }
}
