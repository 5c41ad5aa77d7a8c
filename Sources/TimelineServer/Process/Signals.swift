#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's signals, handled in one place: SIGTERM and SIGINT stop, SIGHUP reloads.
///
/// `block()` runs first in `main`, before any thread exists, so every thread inherits the
/// mask and only the main thread's `wait` ever sees these signals: no handler runs in the
/// middle of a request, and a SIGHUP can never kill the process.
public enum Signals {
    public enum Received: Equatable, Sendable {
        case stop(String)
        case reload
        case timeout
    }

    /// Blocks TERM, INT and HUP in this thread and those started after; ignores SIGPIPE
    /// (a client that hangs up must not end the process).
    public static func block() {
        var set = handled()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits for a signal, or `seconds` (nil: forever) (`sigtimedwait`). EINTR is retried.
    public static func wait(seconds: Double?) -> Received {
        var set = handled()
        while true {
            let number: Int32
            if let seconds {
                let clamped = max(0, seconds)
                var timeout = timespec(tv_sec: Int(clamped), tv_nsec: Int((clamped - clamped.rounded(.down)) * 1e9))
                number = sigtimedwait(&set, nil, &timeout)
            } else {
                number = sigwaitinfo(&set, nil)
            }
            switch number {
            case SIGTERM: return .stop("SIGTERM")
            case SIGINT: return .stop("SIGINT")
            case SIGHUP: return .reload
            case -1 where errno == EAGAIN: return .timeout
            default: continue
            }
        }
    }

    private static func handled() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, signal) }
        return set
    }
}
