#ifndef BIOCAPTURE_CZLIB_SHIM_H
#define BIOCAPTURE_CZLIB_SHIM_H
#include <zlib.h>
#endif
