#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMicroHTTPD
import TimelineSnapshot

/// `timeline-server update`: puts a new snapshot in place for the running service, or refuses
/// it with one line and changes nothing.
///
/// The new file is copied beside the target (same filesystem, so the rename is atomic) and
/// fsynced, then the copy, not the source, is verified completely: a USB stick or an SD card
/// that garbles bytes on the way is caught too. Only then is it renamed over the target, the
/// folder synced, and the service asked to reload (`systemctl try-reload-or-restart`, which
/// does nothing while the server is not running: its socket starts it on the new file).
public enum SnapshotUpdate {
    public struct Options: Sendable, Equatable {
        /// A snapshot file, or with `fromFolder` a folder snapshots are dropped into.
        public var source = ""
        public var fromFolder = false
        public var target = "/var/lib/timeline-kiosk/current.db"
        /// The unit to reload; empty: none (for tests and for a server run by hand).
        public var service = "timeline-server.service"

        public init() {}
    }

    /// Why an update did not happen: a file that is not a sound snapshot (exit 2), or a
    /// system call that failed (exit 1).
    enum Failure: Error, CustomStringConvertible {
        case refused(String)
        case system(SystemError)

        var description: String {
            switch self {
            case .refused(let why): return why
            case .system(let error): return error.description
            }
        }
        var status: Int32 { if case .refused = self { return 2 } else { return 1 } }
    }

    public static func run(_ options: Options, log: Log) -> Int32 {
        guard options.fromFolder else {
            let summary: String
            do { summary = try install(options.source, options) } catch {
                log.error("timeline-server: update refused: \(options.source): \(error); \(options.target) unchanged")
                return error.status
            }
            return reportReload(options) { Output.write(1, "updated \(options.target): \(summary)\($0)\n") }
        }
        return runFolder(options, log: log)
    }

    /// Reloads the service after a snapshot went in; the line says so, or that the new
    /// file is in place but the server still serves the old one (exit 1).
    static func reportReload(_ options: Options, _ say: (String) -> Void) -> Int32 {
        do {
            say(try reload(options))
            return 0
        } catch {
            say("; but the reload failed (\(error)): the server serves the old snapshot until it restarts")
            return 1
        }
    }

    /// The drop folder (a `.path` unit starts this when something arrives): each finished
    /// `*.db` in it, oldest first, is installed and removed, or moved to `rejected/` with
    /// one log line. Names starting with a dot are partial copies and left alone.
    static func runFolder(_ options: Options, log: Log) -> Int32 {
        let folder = options.source
        var status: Int32 = 0
        for name in snapshotsIn(folder) {
            let path = folder + "/" + name
            waitUntilWritten(path)
            do {
                let summary = try install(path, options)
                unlink(path)
                status = max(status, reportReload(options) {
                    log.info("timeline-server: updated \(options.target) from \(path): \(summary)\($0)")
                })
            } catch {
                mkdir(folder + "/rejected", 0o755)
                rename(path, folder + "/rejected/" + name)
                log.error("timeline-server: update refused: \(path): \(error); moved to rejected/, \(options.target) unchanged")
                status = max(status, error.status)
            }
        }
        return status
    }

    /// A file still being copied in is waited for, up to ten minutes: the folder is watched
    /// for names, not for finished copies. Still being copied: another process has it open
    /// (the copier, even while it stalls), or it changed in the last two seconds.
    static func waitUntilWritten(_ path: String) {
        for _ in 0..<600 {
            var info = stat()
            guard stat(path, &info) == 0 else { return }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            if now.tv_sec - info.st_mtim.tv_sec >= 2 && !isOpenElsewhere(path) { return }
            sleep(1)
        }
    }

    /// A write lease (`F_SETLEASE`) is granted only while no other descriptor has the file
    /// open; it is given back at once. Where leases are not supported, only the time counts.
    static func isOpenElsewhere(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return cmhd_open_elsewhere(fd) == 1
    }

    /// Copies, syncs, verifies and renames into place; the snapshot's summary line.
    static func install(_ source: String, _ options: Options) throws(Failure) -> String {
        let slash = options.target.lastIndex(of: "/")
        let folder = slash.map { String(options.target[..<$0]) } ?? "."
        let incoming = folder + "/.incoming-\(getpid()).db"
        defer { unlink(incoming) }
        do { try copy(source, to: incoming) } catch { throw .system(error) }
        let summary: String
        do {
            let site = try Site(path: incoming, options: SiteOptions(), verification: .full)
            try site.verifyEverything()
            summary = site.summary
        } catch {
            // Named after the file the technician gave, not the copy.
            throw .refused("\(error)".replacing(incoming + ": ", with: ""))
        }
        guard rename(incoming, options.target) == 0 else { throw .system(SystemError("rename into \(options.target)")) }
        // The rename itself must survive a power cut.
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
        return summary
    }

    /// A copy written whole and synced to the device, readable by the service's dynamic user.
    static func copy(_ source: String, to destination: String) throws(SystemError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw SystemError("open \(source)") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw SystemError("create \(destination)") }
        defer { close(output) }
        fchmod(output, 0o644)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw SystemError("read \(source)") }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                if w < 0 && errno == EINTR { continue }
                if w <= 0 { throw SystemError("write \(destination)") }
                written += w
            }
        }
        guard fsync(output) == 0 else { throw SystemError("fsync \(destination)") }
    }

    /// Asks systemd to reload the service; what happened, for the summary line.
    static func reload(_ options: Options) throws(Failure) -> String {
        guard !options.service.isEmpty else { return "" }
        var pid = pid_t()
        let arguments = ["systemctl", "try-reload-or-restart", options.service]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        guard posix_spawnp(&pid, "systemctl", nil, nil, &argv, environ) == 0 else {
            throw .system(SystemError("start systemctl"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw .system(SystemError(code: 0, operation: "systemctl try-reload-or-restart \(options.service)",
                                      reason: "exit status \(status >> 8)"))
        }
        return "; \(options.service) reloaded"
    }

    /// Finished snapshots in the drop folder, oldest first.
    static func snapshotsIn(_ folder: String) -> [String] {
        var found: [(Int, String)] = []
        for name in entries(folder) {
            guard name.hasSuffix(".db"), !name.hasPrefix(".") else { continue }
            var info = stat()
            guard stat(folder + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            found.append((info.st_mtim.tv_sec, name))
        }
        return found.sorted { $0 < $1 }.map(\.1)
    }

    /// The names in a folder (none if it cannot be read).
    static func entries(_ folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        return names
    }
}
