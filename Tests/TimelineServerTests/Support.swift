import Foundation
import TimelineBuilder
@testable import TimelineServer

/// The fixture exhibit built once into a snapshot for every test here.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let snapshot: String = {
        let folder = NSTemporaryDirectory() + "server-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let output = folder + "/fixture.db"
        _ = try! Builder.build(BuildOptions(exhibit: root.appendingPathComponent("Tests/Fixtures/good").path,
                                            output: output, theme: root.appendingPathComponent("Assets/theme").path))
        return output
    }()

    static let responder = Responder(site: try! Site(path: snapshot))

    /// The fixture's film: served as it is, named by its own bytes.
    static let film = "/media/clip.412d127cd2.webm"

    /// Every body read from the snapshot per request: the cache budget is zero.
    static let uncached: Responder = {
        var options = SiteOptions()
        options.cacheBytes = 0
        return Responder(site: try! Site(path: snapshot, options: options))
    }()
}

extension Reply {
    var text: String { String(decoding: response.body, as: UTF8.self) }
    func header(_ name: String) -> String? { response.header(name) }
}
