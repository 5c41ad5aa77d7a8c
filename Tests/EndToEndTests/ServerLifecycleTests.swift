import Foundation
import Testing
import TimelineSnapshot
#if canImport(Glibc)
import Glibc
#endif

/// The server under systemd's protocol, for real: notify messages, socket activation, and
/// snapshot swaps (SIGHUP) while clients keep it busy.
@Suite(.serialized) struct ServerLifecycleTests {
    let snapshot = Binaries.fixtureSnapshot

    @Test func notifySequenceForStartReloadBadReloadAndStop() throws {
        let notify = try NotifySocket()
        let folder = Binaries.temporaryFolder("notify-run")
        let live = folder + "/live.db"
        try FileManager.default.copyItem(atPath: snapshot, toPath: live)
        let server = try ServerProcess(snapshot: live, environment: ["NOTIFY_SOCKET": notify.path])
        let hash = try SnapshotFile(path: live).meta[SnapshotSchema.Meta.contentHash]!

        let ready = try #require(notify.receive())
        #expect(ready == "READY=1\nSTATUS=Serving exhibit fixture-good, 3 events, content hash \(hash)")

        // A good reload: RELOADING=1 with the monotonic time, then READY=1.
        kill(server.pid, SIGHUP)
        let reloading = try #require(notify.receive())
        let lines = reloading.split(separator: "\n")
        #expect(lines.count == 2 && lines[0] == "RELOADING=1")
        let usec = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        #expect(abs(Double(now.tv_sec) - Double(usec) / 1e6) < 10, "MONOTONIC_USEC is CLOCK_MONOTONIC")
        #expect(notify.receive() == "READY=1\nSTATUS=Serving exhibit fixture-good, 3 events, content hash \(hash)")

        // A bad reload: the same pair, the refusal in STATUS, and the old site still serving.
        _ = FileManager.default.createFile(atPath: live + ".new", contents: Data("not a snapshot".utf8))
        #expect(rename(live + ".new", live) == 0)
        kill(server.pid, SIGHUP)
        #expect(notify.receive()?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true)
        let refused = try #require(notify.receive())
        #expect(refused.hasPrefix("READY=1\nSTATUS=Reload refused (\(live): "), "\(refused)")
        #expect(refused.hasSuffix("; serving exhibit fixture-good, 3 events, content hash \(hash)"))
        #expect(try RawHTTPConnection(port: server.port).request("GET", "/healthz").text.contains(hash))

        // Stop.
        kill(server.pid, SIGTERM)
        #expect(notify.receive() == "STOPPING=1")
        let (status, log) = server.stop()
        #expect(status == 0)
        let refusals = log.split(separator: "\n").filter { $0.contains("reload refused") }
        #expect(refusals.count == 1 && refusals[0].contains(live), "one line naming the file: \(log)")
        #expect(notify.receive(within: 0.2) == nil, "nothing after STOPPING=1")
    }

    @Test func watchdogPingsAtHalfTheInterval() throws {
        let notify = try NotifySocket()
        let started = Date()
        let server = try ServerProcess(snapshot: snapshot, environment: [
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000",
        ])
        #expect(notify.receive()?.hasPrefix("READY=1") == true)
        var pings = 0
        while Date().timeIntervalSince(started) < 2.2, let message = notify.receive(within: 1) {
            if message == "WATCHDOG=1" { pings += 1 }
        }
        // Every 0.2 s for about two seconds.
        #expect(pings >= 6 && pings <= 12, "\(pings) pings")
        // Another process's watchdog is not ours.
        let other = try NotifySocket()
        let quiet = try ServerProcess(snapshot: snapshot, environment: [
            "NOTIFY_SOCKET": other.path, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1",
        ])
        #expect(other.receive()?.hasPrefix("READY=1") == true)
        #expect(other.receive(within: 0.6) == nil)
        #expect(server.stop().status == 0 && quiet.stop().status == 0)
    }

    @Test func socketActivationServesTheInheritedSocket() throws {
        // systemd-socket-activate (Debian's systemd package) binds, waits for the first
        // connection, then execs the server with LISTEN_FDS=1 and the socket as fd 3.
        let activate = "/usr/bin/systemd-socket-activate"
        try #require(FileManager.default.isExecutableFile(atPath: activate), "make deps installs systemd")
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: activate)
        process.arguments = ["-l", "127.0.0.1:\(port)", Binaries.server, "--snapshot", snapshot]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var connection: RawHTTPConnection?
        for _ in 0..<200 where connection == nil {
            connection = try? RawHTTPConnection(port: port)
            if connection == nil { usleep(20_000) }
        }
        let reply = try #require(connection).request("GET", "/healthz")
        #expect(reply.status == 200 && reply.text.contains("fixture-good"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said == "listening on http://127.0.0.1:\(port)\n", "the inherited socket's own address")

        // LISTEN_PID naming another process: ignored, with a line, and --listen used.
        let stray = try ServerProcess(snapshot: snapshot, environment: ["LISTEN_PID": "1", "LISTEN_FDS": "1"])
        #expect(try RawHTTPConnection(port: stray.port).request("GET", "/healthz").status == 200)
        #expect(stray.stop().log.contains("LISTEN_PID is 1, not this process"))
    }

    /// A port free now (bound, read, closed); systemd-socket-activate takes it next.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw ProcessError("no free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}
