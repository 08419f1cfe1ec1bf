#ifndef BIOCAPTURE_CJPEG_SHIM_H
#define BIOCAPTURE_CJPEG_SHIM_H

/*
 * A small C shim over libjpeg-turbo (jpeglib.h) for the Imaging module.
 *
 * libjpeg reports fatal errors by calling error_exit(), whose default implementation calls exit().
 * Swift cannot survive a longjmp through its frames, so every libjpeg call is made from C inside a
 * setjmp() scope here, and failures come back to Swift as a status code plus a message.
 * No function in this file ever exits the process or prints.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome classes, stable so the Swift side can map them to error kinds.
typedef enum {
    BC_JPEG_OK = 0,
    /// Input ended before the image was complete (JERR_INPUT_EOF / JERR_INPUT_EMPTY, or the
    /// JWRN_JPEG_EOF warning in strict mode).
    BC_JPEG_TRUNCATED = 1,
    /// Malformed or damaged JPEG data (any other fatal error, or a corrupt-data warning in strict mode).
    BC_JPEG_CORRUPT = 2,
    /// The data does not start with an SOI marker (JERR_NO_SOI).
    BC_JPEG_NOT_JPEG = 3,
    /// width x height exceeds the caller's pixel cap (checked after jpeg_read_header, before any
    /// large allocation).
    BC_JPEG_TOO_LARGE = 4,
    /// Well-formed but using something this build cannot decode (12-bit precision, an unsupported
    /// colour conversion such as CMYK to RGB, a feature compiled out).
    BC_JPEG_UNSUPPORTED = 5,
    /// libjpeg could not allocate memory (JERR_OUT_OF_MEMORY) or the shim could not.
    BC_JPEG_OUT_OF_MEMORY = 6,
    /// The caller passed an invalid argument (size, component count, quality, buffer).
    BC_JPEG_INVALID_ARGUMENT = 7,
    /// A progressive image with more scans than the caller allows (a CPU-exhaustion guard).
    BC_JPEG_TOO_MANY_SCANS = 8,
    /// The functions were called out of order.
    BC_JPEG_BAD_STATE = 9
} bc_jpeg_status;

/// Length of the message buffers (libjpeg's JMSG_LENGTH_MAX is 200).
#define BC_JPEG_MESSAGE_LENGTH 200

/// What a decode call reports besides its status.
typedef struct {
    /// Size of the image as stored (after jpeg_read_header).
    uint32_t image_width;
    uint32_t image_height;
    /// Components stored in the file (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK).
    int32_t stored_components;
    /// Size and components of the pixels the decoder writes (after jpeg_start_decompress).
    uint32_t output_width;
    uint32_t output_height;
    int32_t output_components;
    /// Number of libjpeg warnings seen (corrupt data, premature end…).
    int32_t warning_count;
    /// libjpeg's message code of the error or first warning (J_MESSAGE_CODE), or -1.
    int32_t message_code;
    /// Offset in the input of the first byte libjpeg had not consumed when the error happened.
    uint64_t input_offset;
    /// Text of the fatal error (when status != BC_JPEG_OK).
    char message[BC_JPEG_MESSAGE_LENGTH];
    /// Text of the first warning (when warning_count > 0).
    char first_warning[BC_JPEG_MESSAGE_LENGTH];
} bc_jpeg_report;

/// An opaque decoder: a jpeg_decompress_struct with its error handler.
typedef struct bc_jpeg_decoder bc_jpeg_decoder;

/// Creates a decoder (jpeg_create_decompress). Returns NULL when memory is short.
bc_jpeg_decoder *bc_jpeg_decoder_create(void);

/// Destroys a decoder (jpeg_destroy_decompress). Accepts NULL.
void bc_jpeg_decoder_destroy(bc_jpeg_decoder *decoder);

/// Starts decoding `length` bytes at `data`, which must stay valid until bc_jpeg_decode_finish or
/// bc_jpeg_decode_abort: jpeg_mem_src + jpeg_read_header, pixel-cap check, then
/// jpeg_start_decompress with the requested output.
///
/// - output_components: 1 for grey (JCS_GRAYSCALE), 3 for RGB (JCS_EXT_RGB), 0 for "as stored"
///   (grey stays grey, everything else becomes RGB).
/// - max_pixels: refuse images whose stored width x height is larger (0 means no cap).
/// - max_scans: refuse progressive images with more scans (0 means no cap).
/// - strict: non-zero makes every libjpeg warning (corrupt data, premature end) a failure.
///
/// On success fills the report's output size; the caller then provides a buffer for
/// bc_jpeg_decode_finish. On failure the decoder is reset and may be reused.
bc_jpeg_status bc_jpeg_decode_start(bc_jpeg_decoder *decoder, const uint8_t *data, size_t length,
                                    int output_components, uint64_t max_pixels, int max_scans,
                                    int strict, bc_jpeg_report *report);

/// Reads all scanlines (jpeg_read_scanlines, jpeg_finish_decompress) into `pixels`, rows
/// `row_stride` bytes apart; `capacity` is the buffer size in bytes and must hold
/// output_height rows. The decoder is reset afterwards, whatever the outcome.
bc_jpeg_status bc_jpeg_decode_finish(bc_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity,
                                     size_t row_stride, bc_jpeg_report *report);

/// Abandons a started decode (jpeg_abort_decompress).
void bc_jpeg_decode_abort(bc_jpeg_decoder *decoder);

/// Encodes packed 8-bit pixels (1 component grey, 3 components RGB) to a baseline JPEG in memory
/// (jpeg_mem_dest, jpeg_set_quality, jpeg_write_scanlines).
///
/// - quality: 1–100.
/// - chroma_subsampling: 420, 422 or 444 (ignored for grey).
/// - optimize_huffman: non-zero computes optimal Huffman tables (slower, smaller).
/// - progressive: non-zero writes a progressive JPEG (jpeg_simple_progression; its Huffman tables
///   are always optimised).
///
/// On success `*output` holds a malloc'd buffer of `*output_length` bytes that the caller frees with
/// bc_jpeg_free. On failure `*output` is NULL.
bc_jpeg_status bc_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int components,
                              size_t row_stride, int quality, int chroma_subsampling,
                              int optimize_huffman, int progressive, uint8_t **output,
                              size_t *output_length, bc_jpeg_report *report);

/// Frees a buffer returned by bc_jpeg_encode.
void bc_jpeg_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
