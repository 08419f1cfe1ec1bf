#include "cvirtualusb.h"

gulong cvirtualusb_connect_handle_ioctl(UMockdevIoctlBase *handler,
                                        cvirtualusb_handle_ioctl_fn callback,
                                        gpointer user_data) {
    return g_signal_connect(handler, "handle-ioctl", G_CALLBACK(callback), user_data);
}

void cvirtualusb_disconnect(UMockdevIoctlBase *handler, gulong handler_id) {
    if (handler_id != 0) {
        g_signal_handler_disconnect(handler, handler_id);
    }
}

void cvirtualusb_object_unref(gpointer object) {
    if (object != NULL) {
        g_object_unref(object);
    }
}

gpointer cvirtualusb_object_ref(gpointer object) {
    return object != NULL ? g_object_ref(object) : NULL;
}
