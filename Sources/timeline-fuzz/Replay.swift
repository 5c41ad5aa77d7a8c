#if canImport(Glibc)
import Glibc
#endif

#if !FUZZING
/// Replays inputs once each: `timeline-fuzz request|exhibit FILE…` (not built with FUZZING,
/// where libFuzzer provides `main`).
@main
struct Replay {
    static func main() {
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
    }
}
#endif
