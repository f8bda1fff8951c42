// Runtime binding to librsvg 2 (>= 2.52) and cairo. Only the few entry points used are declared, with the types of
// their public headers (rsvg.h, cairo.h, glib's GError); the libraries are dlopen'ed so that building MetaSwift
// needs neither their headers nor the libraries themselves.
#include "metarendershims.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

typedef struct { unsigned int domain; int code; char *message; } GErrorShim;
typedef struct { double x, y, width, height; } RsvgRectangleShim;
typedef int cairo_status_shim;
typedef cairo_status_shim (*cairo_write_func_shim)(void *closure, const unsigned char *data, unsigned int length);

typedef struct {
    int loaded;
    void *(*rsvg_handle_new_from_data)(const unsigned char *data, size_t length, GErrorShim **error);
    int (*rsvg_handle_get_intrinsic_size_in_pixels)(void *handle, double *width, double *height);
    int (*rsvg_handle_render_document)(void *handle, void *cr, const RsvgRectangleShim *viewport, GErrorShim **error);
    void (*g_object_unref)(void *object);
    void (*g_error_free)(GErrorShim *error);
    void *(*cairo_pdf_surface_create_for_stream)(cairo_write_func_shim write, void *closure, double width, double height);
    void *(*cairo_image_surface_create)(int format, int width, int height);
    void *(*cairo_create)(void *surface);
    void (*cairo_destroy)(void *cr);
    void (*cairo_set_source_rgb)(void *cr, double r, double g, double b);
    void (*cairo_paint)(void *cr);
    void (*cairo_show_page)(void *cr);
    cairo_status_shim (*cairo_status)(void *cr);
    void (*cairo_surface_finish)(void *surface);
    cairo_status_shim (*cairo_surface_status)(void *surface);
    void (*cairo_surface_destroy)(void *surface);
    cairo_status_shim (*cairo_surface_write_to_png_stream)(void *surface, cairo_write_func_shim write, void *closure);
    char failure[256];
} Api;

/// The system's libraries, loaded once on first use.
static Api api;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void *open_first(const char *const *names) {
    for (; *names; names++) {
        void *handle = dlopen(*names, RTLD_NOW | RTLD_GLOBAL);
        if (handle) return handle;
    }
    return NULL;
}

#define BIND(library, name)                                                                                  \
    do {                                                                                                     \
        *(void **)(&api->name) = dlsym(library, #name);                                                      \
        if (!api->name) { snprintf(api->failure, sizeof api->failure, "the installed library lacks %s", #name); return; } \
    } while (0)

/// Loads the four libraries into `api`: the system's names when `names` is NULL, otherwise exactly
/// names[0..3] (librsvg, cairo, gobject, glib; used by tests to name a library that is not installed).
static void load_into(Api *api, const char *const *names) {
    static const char *const rsvg_names[] = {"librsvg-2.so.2", "librsvg-2.2.dylib", "librsvg-2.dylib", NULL};
    static const char *const cairo_names[] = {"libcairo.so.2", "libcairo.2.dylib", NULL};
    static const char *const gobject_names[] = {"libgobject-2.0.so.0", "libgobject-2.0.0.dylib", NULL};
    static const char *const glib_names[] = {"libglib-2.0.so.0", "libglib-2.0.0.dylib", NULL};
    const char *const one_rsvg[] = {names ? names[0] : NULL, NULL}, *const one_cairo[] = {names ? names[1] : NULL, NULL};
    const char *const one_gobject[] = {names ? names[2] : NULL, NULL}, *const one_glib[] = {names ? names[3] : NULL, NULL};
    void *rsvg = open_first(names ? one_rsvg : rsvg_names), *cairo = open_first(names ? one_cairo : cairo_names);
    void *gobject = open_first(names ? one_gobject : gobject_names), *glib = open_first(names ? one_glib : glib_names);
    if (!rsvg || !cairo || !gobject || !glib) {
        snprintf(api->failure, sizeof api->failure, "%s could not be loaded",
                 !rsvg ? (names ? names[0] : "librsvg-2.so.2") : !cairo ? (names ? names[1] : "libcairo.so.2")
                 : !gobject ? (names ? names[2] : "libgobject-2.0.so.0") : (names ? names[3] : "libglib-2.0.so.0"));
        return;
    }
    BIND(rsvg, rsvg_handle_new_from_data);
    BIND(rsvg, rsvg_handle_get_intrinsic_size_in_pixels);
    BIND(rsvg, rsvg_handle_render_document);
    BIND(gobject, g_object_unref);
    BIND(glib, g_error_free);
    BIND(cairo, cairo_pdf_surface_create_for_stream);
    BIND(cairo, cairo_image_surface_create);
    BIND(cairo, cairo_create);
    BIND(cairo, cairo_destroy);
    BIND(cairo, cairo_set_source_rgb);
    BIND(cairo, cairo_paint);
    BIND(cairo, cairo_show_page);
    BIND(cairo, cairo_status);
    BIND(cairo, cairo_surface_finish);
    BIND(cairo, cairo_surface_status);
    BIND(cairo, cairo_surface_destroy);
    BIND(cairo, cairo_surface_write_to_png_stream);
    api->loaded = 1;
}

static void load(void) { load_into(&api, NULL); }

/// The system's libraries (loaded once), or the named ones loaded for this call into `scratch`.
static Api *libraries(const char *const *names, Api *scratch) {
    if (!names) {
        pthread_once(&load_once, load);
        return &api;
    }
    memset(scratch, 0, sizeof *scratch);
    load_into(scratch, names);
    return scratch;
}

typedef struct { unsigned char *bytes; size_t length, capacity; int failed; } Buffer;

static cairo_status_shim append(void *closure, const unsigned char *data, unsigned int length) {
    Buffer *buffer = closure;
    if (buffer->length + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 65536;
        while (capacity < buffer->length + length) capacity *= 2;
        unsigned char *grown = realloc(buffer->bytes, capacity);
        if (!grown) { buffer->failed = 1; return 11; /* CAIRO_STATUS_WRITE_ERROR */ }
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->length, data, length);
    buffer->length += length;
    return 0;
}

static void say(char *message, size_t capacity, const char *text, const char *detail) {
    if (capacity) snprintf(message, capacity, "%s%s%s", text, detail ? ": " : "", detail ? detail : "");
}

static void *parse(Api *api, const char *svg, size_t svg_length, char *message, size_t capacity, int *status) {
    if (!api->loaded) { say(message, capacity, api->failure, NULL); *status = METARENDER_LIBRARY_MISSING; return NULL; }
    GErrorShim *error = NULL;
    void *handle = api->rsvg_handle_new_from_data((const unsigned char *)svg, svg_length, &error);
    if (!handle) {
        say(message, capacity, "librsvg could not read the SVG", error ? error->message : NULL);
        if (error) api->g_error_free(error);
        *status = METARENDER_INVALID_SVG;
    }
    return handle;
}

int metarender_svg_size(const char *svg, size_t svg_length, double *width, double *height, const char *const *library_names,
                        char *message, size_t capacity) {
    int status = METARENDER_OK;
    Api scratch, *api = libraries(library_names, &scratch);
    void *handle = parse(api, svg, svg_length, message, capacity, &status);
    if (!handle) return status;
    int known = api->rsvg_handle_get_intrinsic_size_in_pixels(handle, width, height);
    api->g_object_unref(handle);
    if (!known) { say(message, capacity, "the SVG has no width and height in absolute units", NULL); return METARENDER_INVALID_SVG; }
    return METARENDER_OK;
}

int metarender_svg(const char *svg, size_t svg_length, int format, double width, double height, const char *const *library_names,
                   unsigned char **output, size_t *output_length, char *message, size_t capacity) {
    *output = NULL;
    *output_length = 0;
    int status = METARENDER_OK;
    Api scratch, *api = libraries(library_names, &scratch);
    void *handle = parse(api, svg, svg_length, message, capacity, &status);
    if (!handle) return status;
    double svg_width = 0, svg_height = 0;
    if (!api->rsvg_handle_get_intrinsic_size_in_pixels(handle, &svg_width, &svg_height) || svg_width <= 0 || svg_height <= 0) {
        api->g_object_unref(handle);
        say(message, capacity, "the SVG has no width and height in absolute units", NULL);
        return METARENDER_INVALID_SVG;
    }
    Buffer buffer = {0};
    void *surface = format == METARENDER_PDF
        ? api->cairo_pdf_surface_create_for_stream(append, &buffer, width, height)
        : api->cairo_image_surface_create(0 /* CAIRO_FORMAT_ARGB32 */, (int)width, (int)height);
    void *cr = api->cairo_create(surface);
    if (format == METARENDER_PNG) {
        api->cairo_set_source_rgb(cr, 1, 1, 1);
        api->cairo_paint(cr);
    }
    // The whole page is the SVG's viewport; librsvg keeps the aspect ratio (xMidYMid meet).
    RsvgRectangleShim viewport = {0, 0, width, height};
    GErrorShim *error = NULL;
    int drawn = api->rsvg_handle_render_document(handle, cr, &viewport, &error);
    if (!drawn) {
        say(message, capacity, "librsvg could not draw the SVG", error ? error->message : NULL);
        if (error) api->g_error_free(error);
        status = METARENDER_RENDER_FAILED;
    }
    if (format == METARENDER_PDF) api->cairo_show_page(cr);
    if (status == METARENDER_OK && api->cairo_status(cr) != 0) {
        say(message, capacity, "cairo failed while drawing", NULL);
        status = METARENDER_RENDER_FAILED;
    }
    api->cairo_destroy(cr);
    if (format == METARENDER_PDF) {
        api->cairo_surface_finish(surface);
    } else if (status == METARENDER_OK && api->cairo_surface_write_to_png_stream(surface, append, &buffer) != 0) {
        say(message, capacity, "cairo could not encode the PNG", NULL);
        status = METARENDER_RENDER_FAILED;
    }
    if (status == METARENDER_OK && (api->cairo_surface_status(surface) != 0 || buffer.failed)) {
        say(message, capacity, "cairo failed while writing", NULL);
        status = METARENDER_RENDER_FAILED;
    }
    api->cairo_surface_destroy(surface);
    api->g_object_unref(handle);
    if (status != METARENDER_OK) { free(buffer.bytes); return status; }
    *output = buffer.bytes;
    *output_length = buffer.length;
    return METARENDER_OK;
}

void metarender_free(unsigned char *bytes) { free(bytes); }
