#include <zlib.h>

/// deflateInit2 is a macro; this gives Swift a function. windowBits 31 asks for a gzip
/// wrapper whose header carries no name and mtime 0, so the bytes are reproducible.
static inline int czlib_gzip_init(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
}
