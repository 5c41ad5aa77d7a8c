import Foundation
import Testing
@testable import TimelineSnapshot

/// The SQLite wrapper and the checks that refuse files that are not snapshots.
@Suite struct SnapshotFileTests {
    let folder: String = {
        let path = NSTemporaryDirectory() + "snapshot-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A minimal valid snapshot: the schema, no rows.
    func makeSnapshot(_ name: String, version: Int32 = SnapshotSchema.version,
                      applicationID: Int32 = SnapshotSchema.applicationID) throws -> String {
        let path = folder + "/" + name
        let database = try Database(path: path, mode: .create)
        try database.execute(SnapshotSchema.ddl)
        try database.execute("PRAGMA user_version = \(version); PRAGMA application_id = \(applicationID);")
        for key in SnapshotSchema.Meta.required {
            try database.execute("INSERT INTO meta VALUES ('\(key)', '\(key == SnapshotSchema.Meta.exhibitID ? "x" : "1")')")
        }
        return path
    }

    func expectRefusal(_ path: String, _ kind: SnapshotError.Kind, containing words: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SnapshotFile(path: path)
            Issue.record("opened \(path)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
            #expect(error.description.contains(words), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func opensAValidSnapshot() throws {
        let file = try SnapshotFile(path: try makeSnapshot("ok.db"))
        #expect(file.meta["exhibit_id"] == "x")
        #expect(try file.count("events") == 0)
    }

    @Test func refusesMissingEmptyAndRandomFiles() throws {
        expectRefusal(folder + "/none.db", .missing, containing: "no such file")
        _ = FileManager.default.createFile(atPath: folder + "/empty.db", contents: Data())
        expectRefusal(folder + "/empty.db", .notSQLite, containing: "empty")
        var generator = SystemRandomNumberGenerator()
        let noise = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        _ = FileManager.default.createFile(atPath: folder + "/noise.db", contents: noise)
        expectRefusal(folder + "/noise.db", .notSQLite, containing: "not an SQLite database")
    }

    @Test func refusesForeignAndOtherVersions() throws {
        let other = folder + "/other.db"
        try Database(path: other, mode: .create).execute("CREATE TABLE t (x)")
        expectRefusal(other, .foreign, containing: "not a Kiosk Timeline snapshot")
        expectRefusal(try makeSnapshot("newer.db", version: SnapshotSchema.version + 1), .newerSchema, containing: "newer")
        expectRefusal(try makeSnapshot("older.db", version: 0), .olderSchema, containing: "rebuild")
    }

    @Test func refusesTruncatedAndIncomplete() throws {
        let path = try makeSnapshot("full.db")
        let database = try Database(path: path, mode: .create)
        try database.execute("CREATE TABLE filler (x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT randomblob(200) FROM n;")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        _ = FileManager.default.createFile(atPath: folder + "/cut.db", contents: bytes.prefix(bytes.count / 2))
        expectRefusal(folder + "/cut.db", .damaged, containing: "damaged")

        let partial = try makeSnapshot("partial.db")
        try Database(path: partial, mode: .create).execute("DROP TABLE search")
        expectRefusal(partial, .incomplete, containing: "missing tables: search")
    }

    @Test func refusesFilesWithSomethingAppendedOrMissingMeta() throws {
        let path = try makeSnapshot("grown.db")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(repeating: 0, count: 100))
        handle.closeFile()
        // Structure-only verification (start-up) catches it without reading every page.
        do {
            _ = try SnapshotFile(path: path, verification: .structure)
            Issue.record("opened a snapshot with bytes appended")
        } catch {
            #expect(error.kind == .damaged && error.description.contains("pages make"), "\(error)")
        }
        let bare = try makeSnapshot("bare.db")
        try Database(path: bare, mode: .create).execute("DELETE FROM meta WHERE key = 'content_hash'")
        expectRefusal(bare, .incomplete, containing: "missing meta keys: content_hash")
    }

    @Test func readersStayOnTheFileOpenedEvenAfterARename() throws {
        let path = try makeSnapshot("first.db")
        let snapshot = try SnapshotFile(path: path)
        // Another snapshot renamed into place, as an update does.
        let next = try makeSnapshot("next.db")
        try Database(path: next, mode: .create).execute("UPDATE meta SET value = 'y' WHERE key = 'exhibit_id'")
        let before = try snapshot.reader()
        #expect(rename(next, path) == 0)
        // Connections made before still read the first file; none can be made on it now.
        #expect(try before.searchShells().isEmpty)
        #expect(try snapshot.database.scalarText("SELECT value FROM meta WHERE key = 'exhibit_id'") == "x")
        #expect(!snapshot.file.isStillAtPath)
        #expect(throws: SQLiteError.self) { try snapshot.reader() }
        #expect(try SnapshotFile(path: path).meta["exhibit_id"] == "y")
    }

    @Test func immutableConnectionsWriteNothing() throws {
        let path = try makeSnapshot("ro.db")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let database = try Database(path: path, mode: .readOnlyImmutable)
        #expect(throws: SQLiteError.self) { try database.execute("INSERT INTO meta VALUES ('a', 'b')") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // Paths with URI-special characters still open.
        let odd = folder + "/odd name?#%.db"
        try FileManager.default.copyItem(atPath: path, toPath: odd)
        #expect(try SnapshotFile(path: odd).meta["exhibit_id"] == "x")
    }

    @Test func statementsBindAndReadEveryType() throws {
        let database = try Database(path: ":memory:", mode: .create)
        try database.execute("CREATE TABLE t (i, d, s, b, n)")
        let insert = try database.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.run([.int(42), .double(2.5), .text("نص ✓"), .blob([]), .null])
        try insert.run([.int(-1), .double(0), .text(""), .blob([0, 1, 255]), .null])
        let select = try database.prepare("SELECT i, d, s, b, n FROM t ORDER BY rowid")
        #expect(try select.step())
        #expect(select.int(0) == 42 && select.double(1) == 2.5 && select.text(2) == "نص ✓")
        #expect(select.blob(3) == [] && select.isNull(4) && select.text(4) == nil)
        #expect(try select.step())
        #expect(select.blob(3) == [0, 1, 255])
        #expect(try !select.step())
    }

    @Test func errorsCarryCodeMessageAndStatement() throws {
        let database = try Database(path: ":memory:", mode: .create)
        do {
            _ = try database.prepare("SELEC 1")
            Issue.record("prepared bad SQL")
        } catch {
            #expect(error.primaryCode == 1)
            #expect(error.message.contains("syntax error"))
            #expect(error.sql == "SELEC 1")
        }
    }

    @Test func progressHandlerBoundsWork() throws {
        let database = try Database(path: ":memory:", mode: .create)
        database.limitSteps(10_000)
        #expect(throws: SQLiteError.self) {
            _ = try database.scalarInt("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
        }
        database.limitSteps(nil)
        #expect(try database.scalarInt("SELECT 1 + 1") == 2)
    }
}

/// The server's own SHA-256 against known answers (FIPS 180-4 examples).
@Suite struct SHA256Tests {
    @Test func knownAnswers() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in pieces of every awkward size, the same digest.
        var hasher = SHA256()
        var offset = 0, step = 1
        million.withUnsafeBytes { all in
            while offset < all.count {
                let end = min(all.count, offset + step)
                hasher.update(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                offset = end
                step = step % 131 + 7
            }
        }
        #expect(hasher.finish() == SHA256.hex(million))
    }
}
