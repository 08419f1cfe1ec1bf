#pragma once
/*
 * The little C that VirtualUSB needs: g_signal_connect is a macro (Swift cannot call it),
 * and GObject reference counting through gpointer is clearer here than in Swift.
 */
#include <umockdev.h>

/* Signature of UMockdevIoctlBase's "handle-ioctl" signal handler. */
typedef gboolean (*cvirtualusb_handle_ioctl_fn)(UMockdevIoctlBase *handler,
                                                UMockdevIoctlClient *client,
                                                gpointer user_data);

/* Connects `callback` to the handler's "handle-ioctl" signal; returns the handler id (> 0). */
gulong cvirtualusb_connect_handle_ioctl(UMockdevIoctlBase *handler,
                                        cvirtualusb_handle_ioctl_fn callback,
                                        gpointer user_data);

/* Disconnects a signal handler returned by cvirtualusb_connect_handle_ioctl. */
void cvirtualusb_disconnect(UMockdevIoctlBase *handler, gulong handler_id);

/* g_object_unref / g_object_ref for any GObject (testbed, ioctl base, ioctl data). */
void cvirtualusb_object_unref(gpointer object);
gpointer cvirtualusb_object_ref(gpointer object);
