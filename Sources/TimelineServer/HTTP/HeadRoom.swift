#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMicroHTTPD

/// libmicrohttpd builds each response head in the connection's memory pool
/// (`--connection-memory`), where the request's own head still lies. A request whose head
/// leaves too little room there is closed by the library without any answer (with 16 KiB,
/// heads of about 16,080 to 16,280 bytes, in 0.9.75 and 1.0.1 alike). Such a request is
/// answered here instead, straight on the socket, and its connection closed.
enum HeadRoom {
    /// Room kept for the largest response head this server sends (about 450 bytes), twice over.
    static let reply = 1024

    /// For a whole request head, as libmicrohttpd holds it.
    static func isShort(_ connection: OpaquePointer, memory: Int) -> Bool {
        cmhd_head_room_short(connection, memory, reply) != 0
    }

    /// For the raw target alone, before its arguments are parsed (a list entry of 64 bytes each).
    static func targetIsShort(_ target: UnsafeRawBufferPointer, memory: Int) -> Bool {
        let arguments = target.contains(UInt8(ascii: "?")) ? target.reduce(1) { $0 + ($1 == UInt8(ascii: "&") ? 1 : 0) } : 0
        return target.count + 64 * arguments + reply > memory
    }

    /// Writes a whole 414 or 431 to `fd` (non-blocking; a client that cannot take ~200 bytes
    /// gets what fits) and returns the status; the caller has libmicrohttpd close the connection.
    static func answer(fd: Int32, targetTooLong: Bool, memory: Int) -> UInt32 {
        let (status, reason) = targetTooLong ? (UInt32(414), "URI Too Long") : (431, "Request Header Fields Too Large")
        let body = "\(status) \(reason): the request head must leave room for the answer in \(memory) bytes\n"
        let message = Array(("HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
        var sent = 0
        while sent < message.count {
            let n = message[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return status
    }
}
