/// One entry for coverage-guided fuzzing of the request path (`make fuzz`): arbitrary bytes
/// become a request line, headers and a query, and go through everything a request meets.
public enum RequestFuzzing {
    /// Splits `bytes` at newlines into method, path, Range, If-None-Match, If-Range,
    /// Accept-Encoding, version, Content-Length and Transfer-Encoding values, `q` and `lang`.
    public static func run(_ bytes: [UInt8], responder: Responder) {
        let parts = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        func part(_ i: Int) -> String? { i < parts.count && !parts[i].isEmpty ? parts[i] : nil }
        var headers: [String: String] = [:]
        for (index, name) in [(2, "Range"), (3, "If-None-Match"), (4, "If-Range"), (5, "Accept-Encoding")] {
            if let value = part(index) { headers[name] = value }
        }
        var query: [String: String] = [:]
        if let q = part(9) { query["q"] = q }
        if let lang = part(10) { query["lang"] = lang }
        let request = PlainRequest(part(0) ?? "GET", part(1) ?? "/", headers: headers, query: query)
        _ = Framing.decide(version: part(6) ?? "HTTP/1.1", badTarget: false,
                           contentLengths: part(7).map { [$0] } ?? [], transferEncodings: part(8).map { [$0] } ?? [])
        _ = Array(request.path.utf8).withUnsafeBytes(Framing.targetIsBad)
        _ = Escape.log(request.path)
        let reply = responder.respond(to: request)
        precondition((200...599).contains(reply.status), "status \(reply.status)")
        precondition(reply.response.bodyCount >= 0)
    }
}
