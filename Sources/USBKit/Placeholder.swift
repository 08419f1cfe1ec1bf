enum USBKitPlaceholder {}
