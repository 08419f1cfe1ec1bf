// libjpeg-turbo shim: setjmp-guarded decode/encode that never exits and never prints.
// jpeglib.h needs size_t and FILE declared before it is included.
#include <stddef.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

#include "cjpeg_shim.h"

// ---------------------------------------------------------------------------------------------
// Error handling shared by decoder and encoder.

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int strict;
    bc_jpeg_report *report;
    bc_jpeg_status failure;
    int saw_premature_end;
} bc_error_mgr;

static void bc_copy_message(j_common_ptr cinfo, char *destination) {
    char text[JMSG_LENGTH_MAX];
    text[0] = '\0';
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(destination, BC_JPEG_MESSAGE_LENGTH, "%s", text);
}

static bc_jpeg_status bc_classify_error(int code, int saw_premature_end) {
    switch (code) {
    case JERR_INPUT_EMPTY:
    case JERR_INPUT_EOF:
        return BC_JPEG_TRUNCATED;
    case JERR_NO_SOI:
        return BC_JPEG_NOT_JPEG;
    case JERR_OUT_OF_MEMORY:
        return BC_JPEG_OUT_OF_MEMORY;
    case JERR_BAD_PRECISION:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_NOT_COMPILED:
    case JERR_NOTIMPL:
        return BC_JPEG_UNSUPPORTED;
    case JERR_IMAGE_TOO_BIG:
        return BC_JPEG_TOO_LARGE;
    default:
        // jpeg_mem_src answers running out of data with a warning and a fake EOI; the fatal error
        // that follows ("no image", "bogus marker length"…) is a symptom of the truncation.
        return saw_premature_end ? BC_JPEG_TRUNCATED : BC_JPEG_CORRUPT;
    }
}

// Replaces libjpeg's error_exit, which would call exit().
static void bc_error_exit(j_common_ptr cinfo) {
    bc_error_mgr *err = (bc_error_mgr *)cinfo->err;
    if (err->report != NULL) {
        err->report->message_code = err->pub.msg_code;
        bc_copy_message(cinfo, err->report->message);
    }
    err->failure = bc_classify_error(err->pub.msg_code, err->saw_premature_end);
    longjmp(err->jump, 1);
}

// Replaces emit_message: warnings are counted and, in strict mode, become failures; trace
// messages are dropped. Nothing is printed.
static void bc_emit_message(j_common_ptr cinfo, int level) {
    bc_error_mgr *err = (bc_error_mgr *)cinfo->err;
    if (level >= 0) return;
    err->pub.num_warnings++;
    if (err->pub.msg_code == JWRN_JPEG_EOF) err->saw_premature_end = 1;
    if (err->report != NULL) {
        if (err->report->warning_count == 0) {
            bc_copy_message(cinfo, err->report->first_warning);
            err->report->message_code = err->pub.msg_code;
        }
        err->report->warning_count++;
    }
    if (err->strict) {
        if (err->report != NULL) bc_copy_message(cinfo, err->report->message);
        err->failure = err->pub.msg_code == JWRN_JPEG_EOF ? BC_JPEG_TRUNCATED : BC_JPEG_CORRUPT;
        longjmp(err->jump, 1);
    }
}

static void bc_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void bc_error_init(bc_error_mgr *err) {
    memset(err, 0, sizeof(*err));
    jpeg_std_error(&err->pub);
    err->pub.error_exit = bc_error_exit;
    err->pub.emit_message = bc_emit_message;
    err->pub.output_message = bc_output_message;
}

static void bc_report_reset(bc_jpeg_report *report) {
    memset(report, 0, sizeof(*report));
    report->message_code = -1;
}

static void bc_report_fail(bc_jpeg_report *report, const char *text) {
    if (report == NULL) return;
    snprintf(report->message, BC_JPEG_MESSAGE_LENGTH, "%s", text);
}

// ---------------------------------------------------------------------------------------------
// Decoder.

struct bc_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    bc_error_mgr err;
    struct jpeg_progress_mgr progress;
    int max_scans;
    int started;
    const uint8_t *input;
    size_t input_length;
};

// Progressive files are decoded scan by scan inside jpeg_start_decompress; a crafted file with
// thousands of tiny scans costs minutes of CPU. The progress hook sees each scan and stops it.
static void bc_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    bc_jpeg_decoder *decoder = (bc_jpeg_decoder *)((char *)cinfo - offsetof(bc_jpeg_decoder, cinfo));
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (decoder->max_scans > 0 && dinfo->input_scan_number > decoder->max_scans) {
        if (decoder->err.report != NULL) {
            snprintf(decoder->err.report->message, BC_JPEG_MESSAGE_LENGTH,
                     "Progressive JPEG has more than %d scans", decoder->max_scans);
        }
        decoder->err.failure = BC_JPEG_TOO_MANY_SCANS;
        longjmp(decoder->err.jump, 1);
    }
}

static uint64_t bc_input_offset(bc_jpeg_decoder *decoder) {
    if (decoder->err.saw_premature_end) return decoder->input_length;
    struct jpeg_source_mgr *src = decoder->cinfo.src;
    if (src == NULL || src->next_input_byte == NULL) return 0;
    const uint8_t *next = src->next_input_byte;
    if (next < decoder->input || next > decoder->input + decoder->input_length) return decoder->input_length;
    return (uint64_t)(next - decoder->input);
}

bc_jpeg_decoder *bc_jpeg_decoder_create(void) {
    bc_jpeg_decoder *decoder = calloc(1, sizeof(bc_jpeg_decoder));
    if (decoder == NULL) return NULL;
    bc_error_init(&decoder->err);
    decoder->cinfo.err = &decoder->err.pub;
    if (setjmp(decoder->err.jump)) {
        // jpeg_create_decompress fails only when its first allocation fails.
        free(decoder);
        return NULL;
    }
    jpeg_create_decompress(&decoder->cinfo);
    decoder->progress.progress_monitor = bc_progress;
    return decoder;
}

void bc_jpeg_decoder_destroy(bc_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder);
}

void bc_jpeg_decode_abort(bc_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    jpeg_abort_decompress(&decoder->cinfo);
    decoder->started = 0;
    decoder->err.report = NULL;
}

bc_jpeg_status bc_jpeg_decode_start(bc_jpeg_decoder *decoder, const uint8_t *data, size_t length,
                                    int output_components, uint64_t max_pixels, int max_scans,
                                    int strict, bc_jpeg_report *report) {
    if (report == NULL) return BC_JPEG_INVALID_ARGUMENT;
    bc_report_reset(report);
    if (decoder == NULL || data == NULL ||
        (output_components != 0 && output_components != 1 && output_components != 3)) {
        bc_report_fail(report, "invalid decoder argument");
        return BC_JPEG_INVALID_ARGUMENT;
    }
    if (length == 0) {
        bc_report_fail(report, "Empty input");
        return BC_JPEG_TRUNCATED;
    }
    if (decoder->started) jpeg_abort_decompress(&decoder->cinfo);
    decoder->started = 0;
    decoder->err.report = report;
    decoder->err.strict = strict;
    decoder->err.failure = BC_JPEG_OK;
    decoder->err.saw_premature_end = 0;
    decoder->err.pub.num_warnings = 0;
    decoder->max_scans = max_scans;
    decoder->input = data;
    decoder->input_length = length;
    j_decompress_ptr cinfo = &decoder->cinfo;

    if (setjmp(decoder->err.jump)) {
        report->input_offset = bc_input_offset(decoder);
        jpeg_abort_decompress(cinfo);
        decoder->err.report = NULL;
        return decoder->err.failure == BC_JPEG_OK ? BC_JPEG_CORRUPT : decoder->err.failure;
    }

    // jpeg_mem_src takes a non-const pointer in older headers but never writes through it.
    jpeg_mem_src(cinfo, (unsigned char *)data, (unsigned long)length);
    cinfo->progress = &decoder->progress;
    (void)jpeg_read_header(cinfo, TRUE);
    report->image_width = cinfo->image_width;
    report->image_height = cinfo->image_height;
    report->stored_components = cinfo->num_components;

    uint64_t pixels = (uint64_t)cinfo->image_width * (uint64_t)cinfo->image_height;
    if (max_pixels > 0 && pixels > max_pixels) {
        snprintf(report->message, BC_JPEG_MESSAGE_LENGTH,
                 "JPEG claims %ux%u = %llu pixels, more than the cap of %llu",
                 cinfo->image_width, cinfo->image_height, (unsigned long long)pixels,
                 (unsigned long long)max_pixels);
        report->input_offset = bc_input_offset(decoder);
        jpeg_abort_decompress(cinfo);
        decoder->err.report = NULL;
        return BC_JPEG_TOO_LARGE;
    }

    int want = output_components;
    if (want == 0) want = cinfo->jpeg_color_space == JCS_GRAYSCALE ? 1 : 3;
    cinfo->out_color_space = want == 1 ? JCS_GRAYSCALE : JCS_RGB;

    (void)jpeg_start_decompress(cinfo);
    decoder->started = 1;
    report->output_width = cinfo->output_width;
    report->output_height = cinfo->output_height;
    report->output_components = cinfo->output_components;
    return BC_JPEG_OK;
}

bc_jpeg_status bc_jpeg_decode_finish(bc_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity,
                                     size_t row_stride, bc_jpeg_report *report) {
    if (decoder == NULL || report == NULL) return BC_JPEG_INVALID_ARGUMENT;
    if (!decoder->started) {
        bc_report_fail(report, "bc_jpeg_decode_finish without a started decode");
        return BC_JPEG_BAD_STATE;
    }
    j_decompress_ptr cinfo = &decoder->cinfo;
    size_t row_bytes = (size_t)cinfo->output_width * (size_t)cinfo->output_components;
    if (pixels == NULL || row_stride < row_bytes || cinfo->output_height == 0 ||
        capacity < row_stride * ((size_t)cinfo->output_height - 1) + row_bytes) {
        bc_report_fail(report, "output buffer too small for the image");
        bc_jpeg_decode_abort(decoder);
        return BC_JPEG_INVALID_ARGUMENT;
    }
    decoder->err.report = report;

    if (setjmp(decoder->err.jump)) {
        report->input_offset = bc_input_offset(decoder);
        jpeg_abort_decompress(cinfo);
        decoder->started = 0;
        decoder->err.report = NULL;
        return decoder->err.failure == BC_JPEG_OK ? BC_JPEG_CORRUPT : decoder->err.failure;
    }

    enum { batch = 16 };
    JSAMPROW rows[batch];
    while (cinfo->output_scanline < cinfo->output_height) {
        JDIMENSION first = cinfo->output_scanline;
        JDIMENSION count = cinfo->output_height - first;
        if (count > batch) count = batch;
        for (JDIMENSION index = 0; index < count; index++) {
            rows[index] = pixels + (size_t)(first + index) * row_stride;
        }
        JDIMENSION read = jpeg_read_scanlines(cinfo, rows, count);
        if (read == 0) {
            // A memory source never suspends; no progress means the decoder is stuck.
            snprintf(report->message, BC_JPEG_MESSAGE_LENGTH, "decoder made no progress at row %u", first);
            report->input_offset = bc_input_offset(decoder);
            jpeg_abort_decompress(cinfo);
            decoder->started = 0;
            decoder->err.report = NULL;
            return BC_JPEG_CORRUPT;
        }
    }
    (void)jpeg_finish_decompress(cinfo);
    report->input_offset = bc_input_offset(decoder);
    decoder->started = 0;
    decoder->err.report = NULL;
    return BC_JPEG_OK;
}

// ---------------------------------------------------------------------------------------------
// Encoder with a growing malloc'd destination that the shim owns until success, so an error
// midway frees it instead of leaking (jpeg_mem_dest's buffer is not reachable after an error).

typedef struct {
    struct jpeg_destination_mgr pub;
    uint8_t *buffer;
    size_t capacity;
    size_t length;
} bc_dest_mgr;

static void bc_dest_init(j_compress_ptr cinfo) {
    bc_dest_mgr *dest = (bc_dest_mgr *)cinfo->dest;
    dest->pub.next_output_byte = dest->buffer;
    dest->pub.free_in_buffer = dest->capacity;
}

static boolean bc_dest_empty(j_compress_ptr cinfo) {
    bc_dest_mgr *dest = (bc_dest_mgr *)cinfo->dest;
    // empty_output_buffer means the whole buffer is full, whatever free_in_buffer says.
    size_t used = dest->capacity;
    size_t bigger = dest->capacity * 2;
    uint8_t *grown = bigger > dest->capacity ? realloc(dest->buffer, bigger) : NULL;
    if (grown == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
    dest->buffer = grown;
    dest->capacity = bigger;
    dest->pub.next_output_byte = grown + used;
    dest->pub.free_in_buffer = bigger - used;
    return TRUE;
}

static void bc_dest_term(j_compress_ptr cinfo) {
    bc_dest_mgr *dest = (bc_dest_mgr *)cinfo->dest;
    dest->length = dest->capacity - dest->pub.free_in_buffer;
}

typedef struct {
    struct jpeg_compress_struct cinfo;
    bc_error_mgr err;
    bc_dest_mgr dest;
} bc_encoder;

bc_jpeg_status bc_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int components,
                              size_t row_stride, int quality, int chroma_subsampling,
                              int optimize_huffman, int progressive, uint8_t **output,
                              size_t *output_length, bc_jpeg_report *report) {
    if (report == NULL) return BC_JPEG_INVALID_ARGUMENT;
    bc_report_reset(report);
    if (output == NULL || output_length == NULL) return BC_JPEG_INVALID_ARGUMENT;
    *output = NULL;
    *output_length = 0;
    if (pixels == NULL || width == 0 || height == 0 || width > JPEG_MAX_DIMENSION ||
        height > JPEG_MAX_DIMENSION || (components != 1 && components != 3) ||
        row_stride < (size_t)width * (size_t)components || quality < 1 || quality > 100 ||
        (chroma_subsampling != 420 && chroma_subsampling != 422 && chroma_subsampling != 444)) {
        bc_report_fail(report,
                       "invalid encoder argument (size 1-65500, 1 or 3 components, quality 1-100, "
                       "subsampling 420/422/444)");
        return BC_JPEG_INVALID_ARGUMENT;
    }

    // Everything libjpeg touches lives on the heap behind a pointer that is not modified after
    // setjmp, so its contents are well defined after a longjmp.
    bc_encoder *encoder = calloc(1, sizeof(bc_encoder));
    if (encoder == NULL) {
        bc_report_fail(report, "could not allocate the encoder");
        return BC_JPEG_OUT_OF_MEMORY;
    }
    bc_error_init(&encoder->err);
    encoder->err.report = report;
    encoder->cinfo.err = &encoder->err.pub;

    // A first guess that fits most images at ordinary qualities; the buffer doubles when needed.
    size_t guess = (size_t)width * (size_t)height * (size_t)components / 4 + 4096;
    encoder->dest.buffer = malloc(guess);
    if (encoder->dest.buffer == NULL) {
        free(encoder);
        bc_report_fail(report, "could not allocate the output buffer");
        return BC_JPEG_OUT_OF_MEMORY;
    }
    encoder->dest.capacity = guess;
    encoder->dest.pub.init_destination = bc_dest_init;
    encoder->dest.pub.empty_output_buffer = bc_dest_empty;
    encoder->dest.pub.term_destination = bc_dest_term;

    if (setjmp(encoder->err.jump)) {
        bc_jpeg_status failure = encoder->err.failure == BC_JPEG_OK ? BC_JPEG_CORRUPT : encoder->err.failure;
        jpeg_destroy_compress(&encoder->cinfo);
        free(encoder->dest.buffer);
        free(encoder);
        return failure;
    }

    j_compress_ptr cinfo = &encoder->cinfo;
    jpeg_create_compress(cinfo);
    cinfo->dest = &encoder->dest.pub;
    cinfo->image_width = width;
    cinfo->image_height = height;
    cinfo->input_components = components;
    cinfo->in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    cinfo->optimize_coding = optimize_huffman ? TRUE : FALSE;
    if (components == 3) {
        cinfo->comp_info[0].h_samp_factor = chroma_subsampling == 444 ? 1 : 2;
        cinfo->comp_info[0].v_samp_factor = chroma_subsampling == 420 ? 2 : 1;
    }
    if (progressive) jpeg_simple_progression(cinfo);
    jpeg_start_compress(cinfo, TRUE);
    enum { batch = 16 };
    JSAMPROW rows[batch];
    while (cinfo->next_scanline < cinfo->image_height) {
        JDIMENSION first = cinfo->next_scanline;
        JDIMENSION count = cinfo->image_height - first;
        if (count > batch) count = batch;
        for (JDIMENSION index = 0; index < count; index++) {
            // libjpeg's API is not const-correct; it only reads the input rows.
            rows[index] = (JSAMPROW)(uintptr_t)(pixels + (size_t)(first + index) * row_stride);
        }
        (void)jpeg_write_scanlines(cinfo, rows, count);
    }
    jpeg_finish_compress(cinfo);
    jpeg_destroy_compress(cinfo);
    *output = encoder->dest.buffer;
    *output_length = encoder->dest.length;
    free(encoder);
    return BC_JPEG_OK;
}

void bc_jpeg_free(void *buffer) { free(buffer); }
