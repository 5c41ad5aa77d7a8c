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
/// libFuzzer's driver (`LLVMFuzzerRunDriver`, in the runtime -sanitize=fuzzer links).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM names an executable's entry `<module>_main` and aliases `main` to it: here it
/// hands the command line to libFuzzer.
@_cdecl("timeline_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in
        guard let data else { return 0 }
        return fuzzOne(data, size)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let name = getenv("TIMELINE_FUZZ").map { String(cString: $0) } ?? "request"
    run(Target(rawValue: name) ?? .request, Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
