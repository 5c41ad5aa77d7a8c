/// Why a file is not a snapshot this program can serve. The message names the file.
public struct SnapshotError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case missing, unreadable, notSQLite, foreign, newerSchema, olderSchema, damaged, incomplete
    }

    public let kind: Kind
    public let path: String
    public let detail: String

    public init(_ kind: Kind, path: String, _ detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
