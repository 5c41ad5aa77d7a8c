/// Why the server could not start. Exit status 2 for a bad snapshot, 1 otherwise.
public enum ServerError: Error, Sendable, CustomStringConvertible {
    case snapshot(String)
    case listen(String)
    case configuration(String)
    /// Stored bytes that do not match their digest: the message, and whether it was logged.
    case damaged(String, reported: Bool)

    public var description: String {
        switch self {
        case .snapshot(let message): return message
        case .listen(let message): return "cannot listen: \(message)"
        case .configuration(let message): return message
        case .damaged(let message, _): return message
        }
    }
}
