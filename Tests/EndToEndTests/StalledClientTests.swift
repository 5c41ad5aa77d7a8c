import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Clients that stall, trickle or vanish must not take the kiosk's own browser down:
/// slowloris from many addresses, bursts of connections closed half-way, and SIGTERM
/// while they hold connections.
@Suite(.serialized) struct StalledClientTests {
    let snapshot = Binaries.fixtureSnapshot

    /// A TCP connection from `source` (any 127/8 address) to the server, or nil if refused.
    static func connect(from source: String, to port: UInt16) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = port.bigEndian
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &local) { l in
            withUnsafePointer(to: &remote) { r in
                l.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } == 0
                    && r.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } == 0
            }
        }
        guard ok else { close(fd); return nil }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// A polite client from 127.0.0.1 asking /healthz on fresh connections for `seconds`:
    /// the latencies of its answers and how many failed.
    static func politeClient(port: UInt16, seconds: Double) -> (latencies: [Double], failures: Int) {
        var latencies: [Double] = [], failures = 0
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let start = Date()
            do {
                let reply = try RawHTTPConnection(port: port).request("GET", "/healthz")
                if reply.status == 200 { latencies.append(Date().timeIntervalSince(start)) } else { failures += 1 }
            } catch {
                failures += 1
            }
            usleep(50_000)
        }
        return (latencies.sorted(), failures)
    }

    static func p99(_ sorted: [Double]) -> Double { sorted.isEmpty ? .infinity : sorted[max(0, sorted.count * 99 / 100 - 1)] }

    @Test func slowlorisFromManyAddressesDoesNotLockOutTheKiosk() throws {
        let server = try ServerProcess(snapshot: snapshot, arguments: ["--request-timeout", "2"])
        let port = server.port
        let stop = Flag()
        let attacker = Thread {
            var open: [Int32] = []
            for i in 0..<500 {
                if let fd = Self.connect(from: "127.0.\(1 + i / 250).\(2 + i % 250)", to: port),
                   Self.send(fd, "GET / HTTP/1.1\r\nHost: x\r\n") { open.append(fd) }
            }
            while !stop.isSet {
                open = open.filter { fd in
                    if Self.send(fd, "X-Slow: 1\r\n") { return true }
                    close(fd)
                    return false
                }
                // Replace what the server cut off, as a real attacker would.
                for i in 0..<(500 - open.count) {
                    if let fd = Self.connect(from: "127.0.3.\(2 + i % 250)", to: port), Self.send(fd, "GET / HTTP/1.1\r\n") {
                        open.append(fd)
                    }
                }
                usleep(500_000)
            }
            open.forEach { close($0) }
        }
        attacker.start()
        sleep(1)
        let (latencies, failures) = Self.politeClient(port: port, seconds: 6)
        stop.set()
        #expect(failures == 0)
        #expect(Self.p99(latencies) < 0.1, "p99 \(Self.p99(latencies) * 1000) ms")
        print("slowloris: \(latencies.count) polite requests, \(failures) failed, p99 \(String(format: "%.1f", Self.p99(latencies) * 1000)) ms")
        #expect(server.stop().status == 0)
    }

    @Test func burstsOfHalfSentConnectionsAndSigterm() throws {
        let server = try ServerProcess(snapshot: snapshot)
        let port = server.port
        let stop = Flag()
        let attacker = Thread {
            var round = 0
            while !stop.isSet {
                for i in 0..<200 {
                    // Twelve bytes of a request, then gone.
                    if let fd = Self.connect(from: "127.0.\(10 + round % 3).\(2 + i % 250)", to: port) {
                        _ = Self.send(fd, "GET / HTTP/1")
                        close(fd)
                    }
                }
                round += 1
                usleep(300_000)
            }
        }
        attacker.start()
        let (latencies, failures) = Self.politeClient(port: port, seconds: 5)
        stop.set()
        #expect(failures == 0)
        #expect(Self.p99(latencies) < 0.1, "p99 \(Self.p99(latencies) * 1000) ms")
        print("bursts: \(latencies.count) polite requests, \(failures) failed, p99 \(String(format: "%.1f", Self.p99(latencies) * 1000)) ms")

        // SIGTERM with stalled connections open: out within 2 s.
        var stalled: [Int32] = []
        for i in 0..<40 {
            if let fd = Self.connect(from: "127.0.20.\(2 + i)", to: port), Self.send(fd, "GET / HTTP/1.1\r\n") { stalled.append(fd) }
        }
        let started = Date()
        let (status, _) = server.stop()
        let took = Date().timeIntervalSince(started)
        stalled.forEach { close($0) }
        #expect(status == 0)
        #expect(took < 2, "SIGTERM took \(took) s")
    }
}
