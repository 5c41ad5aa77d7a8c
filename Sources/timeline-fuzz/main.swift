// Coverage-guided fuzzing of the request path and the exhibit loader (`make fuzz`).
//
// Built normally it replays inputs: `timeline-fuzz request|exhibit FILE…` runs each once
// (the kept corpus in Tests/Fuzz, as a regression test). Built with `-sanitize=fuzzer
// -DFUZZING` it is a libFuzzer binary; TIMELINE_FUZZ chooses the target and
// TIMELINE_FUZZ_SNAPSHOT the snapshot the request target serves.
#if canImport(Glibc)
import Glibc
#endif
import TimelineBuilder
import TimelineServer

enum Target: String {
    case request, exhibit
}

nonisolated(unsafe) var responder: Responder?

func run(_ target: Target, _ bytes: [UInt8]) {
    switch target {
    case .request:
        if responder == nil {
            guard let path = getenv("TIMELINE_FUZZ_SNAPSHOT").map({ String(cString: $0) }) else {
                fatalError("set TIMELINE_FUZZ_SNAPSHOT to a snapshot for the request target")
            }
            responder = Responder(site: try! Site(path: path), log: Log(journal: false))
        }
        RequestFuzzing.run(bytes, responder: responder!)
    case .exhibit:
        for diagnostic in ExhibitLoader.checkEventFile(bytes) {
            precondition(diagnostic.position.line >= 1 && diagnostic.position.column >= 1, "\(diagnostic)")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let name = getenv("TIMELINE_FUZZ").map { String(cString: $0) } ?? "request"
    run(Target(rawValue: name) ?? .request, Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
let arguments = Array(CommandLine.arguments.dropFirst())
guard let first = arguments.first, let target = Target(rawValue: first) else {
    print("usage: timeline-fuzz request|exhibit FILE…")
    exit(64)
}
var count = 0
for file in arguments.dropFirst() {
    guard let handle = fopen(file, "rb") else { continue }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, handle)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    fclose(handle)
    run(target, bytes)
    count += 1
}
print("\(target.rawValue): \(count) inputs, no crash")
#endif
