import Foundation
import Testing
@testable import TimelineBuilder

@Suite struct PartsTests {
    @Test func markdownDropsRawHTMLAndScriptLinks() {
        let html = Markdown.html("Hello <b onclick=x>there</b> [bad](javascript:alert(1)) \"quoted\"")
        #expect(!html.contains("onclick"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("“quoted”"))
    }

    @Test func imageSizesFromHeaders() throws {
        let media = Tree.fixtures + "/good/media/"
        func info(_ name: String) throws -> ImageInfo {
            try RasterImage.inspect(Array(FileManager.default.contents(atPath: media + name)!)).info
        }
        #expect(try info("photo.jpg") == ImageInfo(format: .jpeg, width: 40, height: 30))
        #expect(try info("icon.png") == ImageInfo(format: .png, width: 16, height: 12))
        #expect(try info("lossy.webp") == ImageInfo(format: .webp, width: 20, height: 10))
        #expect(try info("lossless.webp") == ImageInfo(format: .webp, width: 21, height: 11))
        #expect(try ImageInfo.svg(Array(FileManager.default.contents(atPath: media + "diagram.svg")!))
                    == ImageInfo(format: .svg, width: 120, height: 80))
        let sized = Array("<svg xmlns='http://www.w3.org/2000/svg' width=\"300px\" height='200'></svg>".utf8)
        #expect(try ImageInfo.svg(sized) == ImageInfo(format: .svg, width: 300, height: 200))
        #expect(throws: MediaError.self) { try ImageInfo.svg(Array("<svg viewBox='0 0 1 1'><script>x</script></svg>".utf8)) }
        #expect(throws: MediaError.self) { try RasterImage.inspect(Array("not a png".utf8)) }
        #expect(throws: MediaError.self) { try RasterImage.inspect([0xFF, 0xD8, 0xFF, 0xD9]) }
    }

    @Test func suggestionsCatchTyposOnly() {
        #expect(Suggestions.closest(to: "titel", in: ["title", "summary"]) == "title")
        #expect(Suggestions.closest(to: "higlight", in: ["highlight", "eras"]) == "highlight")
        #expect(Suggestions.closest(to: "colour", in: ["id", "title", "languages"]) == nil)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
    }

    @Test func gzipIsReproducible() {
        let text = Array(String(repeating: "timeline ", count: 200).utf8)
        let a = Gzip.compress(text), b = Gzip.compress(text)
        #expect(a == b)
        #expect(a.starts(with: [0x1F, 0x8B, 8]))
        #expect(a[4..<8].allSatisfy { $0 == 0 })  // mtime 0
        #expect(a.count < text.count / 10)
    }

    @Test func contentHashCoversPathsAndBytes() {
        func hash(_ files: [String: [UInt8]]) -> String { Builder.contentHash(files.mapValues(InputDigest.init)) }
        let a = hash(["x": [1, 2], "y": [3]])
        #expect(a == hash(["y": [3], "x": [1, 2]]))
        #expect(a != hash(["x": [1], "y": [2, 3]]))
        #expect(a != hash(["z": [1, 2], "y": [3]]))
    }
}
