/// What the responder needs to know of a request. libmicrohttpd's connection is one source;
/// tests give plain values.
public protocol RequestHead {
    /// The method as sent (`GET`, `HEAD`, …).
    var method: String { get }
    /// The path, percent-decoded, without the query.
    var path: String { get }
    /// Length in bytes of the request target as sent (path and query).
    var targetLength: Int { get }
    /// A request header, by case-insensitive name.
    func header(_ name: String) -> String?
    /// A query parameter, percent-decoded.
    func query(_ name: String) -> String?
}

/// A request as plain values: for in-process tests and tools.
public struct PlainRequest: RequestHead, Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var parameters: [String: String]
    public var targetLength: Int

    public init(_ method: String = "GET", _ path: String, headers: [String: String] = [:],
                query: [String: String] = [:], targetLength: Int? = nil) {
        self.method = method
        self.path = path
        self.headers = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        self.parameters = query
        self.targetLength = targetLength ?? path.utf8.count
            + query.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 }
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    public func query(_ name: String) -> String? { parameters[name] }
}
