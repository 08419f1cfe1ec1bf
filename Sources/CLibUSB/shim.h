#ifndef BIOCAPTURE_CLIBUSB_SHIM_H
#define BIOCAPTURE_CLIBUSB_SHIM_H

#include <libusb.h>

/* libusb_set_option is variadic, which Swift cannot call: fixed-arity forms. */
static inline int biocapture_libusb_set_option(libusb_context *ctx, enum libusb_option option) {
    return libusb_set_option(ctx, option);
}

static inline int biocapture_libusb_set_option_int(libusb_context *ctx, enum libusb_option option, int value) {
    return libusb_set_option(ctx, option, value);
}

/* iso_packet_desc is a flexible array member, which Swift does not import. */
static inline struct libusb_iso_packet_descriptor *
biocapture_libusb_iso_packet(struct libusb_transfer *transfer, int index) {
    return &transfer->iso_packet_desc[index];
}

#endif
