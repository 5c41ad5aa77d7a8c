#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMicroHTTPD
import Synchronization

/// How the daemon listens and what it allows, each limit on purpose. The defaults here are
/// the ones `--help` prints.
public struct ServerConfiguration: Sendable, Equatable {
    public var listen: ListenAddress
    /// A socket inherited from systemd (`LISTEN_FDS`), used instead of `listen`.
    public var listenSocket: Int32?
    /// Open connections in all; beyond it new ones are refused. A kiosk has one browser.
    public var connectionLimit = 128
    /// Open connections from one address, so one client cannot take them all.
    public var perIPLimit = 16
    /// Seconds an idle connection is kept (keep-alive included).
    public var timeoutSeconds = 30
    /// Seconds a request may take to arrive whole (line and headers), counted from the
    /// connection's start or the end of its previous request plus the idle timeout: a client
    /// that trickles bytes (slowloris) or stops half-way is cut off after this, whatever
    /// libmicrohttpd's inactivity timer says.
    public var requestSeconds = 5
    /// Connections kept for the kiosk's own browser (127.0.0.1, ::1): other addresses are
    /// refused once only this many are left.
    public var loopbackReserve = 16
    /// Bytes of buffer per connection; it must hold the request head (and so the longest URL).
    /// libmicrohttpd clears this pool between requests on a kept-alive connection: at 64 KiB
    /// the clearing cost a fifth of the throughput in `make bench`, at 16 KiB little.
    public var connectionMemory = 16 << 10
    /// One log line per request.
    public var accessLog = false
    /// Longest the serving thread waits for the network before it shows it is alive
    /// (the watchdog's heartbeat) and looks for a stop request.
    public var heartbeatMilliseconds: Int32 = 200

    public init(listen: ListenAddress) { self.listen = listen }

    public static let defaultListen = "127.0.0.1:8080"
}

/// The libmicrohttpd daemon (`MHD_start_daemon`) and the one thread that serves it
/// (`MHD_run_wait` in a loop), stopped in `stop()` or `deinit`.
///
/// The serving thread is ours rather than libmicrohttpd's so that it can be seen to make
/// progress: each turn of its loop moves `heartbeat`, which the watchdog reads. A thread
/// stuck in a request stops the count, and so systemd's pings.
///
/// `@unchecked Sendable`: the daemon handle is used by the serving thread, and by `stop()`
/// only after that thread has been joined; the callbacks only read the frozen `Context`.
public final class HTTPServer: @unchecked Sendable {
    /// What the C callbacks reach through their `cls` pointer.
    final class Context: Sendable {
        let responder: Responder
        let log: Log
        let accessLog: Bool
        /// Requests begun and not yet completed, for a graceful stop.
        let inFlight = Atomic<Int>(0)
        let connections: ConnectionTable
        let connectionLimit: Int
        let loopbackReserve: Int
        let connectionMemory: Int

        init(responder: Responder, log: Log, configuration: ServerConfiguration) {
            self.responder = responder
            self.log = log
            self.accessLog = configuration.accessLog
            connections = ConnectionTable(requestSeconds: Double(configuration.requestSeconds),
                                          idleSeconds: Double(configuration.timeoutSeconds))
            connectionLimit = configuration.connectionLimit
            connectionMemory = configuration.connectionMemory
            loopbackReserve = min(configuration.loopbackReserve, configuration.connectionLimit - 1)
        }
    }

    /// The serving thread's state, shared with the thread that stops it.
    final class Loop: @unchecked Sendable {
        let daemon: OpaquePointer
        let waitMilliseconds: Int32
        let heartbeat = Atomic<UInt64>(0)
        /// 1: stop accepting; 2: accepting stopped (the loop did it); 3: leave the loop.
        let phase = Atomic<Int>(0)
        let stopAccepting = 1, notAccepting = 2, leave = 3

        let connections: ConnectionTable

        init(daemon: OpaquePointer, waitMilliseconds: Int32, connections: ConnectionTable) {
            self.daemon = daemon
            self.waitMilliseconds = waitMilliseconds
            self.connections = connections
        }

        func run() {
            while phase.load(ordering: .acquiring) != leave {
                _ = MHD_run_wait(daemon, waitMilliseconds)
                heartbeat.add(1, ordering: .relaxed)
                connections.sweep()
                if phase.load(ordering: .acquiring) == stopAccepting {
                    // libmicrohttpd calls belong on this thread while it runs the daemon.
                    let listener = MHD_quiesce_daemon(daemon)
                    if listener >= 0 { close(listener) }
                    // Only from stopAccepting: a `leave` stored meanwhile must not be lost.
                    _ = phase.compareExchange(expected: stopAccepting, desired: notAccepting, ordering: .acquiringAndReleasing)
                }
            }
        }
    }

    private var daemon: OpaquePointer?
    private let context: Context
    private let unmanaged: Unmanaged<Context>
    private let loop: Loop
    private var thread: pthread_t?
    /// The port actually bound (the one the kernel chose for port 0).
    public let port: UInt16
    public let host: String

    /// The libmicrohttpd linked at run time, e.g. "0.9.75" on Debian 12, "1.0.1" on Debian 13.
    public static var libraryVersion: String { String(cString: MHD_get_version()) }
    static let libraryIsOlderThan1 = libraryVersion.hasPrefix("0.")

    public init(responder: Responder, configuration: ServerConfiguration, log: Log = Log()) throws(ServerError) {
        let context = Context(responder: responder, log: log, configuration: configuration)
        let unmanaged = Unmanaged.passRetained(context)
        self.context = context
        self.unmanaged = unmanaged
        // epoll, polled by our own thread (no MHD_USE_INTERNAL_POLLING_THREAD).
        var flags = MHD_USE_EPOLL.rawValue
        if configuration.listen.isIPv6 && configuration.listenSocket == nil { flags |= MHD_USE_IPv6.rawValue }
        func option(_ option: MHD_OPTION, _ value: Int, _ pointer: UnsafeMutableRawPointer? = nil) -> MHD_OptionItem {
            MHD_OptionItem(option: option, value: value, ptr_value: pointer)
        }
        let started: OpaquePointer? = configuration.listen.withSocketAddress { address in
            var options = [
                option(.CONNECTION_LIMIT, configuration.connectionLimit),
                option(.PER_IP_CONNECTION_LIMIT, configuration.perIPLimit),
                option(.CONNECTION_TIMEOUT, configuration.timeoutSeconds),
                option(.CONNECTION_MEMORY_LIMIT, configuration.connectionMemory),
                // Strict parsing: a malformed request gets 400 rather than a guess. Before 1.0,
                // libmicrohttpd's refusal of a request without Host sent its head twice (the
                // state after the refusal was overwritten; fixed upstream in 1.0.0): there
                // Framing checks Host, and the library's own check is left off.
                option(.STRICT_FOR_CLIENT, Self.libraryIsOlderThan1 ? 0 : 1),
            ]
            if let socket = configuration.listenSocket {
                options.append(option(.LISTEN_SOCKET, Int(socket)))
            } else {
                options.append(option(.SOCK_ADDR, 0, address))
            }
            options.append(option(.END, 0))
            return options.withUnsafeMutableBufferPointer { items in
                cmhd_start(flags, accessHandler, unmanaged.toOpaque(), requestCompleted, unmanaged.toOpaque(),
                           uriLogged, unmanaged.toOpaque(), acceptPolicy, unmanaged.toOpaque(),
                           connectionNotified, unmanaged.toOpaque(), items.baseAddress)
            }
        }
        guard let started else {
            let reason = String(cString: strerror(errno))
            unmanaged.release()
            throw .listen("\(configuration.listenSocket.map { "socket \($0)" } ?? configuration.listen.description): \(reason)")
        }
        daemon = started
        if let socket = configuration.listenSocket, let bound = Self.boundAddress(socket) {
            (host, port) = bound
        } else {
            port = cmhd_bind_port(started)
            host = configuration.listen.host
        }
        loop = Loop(daemon: started, waitMilliseconds: max(1, configuration.heartbeatMilliseconds),
                    connections: context.connections)
        let box = Unmanaged.passRetained(loop).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { box in
            let loop = Unmanaged<HTTPServer.Loop>.fromOpaque(box!).takeRetainedValue()
            loop.run()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Loop>.fromOpaque(box).release()
            MHD_stop_daemon(started)
            daemon = nil
            // deinit releases the context (stop() sees no thread and returns).
            throw .listen("cannot start the serving thread: \(String(cString: strerror(rc)))")
        }
        self.thread = thread
    }

    /// The address an inherited socket is bound to (`getsockname`, then `getnameinfo` with
    /// numeric host and port, for IPv4 and IPv6 alike).
    static func boundAddress(_ fd: Int32) -> (String, UInt16)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST)), service = [CChar](repeating: 0, count: 16)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(fd, $0, &length) == 0
                    && getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                                   NI_NUMERICHOST | NI_NUMERICSERV) == 0
            }
        }
        func text(_ chars: [CChar]) -> String {
            String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        guard ok, let port = UInt16(text(service)) else { return nil }
        return (text(host), port)
    }

    /// Turns of the serving loop so far: it moves at least every `heartbeatMilliseconds`
    /// while the serving thread is healthy.
    public var heartbeat: UInt64 { loop.heartbeat.load(ordering: .relaxed) }

    /// Stops accepting, lets requests in flight finish (up to `drainSeconds`), then closes
    /// every connection and joins the serving thread.
    public func stop(drainSeconds: Double = 1.5) {
        guard let daemon, let thread else { return }
        var waited = 0.0
        loop.phase.store(loop.stopAccepting, ordering: .releasing)
        while loop.phase.load(ordering: .acquiring) != loop.notAccepting && waited < drainSeconds {
            usleep(5_000)
            waited += 0.005
        }
        while context.inFlight.load(ordering: .acquiring) > 0 && waited < drainSeconds {
            usleep(10_000)
            waited += 0.01
        }
        loop.phase.store(loop.leave, ordering: .releasing)
        pthread_join(thread, nil)
        MHD_stop_daemon(daemon)
        self.daemon = nil
        self.thread = nil
    }

    public var requestsInFlight: Int { context.inFlight.load(ordering: .relaxed) }

    deinit {
        stop(drainSeconds: 0)
        unmanaged.release()
    }
}

// MARK: - Callbacks

/// `*con_cls` for a request holds no allocation, only bits: the request target's length
/// shifted left by 4, bit 0 "seen by the URI log", bit 1 "access handler called once",
/// bit 2 "the raw target is unacceptable" (see `Framing.targetIsBad`), bit 3 "answered
/// already, on the socket" (see `HeadRoom`).

/// Called first for every request with the raw target (`MHD_OPTION_URI_LOG_CALLBACK`).
private let uriLogged: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?)
    -> UnsafeMutableRawPointer? = { cls, uri, connection in
    let length = uri.map { strlen($0) } ?? 0
    let target = UnsafeRawBufferPointer(start: uri, count: length)
    let bad = Framing.targetIsBad(target)
    var answered = false
    if let cls, let connection {
        let context = Unmanaged<HTTPServer.Context>.fromOpaque(cls).takeUnretainedValue()
        // The arguments go into the pool next; if they cannot, libmicrohttpd closes silently.
        if HeadRoom.targetIsShort(target, memory: context.connectionMemory) {
            let fd = cmhd_connection_fd(connection)
            _ = HeadRoom.answer(fd: fd, targetTooLong: true, memory: context.connectionMemory)
            // Whatever the library does with this request next, nothing may follow the answer.
            shutdown(fd, Int32(SHUT_WR))
            answered = true
        }
    }
    return UnsafeMutableRawPointer(bitPattern: (length << 4) | (answered ? 8 : 0) | (bad ? 4 : 0) | 1)
}

private let requestCompleted: MHD_RequestCompletedCallback = { cls, connection, state, _ in
    let context = Unmanaged<HTTPServer.Context>.fromOpaque(cls!).takeUnretainedValue()
    // In flight: from a whole request head (the access handler's first call) to here; a
    // client stalled half-way through its head is not waited for on stop.
    if let state, Int(bitPattern: state.pointee) & 2 != 0 { context.inFlight.subtract(1, ordering: .releasing) }
    if let connection { context.connections.requestEnded(connection) }
}

/// Connections come and go (`MHD_OPTION_NOTIFY_CONNECTION`): the table the sweep reads.
private let connectionNotified: MHD_NotifyConnectionCallback = { cls, connection, _, code in
    guard let cls, let connection else { return }
    let context = Unmanaged<HTTPServer.Context>.fromOpaque(cls).takeUnretainedValue()
    if code == .CONNECTION_NOTIFY_STARTED {
        context.connections.started(connection, fd: cmhd_connection_fd(connection))
    } else {
        context.connections.closed(connection)
    }
}

/// Keeps the last `loopbackReserve` connections for the kiosk's own browser.
private let acceptPolicy: MHD_AcceptPolicyCallback = { cls, address, _ in
    guard let cls, let address else { return .NO }
    let context = Unmanaged<HTTPServer.Context>.fromOpaque(cls).takeUnretainedValue()
    if cmhd_is_kiosk_loopback(address) != 0 { return .YES }
    // The table, kept on this same thread, not MHD_get_daemon_info: that would clean up
    // connections in the middle of libmicrohttpd's own event loop.
    return context.connections.count < context.connectionLimit - context.loopbackReserve ? .YES : .NO
}

private let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, version, _, uploadSize, state in
    guard let cls, let connection, let url, let method, let state else { return .NO }
    let context = Unmanaged<HTTPServer.Context>.fromOpaque(cls).takeUnretainedValue()
    let bits = Int(bitPattern: state.pointee)
    if bits & 2 == 0 {
        state.pointee = UnsafeMutableRawPointer(bitPattern: bits | 2)
        context.connections.requestBegan(connection)
        context.inFlight.add(1, ordering: .relaxed)
        if bits & 8 != 0 || HeadRoom.isShort(connection, memory: context.connectionMemory) {
            let status = bits & 8 != 0 ? 414 : HeadRoom.answer(
                fd: cmhd_connection_fd(connection), targetTooLong: bits >> 4 > context.responder.options.maxTargetBytes,
                memory: context.connectionMemory)
            if context.accessLog { context.log.info("\(Escape.log(String(cString: method))) (\(bits >> 4)-byte target) \(status)") }
            return .NO
        }
        // A request whose framing or version cannot be trusted is refused at once, before
        // libmicrohttpd waits for a body it cannot delimit; the connection closes after.
        let versionText = version.map { String(cString: $0) } ?? ""
        if let refusal = Framing.refusal(method: String(cString: method), version: versionText,
                                         badTarget: bits & 4 != 0, connection: connection) {
            if context.accessLog {
                context.log.info("\(Escape.log(String(cString: method))) \(Escape.log(String(cString: url))) \(refusal.status)")
            }
            return withExtendedLifetime(refusal) { MHD_queue_response(connection, refusal.status, refusal.response.handle) }
        }
        // Answering on the first call would make libmicrohttpd close the connection after the
        // response; answering on the second keeps it alive for the next request.
        return .YES
    }
    // A body is never wanted: each chunk is dropped as it comes (libmicrohttpd refuses a
    // response while upload data is pending), and the answer (405) follows the last one.
    if let uploadSize, uploadSize.pointee > 0 {
        uploadSize.pointee = 0
        return .YES
    }
    let request = MHDRequest(connection: connection, method: String(cString: method), path: String(cString: url),
                             targetLength: bits >> 4)
    var reply = context.responder.respond(to: request)
    // A client that sent its request and shut its side (FIN in the same packet) gets the
    // answer and then the close; libmicrohttpd would not notice the FIN until the timeout.
    let fd = cmhd_connection_fd(connection)
    if fd >= 0 && cmhd_peer_finished(fd) != 0 { reply = reply.closingTheConnection() }
    if context.accessLog { context.log.info("\(Escape.log(request.method)) \(Escape.log(request.path)) \(reply.status)") }
    // The reply may be the response's only owner: it must outlive the call that queues it.
    return withExtendedLifetime(reply) { MHD_queue_response(connection, reply.status, reply.response.handle) }
}

/// The request line and framing headers, checked before anything else (RFC 9112 §6).
enum Framing {
    static let versionNotSupported = HTTPResponse(
        text: "505 HTTP Version Not Supported: HTTP/1.0 and HTTP/1.1 only\n", headers: Responder.plainHeaders())
    static let notImplemented = HTTPResponse(
        text: "501 Not Implemented: no transfer coding but chunked is understood\n", headers: Responder.plainHeaders())
    static let badFraming = HTTPResponse(
        text: "400 Bad Request: conflicting Content-Length or Transfer-Encoding\n", headers: Responder.plainHeaders())
    static let badTarget = HTTPResponse(text: "400 Bad Request: a NUL, space or control character in the request target\n",
                                        headers: Responder.plainHeaders())
    static let noHost = HTTPResponse(text: "400 Bad Request: an HTTP/1.1 request needs a Host header\n",
                                     headers: Responder.plainHeaders())

    /// A raw target holding an encoded NUL (libmicrohttpd decodes %00 into the path it hands
    /// over, which cuts it short there), a space or a control character (which a lenient
    /// parser would take into the path).
    static func targetIsBad(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for (i, byte) in bytes.enumerated() {
            if byte <= 0x20 || byte == 0x7F { return true }
            if byte == UInt8(ascii: "%"), i + 2 < bytes.count, bytes[i + 1] == 0x30, bytes[i + 2] == 0x30 { return true }
        }
        return false
    }

    static let bodyRefused = HTTPResponse(text: "400 Bad Request: this server takes no request body\n",
                                          headers: Responder.plainHeaders())

    static func refusal(method: String, version: String, badTarget: Bool, connection: OpaquePointer) -> Reply? {
        let host = MHD_lookup_connection_value(connection, .HEADER_KIND, "Host") != nil
        // The usual GET carries neither header: decide without walking every header.
        if MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length") == nil,
           MHD_lookup_connection_value(connection, .HEADER_KIND, "Transfer-Encoding") == nil {
            return decide(method: method, version: version, host: host, badTarget: badTarget, contentLengths: [],
                          transferEncodings: [])
        }
        var lengths: [String] = [], codings: [String] = []
        withUnsafeMutablePointer(to: &lengths) { l in
            withUnsafeMutablePointer(to: &codings) { c in
                var both = (UnsafeMutableRawPointer(l), UnsafeMutableRawPointer(c))
                _ = withUnsafeMutablePointer(to: &both) { pointer in
                    MHD_get_connection_values(connection, .HEADER_KIND, { cls, _, key, value in
                        guard let cls, let key else { return .YES }
                        let pair = cls.assumingMemoryBound(to: (UnsafeMutableRawPointer, UnsafeMutableRawPointer).self).pointee
                        let name = String(cString: key).lowercased(), text = value.map { String(cString: $0) } ?? ""
                        if name == "content-length" { pair.0.assumingMemoryBound(to: [String].self).pointee.append(text) }
                        if name == "transfer-encoding" { pair.1.assumingMemoryBound(to: [String].self).pointee.append(text) }
                        return .YES
                    }, pointer)
                }
            }
        }
        return decide(method: method, version: version, host: host, badTarget: badTarget, contentLengths: lengths,
                      transferEncodings: codings)
    }

    /// The decision from plain values (testable without a connection). Nothing here takes a
    /// body, so no request may announce one: a body trickled in byte by byte would otherwise
    /// hold the connection as long as the client likes.
    static func decide(method: String = "GET", version: String, host: Bool = true, badTarget: Bool,
                       contentLengths: [String], transferEncodings: [String]) -> Reply? {
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return Reply(505, versionNotSupported) }
        if version == "HTTP/1.1" && !host { return Reply(400, noHost) }
        guard method == "GET" || method == "HEAD" else { return Reply(405, Responder.methodNotAllowed) }
        if badTarget { return Reply(400, Self.badTarget) }
        if !transferEncodings.isEmpty {
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces().lowercased() }
            guard codings == ["chunked"] else { return Reply(501, notImplemented) }
            if !contentLengths.isEmpty { return Reply(400, badFraming) }
        }
        // Several Content-Length values (in one header or several) must all agree.
        let values = Set(contentLengths.flatMap { $0.split(separator: ",") }.map { String($0.trimmingSpaces()) })
        if values.count > 1 || values.contains(where: { $0.isEmpty || !$0.allSatisfy(\.isASCIIDigit) }) {
            return Reply(400, badFraming)
        }
        if !transferEncodings.isEmpty || values.contains(where: { $0.contains { $0 != "0" } }) {
            return Reply(400, bodyRefused)
        }
        return nil
    }
}

/// A request as libmicrohttpd holds it; headers and query are looked up on demand.
struct MHDRequest: RequestHead {
    let connection: OpaquePointer
    let method: String
    let path: String
    let targetLength: Int

    func header(_ name: String) -> String? {
        MHD_lookup_connection_value(connection, .HEADER_KIND, name).map { String(cString: $0) }
    }

    func query(_ name: String) -> String? {
        MHD_lookup_connection_value(connection, .GET_ARGUMENT_KIND, name).map { String(cString: $0) }
    }
}
