#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMicroHTTPD

/// Signals and systemd's socket hand-over, for the server's main thread.
public enum ProcessLifecycle {
    /// Blocks SIGTERM and SIGINT in this thread and every thread started after, so that
    /// `waitForStopSignal()` receives them instead of the default handlers.
    public static func blockStopSignals() {
        var set = stopSignals()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        // A client that hangs up must not end the process.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits for SIGTERM or SIGINT; returns its name.
    public static func waitForStopSignal() -> String {
        var set = stopSignals()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received == SIGTERM ? "SIGTERM" : "SIGINT"
    }

    private static func stopSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }

    /// Returns freed heap memory to the system (`malloc_trim`), after start-up's peak.
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
        cmhd_release_free_memory()
        #endif
    }

    /// The first socket systemd passed (fd 3), when `LISTEN_PID` names this process.
    public static func inheritedSocket() -> Int32? {
        guard let pid = getenv("LISTEN_PID").flatMap({ Int32(String(cString: $0)) }), pid == getpid(),
              let count = getenv("LISTEN_FDS").flatMap({ Int(String(cString: $0)) }), count >= 1
        else { return nil }
        return 3
    }
}
