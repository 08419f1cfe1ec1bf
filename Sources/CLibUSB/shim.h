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

#endif
