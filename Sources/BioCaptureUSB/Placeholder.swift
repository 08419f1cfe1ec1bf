enum BioCaptureUSBPlaceholder {}
