#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole life of the `timeline-server` process, from arguments to exit status.
public enum ServerProgram {
    /// Exit statuses: 0 stopped cleanly, 1 could not listen, 2 snapshot unusable, 64 usage.
    public static func main(_ arguments: [String]) -> Int32 {
        let log = Log()
        let parsed: ServerArguments
        switch ServerArguments.parse(arguments) {
        case .help:
            write(1, ServerArguments.help + "\n")
            return 0
        case .usage(let message):
            write(2, "timeline-server: \(message)\nUsage: timeline-server --snapshot FILE [options]; see --help\n")
            return 64
        case .serve(let arguments):
            parsed = arguments
        }

        var options = ResponderOptions()
        options.cacheBytes = parsed.cacheMB << 20
        options.maxTargetBytes = parsed.maxURIBytes
        let responder: Responder
        do {
            responder = try Responder(snapshot: parsed.snapshot, options: options, log: log)
        } catch {
            log.error("timeline-server: \(error)")
            return 2
        }
        if parsed.check {
            write(1, "\(parsed.snapshot): ok, exhibit \(responder.exhibitID), \(responder.eventCount) events, "
                  + "\(responder.resourceCount) resources, content hash \(responder.contentHash)\n")
            return 0
        }

        var configuration: ServerConfiguration
        do {
            configuration = ServerConfiguration(listen: try ListenAddress(parsed.listen))
        } catch {
            log.error("timeline-server: \(error)")
            return 64
        }
        configuration.listenSocket = ProcessLifecycle.inheritedSocket()
        configuration.threads = parsed.threads
        configuration.connectionLimit = parsed.connectionLimit
        configuration.perIPLimit = parsed.perIPLimit
        configuration.timeoutSeconds = parsed.timeout
        configuration.connectionMemory = parsed.connectionMemory
        configuration.accessLog = parsed.accessLog

        // Loading went through SQLite's page cache and temporary arrays: hand that back.
        ProcessLifecycle.releaseFreeMemory()
        ProcessLifecycle.blockStopSignals()
        let server: HTTPServer
        do {
            server = try HTTPServer(responder: responder, configuration: configuration, log: log)
        } catch {
            log.error("timeline-server: \(error)")
            return 1
        }
        // One write(2): tests and scripts read this line to learn the port.
        let host = configuration.listen.isIPv6 ? "[\(server.host)]" : server.host
        write(1, "listening on http://\(host):\(server.port)\n")
        log.info("serving \(responder.exhibitID): \(responder.eventCount) events, \(responder.resourceCount) resources, "
                 + "\(responder.cachedBytes >> 10) KiB in memory, \(responder.onDemandCount) read per request")
        let signal = ProcessLifecycle.waitForStopSignal()
        log.info("\(signal): stopping; \(server.requestsInFlight) requests in flight")
        server.stop()
        log.info("stopped")
        return 0
    }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }
}
