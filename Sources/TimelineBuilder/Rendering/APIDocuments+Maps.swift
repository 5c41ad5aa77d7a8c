/// The maps in `/api/exhibit`, for a map view drawn in the browser.
///
/// ```json
/// "maps": [
///   {"id": "main", "inset": false, "title": {"en": "", "ar": ""},
///    "image": "/media/iraq-map.3f2a1b9c0d.svg", "width": 1050, "height": 930,
///    "alt": {"en": "…", "ar": "…"}, "credit": {"en": "…", "ar": "…"},
///    "bounds": {"west": 38.5, "east": 49.0, "north": 37.8, "south": 28.5},
///    "pins": [{"place": "basra", "x": 0.8841, "y": 0.7841}, …]},
///   {"id": "baghdad", "inset": true, "title": {"en": "Baghdad", …}, …}
/// ]
/// ```
///
/// `x` and `y` are fractions of the image's width and height from its top left corner, the
/// same numbers the exhibit stylesheet writes as `.pin-PLACE { left: …; top: … }`. A place is
/// pinned on one map at most; places in `/api/exhibit` say which (`"pin": true, "map": "baghdad"`);
/// a region or a place with `pin: false` has `"pin": false`, no `map`, and maybe no `latitude`.
extension APIDocuments {
    struct MapJSON: Encodable {
        struct Bounds: Encodable {
            let west, east, north, south: Double
        }
        struct Pin: Encodable {
            let place: String
            let x, y: Double
        }
        let id: String
        let inset: Bool
        let title, alt, credit: [String: String]
        let image: String
        let width, height: Int
        let bounds: Bounds
        let pins: [Pin]
    }

    func mapDocuments() -> [MapJSON] {
        exhibit.maps.map { map in
            let size = renderer.mediaSizes[map.file]
            return MapJSON(
                id: map.id, inset: map.isInset, title: localized(map.title), alt: localized(map.alt),
                credit: localized(map.credit), image: renderer.mediaURLs[map.file] ?? "",
                width: size?.width ?? 0, height: size?.height ?? 0,
                bounds: .init(west: map.west, east: map.east, north: map.north, south: map.south),
                pins: exhibit.pinnedPlaces(on: map.id).compactMap { place in
                    exhibit.pinPosition(for: place).map { MapJSON.Pin(place: place.id, x: Self.rounded($0.x), y: Self.rounded($0.y)) }
                })
        }
    }

    /// Four decimals: a tenth of a pixel on a 1000-pixel map, and stable bytes.
    static func rounded(_ fraction: Double) -> Double { (fraction * 10_000).rounded() / 10_000 }
}
