import Foundation

// MARK: - media/

extension ExhibitLoader {
    /// Each medium named by an event or a map, read once and checked.
    func loadMedia(_ uses: [Located<MediaUse>], _ files: InputFiles) -> [String: MediaFile] {
        let diagnostics = files.diagnostics
        var media: [String: MediaFile] = [:]
        for use in uses {
            let file = use.value.file
            if media[file] != nil { continue }
            guard Self.isSafeRelativePath(file) else {
                diagnostics.error(use.position, "media file '\(file)' must be a path inside the exhibit folder")
                continue
            }
            let ext = (file as NSString).pathExtension
            guard let format = ImageInfo.Format(fileExtension: ext) else {
                diagnostics.error(use.position, "media file '\(file)' is not JPEG, PNG, WebP or SVG")
                continue
            }
            var refused = false
            let read = files.bytes(file, limit: limits.mediaFileBytes, option: "--max-media-mb") {
                diagnostics.error(use.position, "media file '\(file)': \($0)")
                refused = true
            }
            guard let bytes = read else {
                if !refused { diagnostics.error(use.position, "media file '\(file)' not found in \(root)") }
                continue
            }
            do {
                let info = try ImageInfo.read(bytes, as: format)
                media[file] = MediaFile(path: file, bytes: bytes, info: info)
            } catch {
                diagnostics.error(use.position, "media file '\(file)': \(error)")
            }
        }
        return media
    }
}
