#ifndef METARENDERSHIMS_H
#define METARENDERSHIMS_H

#include <stddef.h>

/// Outcomes of `metarender_svg`.
enum {
    METARENDER_OK = 0,
    /// librsvg or cairo could not be loaded at run time (not installed).
    METARENDER_LIBRARY_MISSING = 1,
    /// librsvg rejected the SVG.
    METARENDER_INVALID_SVG = 2,
    /// cairo or librsvg failed while drawing or encoding.
    METARENDER_RENDER_FAILED = 3,
};

enum {
    METARENDER_PDF = 0,
    METARENDER_PNG = 1,
};

/// Renders an SVG document (UTF-8, `svg_length` bytes) with librsvg onto a cairo PDF page of `width` × `height`
/// points, or a PNG of `width` × `height` pixels, scaled uniformly from the SVG's own size. The encoded bytes are
/// returned in `*output` (free with `metarender_free`); on failure a sentence goes into `message`.
/// librsvg 2 and cairo are loaded with dlopen on first use, so the package builds and runs without them.
/// `library_names` is NULL for the system's libraries, or four sonames (librsvg, cairo, gobject, glib) loaded for
/// this call only (tests name a library that is not installed to see the missing-library sentence).
int metarender_svg(const char *svg, size_t svg_length, int format, double width, double height,
                   const char *const *library_names,
                   unsigned char **output, size_t *output_length, char *message, size_t message_capacity);

/// The SVG's intrinsic size in CSS pixels (1/96 inch), as librsvg reads it.
int metarender_svg_size(const char *svg, size_t svg_length, double *width, double *height,
                        const char *const *library_names, char *message, size_t message_capacity);

void metarender_free(unsigned char *bytes);

#endif
