#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMicroHTTPD

/// The open connections and where each stands, so that none can hold a slot by stalling:
/// libmicrohttpd only knows inactivity, which a client trickling one byte at a time never
/// reaches, and it does not notice a FIN that arrived with the last bytes it read.
///
/// `@unchecked Sendable`: touched only by the serving thread (libmicrohttpd's callbacks and
/// the sweep both run there).
final class ConnectionTable: @unchecked Sendable {
    struct Entry {
        let fd: Int32
        /// When the connection opened or its last request ended.
        var since: Double
        var servedOne = false
        var inRequest = false
    }

    private var entries: [UInt: Entry] = [:]
    let requestSeconds: Double
    let idleSeconds: Double
    private var lastSweep = 0.0

    init(requestSeconds: Double, idleSeconds: Double) {
        self.requestSeconds = requestSeconds
        self.idleSeconds = idleSeconds
    }

    private static func key(_ connection: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection))) }

    func started(_ connection: OpaquePointer, fd: Int32) {
        entries[Self.key(connection)] = Entry(fd: fd, since: Self.now())
    }

    func closed(_ connection: OpaquePointer) { entries[Self.key(connection)] = nil }

    /// The request's head has arrived whole (the access handler's first call).
    func requestBegan(_ connection: OpaquePointer) { entries[Self.key(connection)]?.inRequest = true }

    func requestEnded(_ connection: OpaquePointer) {
        let key = Self.key(connection)
        guard entries[key] != nil else { return }
        entries[key]!.inRequest = false
        entries[key]!.servedOne = true
        entries[key]!.since = Self.now()
    }

    var count: Int { entries.count }

    /// Shuts the socket of every connection that is between requests and either has been
    /// closed by its client or has had longer than allowed to send a request whole;
    /// libmicrohttpd then sees the socket end and frees the slot. At most every 100 ms.
    func sweep() {
        let now = Self.now()
        guard now - lastSweep >= 0.1 else { return }
        lastSweep = now
        for entry in entries.values where !entry.inRequest && entry.fd >= 0 {
            let allowed = (entry.servedOne ? idleSeconds : 0) + requestSeconds
            if now - entry.since > allowed || cmhd_peer_finished(entry.fd) != 0 {
                shutdown(entry.fd, Int32(SHUT_RDWR))
            }
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
