/// The order of events on the timeline, which the curator can steer.
///
/// Events go by date: their `sort` date when they have one (a year-precision event the
/// curator knows came after March), else their own. At the same key a dated event comes
/// before an approximate one, then the shorter span, then the id, so the order never depends
/// on the file system. An event with `after: ID` is taken out of that order and placed right
/// behind event ID (several followers of one event keep the date order among themselves).
enum EventOrder {
    /// A sort key: start day (or the sort date's), approximate last, shorter first, then id.
    static func key(_ event: Event) -> (Int64, Int, Int64, String) {
        ((event.sort ?? event.start).startKey, event.circa ? 1 : 0, event.end?.endKey ?? event.start.endKey, event.id)
    }

    static func precedes(_ a: Event, _ b: Event) -> Bool { key(a) < key(b) }

    /// Checks `sort` and `after` and returns the events in timeline order. `after` values are
    /// assumed to name existing events other than themselves (`check` reports those that do
    /// not); an event in a cycle is reported and placed by its own date.
    static func order(_ events: [Event], afterPositions: [String: SourcePosition],
                      diagnostics: Diagnostics) -> [Event] {
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var followers: [String: [Event]] = [:]
        var roots: [Event] = []
        for event in events {
            if let anchor = event.after, byID[anchor] != nil, anchor != event.id {
                followers[anchor, default: []].append(event)
            } else {
                roots.append(event)
            }
        }
        var ordered: [Event] = []
        var placed = Set<String>()
        func visit(_ event: Event) {
            guard placed.insert(event.id).inserted else { return }
            ordered.append(event)
            for follower in (followers[event.id] ?? []).sorted(by: precedes) { visit(follower) }
        }
        for root in roots.sorted(by: precedes) { visit(root) }

        // What is left follows an event that (through a chain) follows it: a cycle.
        var left = events.filter { !placed.contains($0.id) }.sorted(by: precedes)
        var reported = Set<String>()
        for event in left where !reported.contains(event.id) {
            var chain = [event.id], next = event.after
            while let id = next, !chain.contains(id) {
                chain.append(id)
                next = byID[id]?.after
            }
            let cycle = next.flatMap { start in chain.firstIndex(of: start).map { Array(chain[$0...]) } } ?? chain
            guard !cycle.contains(where: reported.contains) else { continue }
            reported.formUnion(cycle)
            let first = cycle.min()!
            let rotated = Array(cycle[cycle.firstIndex(of: first)!...] + cycle[..<cycle.firstIndex(of: first)!])
            let description = (rotated + [first]).map { "'\($0)'" }.joined(separator: " → ")
            diagnostics.error(afterPositions[first] ?? .file(byID[first]!.path),
                              "events follow each other in a circle (\(description)); remove one 'after'")
        }
        // Placed anyway (by date), so every event is still shown once.
        left.sort(by: precedes)
        for event in left where placed.insert(event.id).inserted {
            let index = ordered.firstIndex { precedes(event, $0) } ?? ordered.count
            ordered.insert(event, at: index)
        }
        return ordered
    }
}
