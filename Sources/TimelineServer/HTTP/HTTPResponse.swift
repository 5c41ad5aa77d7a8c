import CMicroHTTPD

/// A libmicrohttpd response whose body libmicrohttpd itself keeps alive
/// (`MHD_create_response_from_buffer_with_free_callback_cls`), destroyed in `deinit`.
///
/// libmicrohttpd counts references to a response: one built once can be queued on any
/// number of connections, and `MHD_destroy_response` only drops ours. The body's `Buffer`
/// is retained for libmicrohttpd and released by its free callback when the last connection
/// is done with the response, so a `Site` swapped out can be freed while a slow client is
/// still reading from it. `@unchecked Sendable`: nothing changes after `init`.
public final class HTTPResponse: @unchecked Sendable {
    let handle: OpaquePointer
    /// The very bytes libmicrohttpd sends (no copy): for the `body` accessor.
    private let buffer: Buffer
    private let offset: Int
    public let bodyCount: Int

    /// A response whose body is `count` bytes at `offset` in `buffer`.
    init(buffer: Buffer, offset: Int = 0, count: Int? = nil, headers: [(String, String)]) {
        let length = count ?? buffer.count - offset
        precondition(offset >= 0 && length >= 0 && offset + length <= buffer.count, "body outside its buffer")
        let retained = Unmanaged.passRetained(buffer)
        guard let handle = MHD_create_response_from_buffer_with_free_callback_cls(
            length, buffer.base + offset, releaseBuffer, retained.toOpaque())
        else {
            retained.release()
            fatalError("libmicrohttpd could not allocate a response")
        }
        self.handle = handle
        self.buffer = buffer
        self.offset = offset
        self.bodyCount = length
        // The response's headers live in libmicrohttpd only (`headers` reads them back): a
        // cached resource has three responses, and a copy in each wrapper cost about a kilobyte.
        for (name, value) in headers {
            let ok = MHD_add_response_header(handle, name, value)
            precondition(ok == .YES, "libmicrohttpd refused header \(name)")
        }
    }

    /// A response made for one request, from bytes built for it.
    convenience init(bytes: [UInt8], headers: [(String, String)]) {
        self.init(buffer: Buffer(bytes), headers: headers)
    }

    convenience init(text: String, headers: [(String, String)]) {
        self.init(bytes: Array(text.utf8), headers: headers)
    }

    deinit {
        MHD_destroy_response(handle)
    }

    /// The first header of that name, compared case-insensitively (`MHD_get_response_header`).
    public func header(_ name: String) -> String? {
        MHD_get_response_header(handle, name).map { String(cString: $0) }
    }

    /// Every header in the order added (`MHD_get_response_headers`): for tests and logs.
    public var headers: [(name: String, value: String)] {
        var list: [(name: String, value: String)] = []
        withUnsafeMutablePointer(to: &list) { pointer in
            _ = MHD_get_response_headers(handle, { cls, _, key, value in
                let list = cls!.assumingMemoryBound(to: [(name: String, value: String)].self)
                list.pointee.append((key.map { String(cString: $0) } ?? "", value.map { String(cString: $0) } ?? ""))
                return .YES
            }, pointer)
        }
        return list
    }

    func closingTheConnection() -> HTTPResponse {
        HTTPResponse(buffer: buffer, offset: offset, count: bodyCount,
                     headers: headers.map { ($0.name, $0.value) } + [("Connection", "close")])
    }

    /// A copy of the body: for tests.
    public var body: [UInt8] {
        Array(UnsafeRawBufferPointer(start: buffer.base + offset, count: bodyCount))
    }
}

/// libmicrohttpd's free callback: the response is gone, so is its hold on the body.
private let releaseBuffer: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    Unmanaged<Buffer>.fromOpaque(cls).release()
}

/// What to send for one request: a status and a response, prebuilt or made for it.
public struct Reply: Sendable {
    public let status: UInt32
    public let response: HTTPResponse

    init(_ status: Int32, _ response: HTTPResponse) {
        self.status = UInt32(status)
        self.response = response
    }

    init(status: UInt32, response: HTTPResponse) {
        self.status = status
        self.response = response
    }

    /// The same answer with `Connection: close`, so libmicrohttpd closes after sending it
    /// (a new response over the same body buffer; nothing is copied).
    func closingTheConnection() -> Reply {
        Reply(status: status, response: response.closingTheConnection())
    }
}
