#include "cvirtualusb.h"
