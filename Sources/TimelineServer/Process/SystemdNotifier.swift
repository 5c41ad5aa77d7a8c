#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TimelineSnapshot

/// systemd's notification protocol (`sd_notify(3)`): one datagram per message to the
/// socket named in `NOTIFY_SOCKET`, a path or, with a leading `@`, an abstract name.
///
/// Written here rather than linked from libsystemd: the protocol is one `sendto(2)`, and
/// linking libsystemd measured 1.1 MiB more resident memory (2.4 against 1.3 MiB for a
/// minimal C program that sends READY=1; README, "Under systemd").
public struct SystemdNotifier: Sendable {
    /// The socket's address as `sendto` wants it; nil when not run by systemd.
    private let address: [UInt8]?

    /// Reads `NOTIFY_SOCKET`; an unusable value is ignored (the service then is not notified).
    public init(environment value: String? = getenv("NOTIFY_SOCKET").map { String(cString: $0) }) {
        guard let value, !value.isEmpty, value.utf8.count < 108,
              value.hasPrefix("/") || value.hasPrefix("@") else { address = nil; return }
        var path = Array(value.utf8)
        if path[0] == UInt8(ascii: "@") { path[0] = 0 }  // abstract namespace
        address = path
    }

    public var isActive: Bool { address != nil }

    /// Sends `message` (lines `KEY=value`); retries on EINTR. Without systemd, does nothing.
    public func send(_ message: String) throws(SystemError) {
        guard let address else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket for NOTIFY_SOCKET") }
        defer { close(fd) }
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { path in
            for (index, byte) in address.enumerated() { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + address.count + (address[0] == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        // No MSG_NOSIGNAL: a datagram sent to an unconnected Unix socket cannot raise SIGPIPE
        // (a listener that is gone gives ECONNREFUSED).
        while true {
            let sent = withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, socketAddress, length) }
                }
            }
            if sent >= 0 { return }
            if errno == EINTR { continue }
            throw SystemError("sendto NOTIFY_SOCKET")
        }
    }

    /// `MONOTONIC_USEC=` for RELOADING=1: now on `CLOCK_MONOTONIC`, in microseconds.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}

/// systemd's watchdog (`WATCHDOG_USEC`, `WATCHDOG_PID`): how often to say `WATCHDOG=1`.
public struct Watchdog: Sendable, Equatable {
    /// Half of `WATCHDOG_USEC`, as `sd_watchdog_enabled(3)` advises.
    public let interval: Double

    /// Nil when systemd asked for no watchdog, or asked it of another process.
    public init?(usec: String? = getenv("WATCHDOG_USEC").map { String(cString: $0) },
                 pid: String? = getenv("WATCHDOG_PID").map { String(cString: $0) },
                 ownPID: Int32 = getpid()) {
        guard let usec, let micro = UInt64(usec), micro > 0 else { return nil }
        if let pid, Int32(pid) != ownPID { return nil }
        interval = Double(micro) / 2e6
    }
}
