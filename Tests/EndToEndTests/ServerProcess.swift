import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Paths to the real binaries and the tree.
enum Binaries {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let directory = ProcessInfo.processInfo.environment["TIMELINE_BIN_DIR"]
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    static let build = directory + "/timeline-build"
    static let server = directory + "/timeline-server"

    /// What a finished run of a binary printed, and its exit status.
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs `tool` from the tree's root and waits for it.
    static func run(_ tool: String, _ arguments: [String]) throws -> Run {
        precondition(FileManager.default.isExecutableFile(atPath: tool), "build \(tool) first (make test does)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryFolder(_ name: String) -> String {
        let path = NSTemporaryDirectory() + name + "-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The libmicrohttpd the server runs with, from `timeline-server --version`.
    static let libmicrohttpdVersion: String = {
        let said = try! run(server, ["--version"]).stdout
        return said.firstMatch(of: /libmicrohttpd ([0-9.]+)/).map { String($0.1) } ?? "unknown"
    }()

    /// The fixture exhibit built by the real builder, once.
    static let fixtureSnapshot: String = {
        let output = temporaryFolder("e2e-snapshot") + "/fixture.db"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: build)
        process.arguments = [root.appendingPathComponent("Tests/Fixtures/good").path, "-o", output, "-q"]
        try! process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "building the fixture failed")
        return output
    }()
}

/// A `timeline-server` process on port 0, stopped (SIGTERM) when the value goes away.
final class ServerProcess {
    let process = Process()
    let port: UInt16
    private let stdout = Pipe(), stderr = Pipe()
    private final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var data = Data()
    }
    private let collected = Collected()

    init(snapshot: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: Binaries.server)
        process.arguments = ["--snapshot", snapshot, "--listen", "127.0.0.1:0"] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = stdout
        process.standardError = stderr
        // Read the log as it comes: a full pipe would block the server's next log line.
        let collected = self.collected
        stderr.fileHandleForReading.readabilityHandler = { @Sendable handle in
            let chunk = handle.availableData
            collected.lock.withLock { collected.data.append(chunk) }
        }
        try process.run()
        // The first line says where it listens.
        var line = [UInt8]()
        let handle = stdout.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { break }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let match = text.firstMatch(of: /^listening on http:\/\/127\.0\.0\.1:(\d+)$/), let port = UInt16(match.1) else {
            process.terminate()
            throw ProcessError("unexpected first line: '\(text)'")
        }
        self.port = port
    }

    var pid: Int32 { process.processIdentifier }

    /// Resident memory now, from /proc (kB).
    func residentKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Sends SIGTERM and waits; returns the exit status and what it wrote to stderr.
    func stop() -> (status: Int32, log: String) {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        stderr.fileHandleForReading.readabilityHandler = nil
        let rest = stderr.fileHandleForReading.readDataToEndOfFile()
        let log = collected.lock.withLock { String(decoding: collected.data + rest, as: UTF8.self) }
        return (process.terminationStatus, log)
    }

    deinit { if process.isRunning { _ = stop() } }
}

/// A datagram socket standing in for systemd's NOTIFY_SOCKET: it receives what the server
/// sends with sd_notify's protocol.
final class NotifySocket {
    let path: String
    let fd: Int32

    init() throws {
        path = Binaries.temporaryFolder("notify") + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (i, byte) in path.utf8.enumerated() { bytes[i] = byte }
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { throw ProcessError("bind \(path): \(errno)") }
    }

    deinit { close(fd); unlink(path) }

    /// The next message, or nil after `seconds`.
    func receive(within seconds: Double = 10) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    /// Messages until one contains `line` (included); nil if none came in time.
    func receive(until line: String, within seconds: Double = 10) -> [String]? {
        var messages: [String] = []
        while let message = receive(within: seconds) {
            messages.append(message)
            if message.split(separator: "\n").contains(Substring(line)) { return messages }
        }
        return nil
    }
}

struct ProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A bare HTTP/1.1 client over one TCP connection, so tests see exactly what goes over the wire.
final class RawHTTPConnection {
    let fd: Int32

    struct Response {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw ProcessError("connect failed: \(errno)") }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        var bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    private var buffer: [UInt8] = []

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    /// Reads one response; `head` for a HEAD request (no body whatever the length says).
    func read(head: Bool = false) throws -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var end: Int?
        while true {
            if buffer.count >= 4, let found = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<$0 + 4]) == separator }) {
                end = found
                break
            }
            guard fill() else { throw ProcessError("connection closed before a response head") }
        }
        let headText = String(decoding: buffer[0..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let status = Int(statusLine.split(separator: " ")[1])!
        let headers = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        let bodyLength = head || status == 304 ? 0 : length
        while buffer.count < bodyLength {
            guard fill() else { throw ProcessError("connection closed in the body") }
        }
        let body = Array(buffer[0..<bodyLength])
        buffer.removeFirst(bodyLength)
        return Response(status: status, headers: headers, body: body)
    }

    /// True when the server closed the connection (reads return 0).
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    func request(_ method: String = "GET", _ target: String, _ headers: [String: String] = [:]) throws -> Response {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        send(text + "\r\n")
        return try read(head: method == "HEAD")
    }
}
