#include <vips/vips.h>
#include <malloc.h>

/* libvips's operations take their optional arguments as NULL-terminated varargs, which
   Swift cannot call; these wrappers fix the arguments the builder uses. Builder only: the
   kiosk's server never links libvips. */

static void cvips_quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {}

/// Starts libvips once: no operation cache (each source is read once), only the loaders
/// libvips counts as safe for untrusted files, and no warnings on stderr (a failure is
/// reported through the error buffer, on the curator's file).
static inline int cvips_start(const char *argv0) {
    /* glibc gives each thread that mallocs an arena of its own; with libvips's worker
       threads the builder held a gigabyte for six photographs (measured), 630 MB with two. */
    mallopt(M_ARENA_MAX, 2);
    if (VIPS_INIT(argv0)) return -1;
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, cvips_quiet, NULL);
    vips_cache_set_max(0);
    vips_block_untrusted_set(TRUE);
    return 0;
}

/// The name of the loader that would read these bytes ("jpegload_buffer", …), or NULL.
static inline const char *cvips_loader(const void *buf, size_t len) {
    return vips_foreign_find_load_buffer(buf, len);
}

/// The image's header only: pixels are decoded when something asks for them. `buf` must
/// outlive the image.
static inline VipsImage *cvips_header(const void *buf, size_t len) {
    return vips_image_new_from_buffer(buf, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

/// EXIF orientation 1–8 (1 when the file has none).
static inline int cvips_orientation(VipsImage *image) {
    int orientation = 1;
    if (vips_image_get_typeof(image, VIPS_META_ORIENTATION) &&
        vips_image_get_int(image, VIPS_META_ORIENTATION, &orientation)) orientation = 1;
    return orientation;
}

/// Decodes `buf` shrunk to `width` pixels wide (never enlarged), turned upright by its EXIF
/// orientation, in sRGB, fully in memory, failing on a damaged file.
static inline VipsImage *cvips_upright(const void *buf, size_t len, int width) {
    VipsImage *lazy = NULL;
    if (vips_thumbnail_buffer((void *)buf, len, &lazy, width, "height", VIPS_MAX_COORD,
                              "size", VIPS_SIZE_DOWN, "export_profile", "srgb",
                              /* the loader's own option: thumbnail's fail_on does not stop a
                                 JPEG cut short (8.14), which would come out half grey */
                              "option_string", "fail_on=truncated", NULL)) return NULL;
    VipsImage *memory = vips_image_copy_memory(lazy);
    g_object_unref(lazy);
    if (!memory) return NULL;
    /* Drop every metadata field (EXIF with GPS, XMP, IPTC, ICC): savers differ in what
       their `strip` option removes, so nothing is left for them to write. */
    VipsImage *bare = NULL;
    if (vips_copy(memory, &bare, NULL)) { g_object_unref(memory); return NULL; }
    g_object_unref(memory);
    gchar **fields = vips_image_get_fields(bare);
    for (int i = 0; fields[i]; i++) vips_image_remove(bare, fields[i]);
    g_strfreev(fields);
    return bare;
}

/// `image` resized to `width` pixels wide, in memory: each format is encoded from it, and a
/// lazy image would be resized again for every one.
static inline VipsImage *cvips_resize(VipsImage *image, int width) {
    VipsImage *lazy = NULL;
    if (vips_thumbnail_image(image, &lazy, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN,
                             "no_rotate", TRUE, NULL)) return NULL;
    VipsImage *memory = vips_image_copy_memory(lazy);
    g_object_unref(lazy);
    return memory;
}

/// Alpha flattened onto an sRGB background (JPEG has no transparency); the image itself
/// with a new reference when it has no alpha.
static inline VipsImage *cvips_flatten(VipsImage *image, double r, double g, double b) {
    VipsImage *out = NULL;
    if (!vips_image_hasalpha(image)) { g_object_ref(image); return image; }
    VipsArrayDouble *background = vips_array_double_newv(3, r, g, b);
    int failed = vips_flatten(image, &out, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return failed ? NULL : out;
}

/// Encoders: every one strips metadata (EXIF, GPS, XMP, ICC: the pixels are sRGB already).
static inline int cvips_jpeg(VipsImage *image, int quality, void **buf, size_t *len) {
    return vips_jpegsave_buffer(image, buf, len, "Q", quality, "strip", TRUE, "optimize_coding", TRUE,
                                "interlace", TRUE, NULL);
}

static inline int cvips_webp(VipsImage *image, int quality, void **buf, size_t *len) {
    return vips_webpsave_buffer(image, buf, len, "Q", quality, "strip", TRUE, "effort", 4, NULL);
}

static inline int cvips_avif(VipsImage *image, int quality, int effort, void **buf, size_t *len) {
    return vips_heifsave_buffer(image, buf, len, "Q", quality, "strip", TRUE,
                                "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "effort", effort, NULL);
}

/// A black image, for probing what the encoders can do.
static inline VipsImage *cvips_black(int width, int height, int bands) {
    VipsImage *out = NULL;
    return vips_black(&out, width, height, "bands", bands, NULL) ? NULL : out;
}

/// The values of one pixel (up to 4 bands), for tests that look at what was made.
static inline int cvips_pixel(const void *buf, size_t len, int x, int y, double *values, int *bands) {
    VipsImage *image = vips_image_new_from_buffer(buf, len, "", NULL);
    if (!image) return -1;
    double *vector = NULL;
    int n = 0;
    int failed = vips_getpoint(image, &vector, &n, x, y, NULL);
    g_object_unref(image);
    if (failed) return -1;
    for (int i = 0; i < n && i < 4; i++) values[i] = vector[i];
    *bands = n;
    g_free(vector);
    return 0;
}

/// Hands freed memory back to the system between batches of photographs.
static inline void cvips_release_memory(void) { malloc_trim(0); }
