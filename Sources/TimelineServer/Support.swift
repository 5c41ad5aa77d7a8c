#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A heap buffer that lives as long as this object: bodies handed to libmicrohttpd as
/// persistent memory (`MHD_RESPMEM_PERSISTENT`).
///
/// `@unchecked Sendable`: written once in `init`, only read afterwards.
final class Buffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    /// A copy of `source` (e.g. an SQLite blob, read without an intermediate array).
    convenience init(_ source: UnsafeRawBufferPointer) {
        self.init(count: source.count) { if source.count > 0 { $0.copyMemory(from: source) } }
    }

    convenience init(_ source: [UInt8]) {
        self.init(count: source.count) { destination in
            source.withUnsafeBytes { if $0.count > 0 { destination.copyMemory(from: $0) } }
        }
    }

    private init(count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        fill(bytes)
        self.bytes = bytes
        self.count = count
    }

    let count: Int

    var base: UnsafeMutableRawPointer { bytes.baseAddress! }

    deinit { bytes.deallocate() }
}

/// A pthread mutex. `@unchecked Sendable`: the mutex is what makes sharing safe.
final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A pthread mutex with a condition variable. `@unchecked Sendable`: the mutex guards all.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` under the mutex; `body` may call its argument to wait for a signal.
    func withLock<T>(_ body: (() -> Void) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body { pthread_cond_wait(self.condition, self.mutex) }
    }

    func signal() { pthread_cond_signal(condition) }
}

/// Escaping for the few places the server writes visitor text.
enum Escape {
    /// For HTML text and attribute values.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// For a log line: control characters (ESC, BEL, …) and backslashes as `\xNN`, so a
    /// request cannot colour, ring or forge the log.
    static func log(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\\" {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A JSON string literal, quotes included.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
