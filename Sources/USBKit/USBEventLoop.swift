import CLibUSB
import Foundation
import Logging

/// Owns a `libusb_context`; `libusb_exit` runs when the last owner (context, device reference,
/// open handle, event thread) lets go.
final class LibUSBContextStorage: @unchecked Sendable {
    let pointer: OpaquePointer

    /// `libusb_init`.
    init() throws(USBError) {
        var context: OpaquePointer?
        try libusbCall("libusb_init") { libusb_init(&context) }
        guard let context else { throw USBError(code: .other, operation: "libusb_init returned no context") }
        pointer = context
    }

    deinit { libusb_exit(pointer) }
}

/// The dedicated event thread of one context.
///
/// It runs `libusb_handle_events_timeout_completed` while transfers are in flight or hotplug
/// callbacks are registered, and parks on a condition variable otherwise. Under umockdev the
/// emulated usbfs node is a regular file, so `poll()` never sleeps and every libusb call returns
/// at once: when an iteration returned quickly with no progress, the thread waits a little
/// (growing up to a millisecond, cut short by a new submission) instead of spinning.
final class USBEventLoop: @unchecked Sendable {
    /// Not owning: the context owns the storage and keeps it alive until this thread has stopped.
    private let contextPointer: OpaquePointer
    private let logger: Logger
    private let condition = NSCondition()
    // All below guarded by `condition`.
    private var inFlight = 0
    private var hotplugRegistrations = 0
    private var running = true
    private var exited = false
    private var progress: UInt64 = 0
    private var iterations: UInt64 = 0
    private var retired: [AnyObject] = []
    private var eventThread: Thread?
    /// Released by the event thread after its last libusb call (see `stop(keepingAlive:)`).
    private var releaseAfterExit: AnyObject?

    /// Upper bound of one `libusb_handle_events_timeout_completed` call (wall clock).
    private static let iterationTimeout = timeval(tv_sec: 0, tv_usec: 100_000)
    private static let maximumIdleWait: Double = 0.001

    init(contextPointer: OpaquePointer, logger: Logger) {
        self.contextPointer = contextPointer
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "USBKit.events"
        thread.stackSize = 1 << 20
        condition.lock()
        eventThread = thread
        condition.unlock()
        thread.start()
    }

    var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    var isOnEventThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return eventThread.map { $0 === Thread.current } ?? false
    }

    func transferStarting() {
        condition.lock()
        inFlight += 1
        progress &+= 1
        condition.broadcast()
        condition.unlock()
    }

    func transferEnded() {
        condition.lock()
        inFlight -= 1
        progress &+= 1
        condition.unlock()
    }

    /// How many times the thread has called into libusb so far.
    var iterationCount: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return iterations
    }

    var transfersInFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return inFlight
    }

    func hotplugRegistered() {
        condition.lock()
        hotplugRegistrations += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Keeps `object` (a hotplug callback's user data) alive until no callback can be running:
    /// callbacks only run inside this thread's `libusb_handle_events…` call.
    func hotplugDeregistered(retiring object: AnyObject) {
        condition.lock()
        hotplugRegistrations -= 1
        retired.append(object)
        condition.broadcast()
        condition.unlock()
    }

    func noteProgress() {
        condition.lock()
        progress &+= 1
        condition.unlock()
    }

    /// Stops the thread; waits (at most two seconds) for it to leave libusb. Called from the
    /// event thread itself (the last reference to a context dropped inside a callback), it
    /// cannot wait: `keepingAlive` (the libusb context) is then released by the thread once it
    /// has left libusb.
    func stop(keepingAlive object: AnyObject? = nil) {
        condition.lock()
        let wasRunning = running
        running = false
        condition.broadcast()
        let calledFromEventThread = eventThread.map { $0 === Thread.current } ?? false
        if calledFromEventThread { releaseAfterExit = object }
        condition.unlock()
        if wasRunning { libusb_interrupt_event_handler(contextPointer) }
        guard !calledFromEventThread else { return }
        condition.lock()
        let deadline = Date(timeIntervalSinceNow: 2)
        while !exited {
            if !condition.wait(until: deadline) { break }
        }
        let stopped = exited
        condition.unlock()
        if !stopped { logger.warning("USB event thread did not stop within 2 s") }
    }

    private func run() {
        var idleWait = 0.0
        while true {
            condition.lock()
            while running && inFlight == 0 && hotplugRegistrations == 0 {
                retired.removeAll()
                idleWait = 0
                condition.wait()
            }
            if !running {
                let lastReferences: [AnyObject?] = [releaseAfterExit] + retired
                releaseAfterExit = nil
                retired.removeAll()
                eventThread = nil
                exited = true
                condition.broadcast()
                condition.unlock()
                _ = lastReferences  // may run libusb_exit: only now that this thread has left libusb
                return
            }
            let progressBefore = progress
            iterations &+= 1
            let releasable = retired
            retired.removeAll()
            condition.unlock()
            _ = releasable  // released here, between libusb calls, where no callback runs

            let started = ContinuousClock.now
            var timeout = Self.iterationTimeout
            let result = libusb_handle_events_timeout_completed(contextPointer, &timeout, nil)
            if result < 0 && result != LIBUSB_ERROR_INTERRUPTED.rawValue {
                logger.warning("libusb_handle_events_timeout_completed failed",
                               metadata: ["error": "\(USBError.Code(rawValue: result))"])
            }
            let returnedAtOnce = ContinuousClock.now - started < .milliseconds(1)

            condition.lock()
            if progress == progressBefore && returnedAtOnce && running {
                idleWait = min(max(idleWait * 2, 0.000_02), Self.maximumIdleWait)
                _ = condition.wait(until: Date(timeIntervalSinceNow: idleWait))
            } else {
                idleWait = 0
            }
            condition.unlock()
        }
    }
}
