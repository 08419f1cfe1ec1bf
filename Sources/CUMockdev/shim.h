#ifndef BIOCAPTURE_CUMOCKDEV_SHIM_H
#define BIOCAPTURE_CUMOCKDEV_SHIM_H
#include <umockdev.h>
#endif
