import Foundation
import TimelineSnapshot

/// Writes a snapshot to a temporary file beside the target, then renames it into place.
///
/// The rename is the only step that touches the target, so a failed or interrupted build
/// leaves the previous snapshot as it was.
struct SnapshotWriter {
    let output: String

    /// A resource as the server will send it.
    struct Resource {
        let path: String
        let contentType: String
        let cache: SnapshotSchema.CachePolicy
        let body: [UInt8]
    }

    /// Runs `fill` on a fresh database at a temporary path, compacts it and moves it to `output`.
    func write(_ fill: (Database) throws -> Void) throws(BuildError) {
        let target = URL(fileURLWithPath: output)
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create the folder \(directory.path): \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())").path
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try fillAndClose(temporary, fill)
            // Data must be on disk before the rename makes it the snapshot.
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, output) == 0 else {
                throw BuildError.io("cannot move the snapshot into place at \(output): \(String(cString: strerror(errno)))")
            }
        } catch let error as BuildError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .snapshot("\(error)")
        }
    }

    /// The connection is closed when this returns, so the file is complete on disk.
    private func fillAndClose(_ path: String, _ fill: (Database) throws -> Void) throws {
        let database = try Database(path: path, mode: .create)
        // A temporary file that is renamed only when complete needs no journal.
        try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        try database.execute(SnapshotSchema.ddl)
        try database.transaction { try fill(database) }
        try database.execute("VACUUM")
    }

    // MARK: Encoding

    /// Strong ETag from the body's SHA-256.
    static func etag(_ body: [UInt8]) -> String {
        SnapshotSchema.etag(digest: SnapshotTables.digest(body))
    }

    /// The gzip body, only when it saves bytes.
    static func gzipIfSmaller(_ body: [UInt8], contentType: String) -> [UInt8]? {
        // Already-compressed formats do not shrink; skip the work.
        if ["image/jpeg", "image/png", "image/webp", "image/avif", "font/woff2"].contains(contentType)
            || contentType.hasPrefix("video/") || contentType.hasPrefix("audio/") { return nil }
        let compressed = Gzip.compress(body)
        return compressed.count < body.count ? compressed : nil
    }
}
