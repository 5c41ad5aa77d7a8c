#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// systemd's socket hand-over (`sd_listen_fds(3)`): `LISTEN_PID`, `LISTEN_FDS`,
/// `LISTEN_FDNAMES`, the sockets from fd 3 on.
public enum SocketActivation: Equatable, Sendable {
    /// Nothing passed: listen on `--listen`.
    case none
    /// The listening socket to serve.
    case socket(Int32)
    /// Variables meant for another process (a parent's, inherited): ignored, with why.
    case ignored(String)
    /// Passed, but not something to serve: refuse to start, with why.
    case refused(String)

    public static let firstDescriptor: Int32 = 3

    /// Reads the variables (then unsets them, so no child inherits them) and checks the socket.
    public static func fromEnvironment() -> SocketActivation {
        func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        let outcome = check(pid: value("LISTEN_PID"), fds: value("LISTEN_FDS"), names: value("LISTEN_FDNAMES"),
                            ownPID: getpid(), isListeningSocket: isListeningStream)
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        if case .socket(let fd) = outcome { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return outcome
    }

    /// The decision, from the variables' values (testable without a process).
    static func check(pid: String?, fds: String?, names: String?, ownPID: Int32,
                      isListeningSocket: (Int32) -> Bool) -> SocketActivation {
        guard pid != nil || fds != nil else { return .none }
        guard let pid, let listenPID = Int32(pid) else {
            return .ignored("LISTEN_FDS without a valid LISTEN_PID; listening on --listen instead")
        }
        guard listenPID == ownPID else {
            return .ignored("LISTEN_PID is \(listenPID), not this process (\(ownPID)); listening on --listen instead")
        }
        guard let fds, let count = Int(fds), count >= 0 else {
            return .refused("LISTEN_FDS is '\(fds ?? "")', not a number of sockets")
        }
        guard count == 1 else {
            return .refused("systemd passed \(count) sockets; timeline-server serves exactly one (check the .socket unit)")
        }
        if let names {
            let list = names.split(separator: ":", omittingEmptySubsequences: false)
            guard list.count == count else {
                return .refused("LISTEN_FDNAMES names \(list.count) sockets but LISTEN_FDS says \(count)")
            }
        }
        guard isListeningSocket(firstDescriptor) else {
            return .refused("fd \(firstDescriptor) from systemd is not a listening stream socket")
        }
        return .socket(firstDescriptor)
    }

    static func isListeningStream(_ fd: Int32) -> Bool {
        var type: Int32 = 0, listening: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) == 0, type == Int32(SOCK_STREAM.rawValue) else { return false }
        size = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening == 1
    }
}
