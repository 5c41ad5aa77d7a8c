import CZlib

/// gzip compression through zlib's `deflate`, reproducible (no name, mtime 0).
public enum Gzip {
    public static func compress(_ input: [UInt8], level: Int32 = 9) -> [UInt8] {
        var stream = z_stream()
        guard czlib_gzip_init(&stream, level) == Z_OK else { preconditionFailure("deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var input = input
        let rc = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(rc == Z_STREAM_END, "deflate did not finish: \(rc)")
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
