import CMicroHTTPD

/// A libmicrohttpd response (`MHD_create_response_from_buffer`), destroyed in `deinit`.
///
/// libmicrohttpd counts references to a response: one built at start can be queued on any
/// number of connections, from any thread, and `MHD_destroy_response` only drops our
/// reference. `@unchecked Sendable` because nothing is changed after `init`.
public final class HTTPResponse: @unchecked Sendable {
    let handle: OpaquePointer
    /// Keeps persistent body memory alive while libmicrohttpd may read it.
    private let owner: Buffer?
    /// The headers as added, for tests and logs (`MHD_add_response_header`).
    public let headers: [(name: String, value: String)]
    private let bodyPointer: UnsafeRawPointer?
    public let bodyCount: Int

    /// A response whose body is `count` bytes at `offset` in `buffer`, which it keeps alive.
    init(buffer: Buffer, offset: Int = 0, count: Int? = nil, headers: [(String, String)]) {
        let length = count ?? buffer.count - offset
        let start = buffer.base + offset
        handle = MHD_create_response_from_buffer(length, start, .RESPMEM_PERSISTENT)!
        owner = buffer
        bodyPointer = UnsafeRawPointer(start)
        bodyCount = length
        self.headers = headers
        addHeaders()
    }

    /// A response that copies `body` (`.RESPMEM_MUST_COPY`): for answers built per request.
    init(copying body: [UInt8], headers: [(String, String)]) {
        let buffer = Buffer(body)
        handle = body.withUnsafeBytes {
            MHD_create_response_from_buffer($0.count, UnsafeMutableRawPointer(mutating: $0.baseAddress), .RESPMEM_MUST_COPY)!
        }
        // The copy in `owner` is only for `body` (tests); libmicrohttpd has its own.
        owner = buffer
        bodyPointer = UnsafeRawPointer(buffer.base)
        bodyCount = body.count
        self.headers = headers
        addHeaders()
    }

    convenience init(text: String, headers: [(String, String)]) {
        self.init(copying: Array(text.utf8), headers: headers)
    }

    private func addHeaders() {
        for (name, value) in headers {
            let ok = MHD_add_response_header(handle, name, value)
            precondition(ok == .YES, "libmicrohttpd refused header \(name)")
        }
    }

    deinit {
        MHD_destroy_response(handle)
    }

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The body bytes (a copy): for tests.
    public var body: [UInt8] {
        guard let bodyPointer else { return [] }
        return Array(UnsafeRawBufferPointer(start: bodyPointer, count: bodyCount))
    }
}

/// What to send for one request: a status and a response, prebuilt or made for it.
public struct Reply: Sendable {
    public let status: UInt32
    public let response: HTTPResponse

    init(_ status: Int32, _ response: HTTPResponse) {
        self.status = UInt32(status)
        self.response = response
    }
}
