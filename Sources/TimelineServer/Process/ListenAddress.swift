#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `HOST:PORT` for `--listen`: an IPv4 literal, `localhost`, or `[IPv6]`; port 0 picks a free one.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: UInt16
    public let isIPv6: Bool

    public init(_ text: String) throws(ServerError) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw .configuration("--listen wants HOST:PORT, e.g. 127.0.0.1:8080, not '\(text)'")
        }
        var host = String(text[..<colon])
        var v6 = false
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            v6 = true
        }
        if host == "localhost" { host = "127.0.0.1" }
        var probe = in6_addr()
        guard inet_pton(v6 ? AF_INET6 : AF_INET, host, &probe) == 1 else {
            throw .configuration("--listen: '\(host)' is not an IP address")
        }
        self.host = host
        self.port = port
        self.isIPv6 = v6
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Calls `body` with the socket address (for `MHD_OPTION_SOCK_ADDR`).
    func withSocketAddress<T>(_ body: (UnsafeMutableRawPointer) -> T) -> T {
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            return withUnsafeMutableBytes(of: &address) { body($0.baseAddress!) }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        return withUnsafeMutableBytes(of: &address) { body($0.baseAddress!) }
    }
}
