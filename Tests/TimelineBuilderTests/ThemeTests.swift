import Foundation
import Testing
@testable import TimelineBuilder

/// The theme's static tree: one fingerprint for every file, so relative module imports and
/// font URLs keep working, and any change to any file gives new URLs.
@Suite struct ThemeTests {
    /// A copy of the default theme to change.
    func copy() throws -> TemporaryFolder {
        let folder = TemporaryFolder()
        try FileManager.default.removeItem(atPath: folder.path)
        try FileManager.default.copyItem(atPath: Tree.theme, toPath: folder.path)
        return folder
    }

    @Test func oneFingerprintForTheWholeTree() throws {
        let theme = try SiteTheme(directory: Tree.theme)
        #expect(theme.assetBase.wholeMatch(of: /\/assets\/[0-9a-f]{10}\//) != nil)
        #expect(theme.assets.allSatisfy { $0.url == theme.assetBase + $0.name })
        let names = Set(theme.assets.map(\.name))
        #expect(names.contains("style.css") && names.contains("js/app.js") && names.contains("fonts/noto-sans-regular.woff2"))
        #expect(theme.assets.first { $0.name == "js/app.js" }?.key == "js_app_js")
    }

    @Test func anyChangeMovesEveryURL() throws {
        let folder = try copy()
        let before = try SiteTheme(directory: folder.path).assetBase
        folder.write("static/js/extra/deep.js", Array("export const x = 1;\n".utf8))
        let after = try SiteTheme(directory: folder.path)
        #expect(after.assetBase != before)
        #expect(after.assets.contains { $0.url == after.assetBase + "js/extra/deep.js" })
    }

    @Test func unknownFileTypesAreRefused() throws {
        let folder = try copy()
        folder.write("static/js/notes.exe", [0])
        #expect(throws: ThemeError.self) { try SiteTheme(directory: folder.path) }
    }
}
