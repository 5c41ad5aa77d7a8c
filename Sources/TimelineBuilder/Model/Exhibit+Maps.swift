/// Which map a place is pinned on, and where.
///
/// A place with coordinates and `pin` (the default) is pinned on exactly one map: the inset
/// its `map` names, else the main map when it lies inside the main map's edges. A region
/// without coordinates, or a place with `pin: false`, has no pin anywhere. One map per place
/// keeps the stylesheet's `.pin-ID` classes unambiguous.
extension Exhibit {
    /// The main map, then the insets.
    public var maps: [ExhibitMap] { (map.map { [$0] } ?? []) + insets }

    /// The map the place is pinned on, or nil when it has no pin.
    public func pinMap(for place: Place) -> ExhibitMap? {
        guard place.pin, let at = place.coordinates else { return nil }
        let chosen = place.map.flatMap { id in insets.first { $0.id == id } } ?? (place.map == nil ? map : nil)
        guard let chosen, chosen.position(latitude: at.latitude, longitude: at.longitude) != nil else { return nil }
        return chosen
    }

    /// The pin's position on `pinMap(for:)`, as fractions of its width and height.
    public func pinPosition(for place: Place) -> (x: Double, y: Double)? {
        guard let map = pinMap(for: place), let at = place.coordinates else { return nil }
        return map.position(latitude: at.latitude, longitude: at.longitude)
    }

    /// The places pinned on the map with this id, in the order written.
    public func pinnedPlaces(on mapID: String) -> [Place] {
        places.filter { pinMap(for: $0)?.id == mapID }
    }
}
