#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMicroHTTPD
import TimelineSnapshot

/// The whole life of the `timeline-server` process, from arguments to exit status: signals,
/// systemd's notify protocol and watchdog, socket activation, reloads, logging.
public enum ServerProgram {
    /// Exit statuses: 0 stopped cleanly, 1 could not listen, 2 snapshot unusable, 64 usage.
    public static func main(_ arguments: [String]) -> Int32 {
        // Before any thread exists, so that every thread inherits the mask.
        Signals.block()
        let log = Log()
        var arguments_: ServerArguments
        switch ServerArguments.parse(arguments) {
        case .help:
            Output.write(1, ServerArguments.help + "\n")
            return 0
        case .version:
            Output.write(1, "timeline-server \(Release.version) (libmicrohttpd \(HTTPServer.libraryVersion), "
                + "SQLite \(Release.sqliteVersion), snapshot schema \(SnapshotSchema.version))\n")
            return 0
        case .update(let options):
            return SnapshotUpdate.run(options, log: log)
        case .usage(let message):
            Output.write(2, "timeline-server: \(message)\nUsage: timeline-server --snapshot FILE [options]; see --help\n")
            return 64
        case .serve(let parsed):
            arguments_ = parsed
        }
        let notifier = SystemdNotifier()
        func notify(_ message: String) {
            do { try notifier.send(message) } catch { log.warning("systemd notify: \(error)") }
        }

        // Start-up checks the structure only (milliseconds at any size); --check and
        // reloads read every page as well.
        let site: Site
        do {
            site = try Site(path: arguments_.snapshot, options: arguments_.site,
                            verification: arguments_.check ? .full : .structure)
        } catch {
            log.error("timeline-server: \(error)")
            return 2
        }
        if arguments_.quickCheck && !arguments_.check {
            Output.write(1, "\(arguments_.snapshot): ok (structure), \(site.summary)\n")
            return 0
        }
        if arguments_.check {
            // Every byte that could be sent, against its digest: the first bad one is named.
            do { try site.verifyEverything() } catch {
                log.error("timeline-server: \(error)")
                return 2
            }
            Output.write(1, "\(arguments_.snapshot): ok, \(site.summary)\n")
            return 0
        }

        switch SocketActivation.fromEnvironment() {
        case .none: break
        case .socket(let fd): arguments_.server.listenSocket = fd
        case .ignored(let why): log.warning("timeline-server: \(why)")
        case .refused(let why):
            log.error("timeline-server: \(why)")
            return 1
        }
        let responder = Responder(site: site, options: arguments_.responder, log: log)
        let watchdog = Watchdog()
        var configuration = arguments_.server
        if let watchdog {
            // The heartbeat must move several times between two pings.
            let quarter = min(Double(configuration.heartbeatMilliseconds), max(1, watchdog.interval * 250))
            configuration.heartbeatMilliseconds = Int32(quarter)
        }
        let server: HTTPServer
        do {
            server = try HTTPServer(responder: responder, configuration: configuration, log: log)
        } catch {
            log.error("timeline-server: \(error)")
            return 1
        }
        // One write(2): tests and scripts read this line to learn the port.
        let host = server.host.contains(":") ? "[\(server.host)]" : server.host
        Output.write(1, "listening on http://\(host):\(server.port)\n")
        log.info("serving \(site.path): \(site.summary)")
        notify("READY=1\nSTATUS=Serving \(site.summary)")

        var lastBeat = server.heartbeat
        var nextPing = watchdog.map { now() + $0.interval }
        while true {
            switch Signals.wait(seconds: nextPing.map { $0 - now() }) {
            case .stop(let name):
                notify("STOPPING=1")
                log.info("\(name): stopping; \(server.requestsInFlight) requests in flight")
                server.stop()
                log.info("stopped")
                return 0
            case .reload:
                notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())")
                let status = reload(responder, arguments_, log)
                notify("READY=1\nSTATUS=\(status)")
            case .timeout:
                break
            }
            // Ping only when the serving thread has turned its loop since the last ping.
            if let watchdog, let due = nextPing, now() >= due {
                let beat = server.heartbeat
                if beat != lastBeat { notify("WATCHDOG=1") }
                lastBeat = beat
                nextPing = due + watchdog.interval
                if nextPing! < now() { nextPing = now() + watchdog.interval }
            }
        }
    }

    /// Loads the snapshot at the configured path again and swaps it in; a file that cannot
    /// be served is refused with one log line and the current site keeps serving.
    /// Returns the systemd STATUS line.
    static func reload(_ responder: Responder, _ arguments: ServerArguments, _ log: Log) -> String {
        // Strings only: holding the current Site here would keep it alive past the trim.
        let (currentHash, currentSummary) = { let s = responder.site; return (s.contentHash, s.summary) }()
        let status: String
        do {
            let site = try Site(path: arguments.snapshot, options: arguments.site, verification: .full)
            responder.swap(to: site)
            log.info("reloaded \(site.path): \(site.summary) (was \(currentHash))")
            status = "Serving \(site.summary)"
        } catch {
            log.error("reload refused: \(error); still serving \(currentHash)")
            return "Reload refused (\(error)); serving \(currentSummary)"
        }
        // The old site is gone once its last response is sent; hand back what it freed.
        releaseFreeMemory()
        return status
    }

    /// Returns freed heap memory to the system (`malloc_trim`).
    static func releaseFreeMemory() {
        #if canImport(Glibc)
        cmhd_release_free_memory()
        #endif
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
