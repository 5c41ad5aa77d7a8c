import ArgumentParser
import TimelineServer
#if canImport(Glibc)
import Glibc
#endif

/// `timeline-server`: argument parsing and process wiring; the work is in TimelineServer.
@main
struct TimelineServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline-server",
        abstract: "Serve a Kiosk Timeline snapshot over HTTP, read-only.",
        discussion: """
        Prints 'listening on http://HOST:PORT' once ready. SIGTERM or SIGINT stops accepting, \
        lets requests in flight finish, and exits 0. A snapshot that cannot be served exits 2.
        """)

    @Option(help: "The snapshot file written by timeline-build.")
    var snapshot: String

    @Option(help: "Address to listen on; port 0 picks a free port. Ignored when systemd passes a socket.")
    var listen = "127.0.0.1:8080"

    @Flag(help: "Open and verify the snapshot, print its id and counts, and exit.")
    var check = false

    @Option(help: "Threads answering requests.")
    var threads = 1

    @Option(help: "Most open connections.")
    var connectionLimit = 128

    @Option(name: .customLong("per-ip-limit"), help: "Most open connections from one address.")
    var perIPLimit = 64

    @Option(help: "Seconds before an idle connection is closed.")
    var timeout = 30

    @Option(help: "Bytes of memory per connection (holds the request head).")
    var connectionMemory = 65_536

    @Option(help: "Longest request target in bytes; longer gets 414.")
    var maxUriBytes = 16_384

    @Option(help: "Megabytes of response bodies kept in memory; the rest is read from the snapshot per request.")
    var cacheMb = 64

    @Flag(help: "Log one line per request.")
    var accessLog = false

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 to 64") }
        guard connectionLimit > 0, perIPLimit > 0, timeout > 0, cacheMb >= 0 else {
            throw ValidationError("limits must be positive")
        }
        guard connectionMemory >= 4096 else { throw ValidationError("--connection-memory must be at least 4096") }
    }

    func run() throws {
        let log = Log()
        var options = ResponderOptions()
        options.cacheBytes = cacheMb << 20
        options.maxTargetBytes = maxUriBytes
        let responder: Responder
        do {
            responder = try Responder(snapshot: snapshot, options: options, log: log)
        } catch {
            log.error("timeline-server: \(error)")
            throw ExitCode(2)
        }
        if check {
            print("\(snapshot): ok, exhibit \(responder.exhibitID), \(responder.eventCount) events, "
                  + "\(responder.resourceCount) resources, content hash \(responder.contentHash)")
            return
        }
        var configuration: ServerConfiguration
        do {
            configuration = ServerConfiguration(listen: try ListenAddress(listen))
        } catch {
            log.error("timeline-server: \(error)")
            throw ExitCode(64)
        }
        configuration.listenSocket = ProcessLifecycle.inheritedSocket()
        configuration.threads = threads
        configuration.connectionLimit = connectionLimit
        configuration.perIPLimit = perIPLimit
        configuration.timeoutSeconds = timeout
        configuration.connectionMemory = connectionMemory
        configuration.accessLog = accessLog

        ProcessLifecycle.blockStopSignals()
        let server: HTTPServer
        do {
            server = try HTTPServer(responder: responder, configuration: configuration, log: log)
        } catch {
            log.error("timeline-server: \(error)")
            throw ExitCode(1)
        }
        let address = configuration.listen.isIPv6 ? "[\(server.host)]" : server.host
        // Written with one write(2): tests and scripts read this line to learn the port.
        let ready = Array("listening on http://\(address):\(server.port)\n".utf8)
        _ = ready.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        log.info("serving \(responder.exhibitID) (\(responder.eventCount) events, \(responder.resourceCount) resources, "
                 + "\(responder.cachedBytes >> 10) KiB in memory, \(responder.onDemandCount) read per request)")
        let signal = ProcessLifecycle.waitForStopSignal()
        log.info("\(signal): stopping; \(server.requestsInFlight) requests in flight")
        server.stop()
        log.info("stopped")
    }
}
