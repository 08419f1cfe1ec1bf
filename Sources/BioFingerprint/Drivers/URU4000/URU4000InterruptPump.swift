import BioCapture
import Foundation

/// Packets from the interrupt endpoint, queued until the driver asks for them.
final class URU4000Mailbox: @unchecked Sendable {
    typealias Item = Result<[UInt8], any Error>

    private let lock = NSLock()
    // Guarded by `lock`.
    private var queue: [Item] = []
    private var waiter: (id: UInt64, continuation: CheckedContinuation<Item?, Never>)?
    private var cancelled: Set<UInt64> = []
    private var nextID: UInt64 = 0
    /// The pump's final failure: once the endpoint is gone, every later wait sees it at once
    /// instead of sitting out its deadline.
    private var terminal: Item?

    func post(_ item: Item) {
        lock.lock()
        if case .failure = item { terminal = item }
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.continuation.resume(returning: item)
            return
        }
        queue.append(item)
        lock.unlock()
    }

    /// The next packet or failure; nil when the waiting task is cancelled.
    func take() async -> Item? {
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Item?, Never>) in
                lock.lock()
                if cancelled.remove(id) != nil {
                    lock.unlock()
                    continuation.resume(returning: nil)
                } else if !queue.isEmpty {
                    let item = queue.removeFirst()
                    lock.unlock()
                    continuation.resume(returning: item)
                } else if let terminal {
                    lock.unlock()
                    continuation.resume(returning: terminal)
                } else {
                    waiter = (id, continuation)
                    lock.unlock()
                }
            }
        } onCancel: {
            lock.lock()
            if let waiter, waiter.id == id {
                self.waiter = nil
                lock.unlock()
                waiter.continuation.resume(returning: nil)
            } else {
                cancelled.insert(id)
                lock.unlock()
            }
        }
    }

    /// Removes queued packets that match and returns them (used to notice a "death" packet that
    /// arrived while the image was in flight, without consuming finger events).
    func remove(where matches: ([UInt8]) -> Bool) -> [[UInt8]] {
        lock.withLock {
            var removed: [[UInt8]] = []
            queue.removeAll { item in
                guard case .success(let packet) = item, matches(packet) else { return false }
                removed.append(packet)
                return true
            }
            return removed
        }
    }

    func clear() { lock.withLock { queue.removeAll() } }
}

/// Keeps one interrupt IN transfer outstanding from activation to deactivation, resubmitting it
/// before anyone sees the packet that completed (the order the recording shows).
final class URU4000InterruptPump: Sendable {
    let mailbox = URU4000Mailbox()
    private let task: Task<Void, Never>

    /// How long a freshly started transfer is given to reach the bus before the driver sends its
    /// next request: the transport offers no "submitted" signal, and a strict replay needs the
    /// interrupt URB queued first.
    static let submissionHeadStart: Duration = .milliseconds(10)

    init(transport: any USBTransport) {
        let mailbox = self.mailbox
        task = Task {
            @Sendable func submit() -> Task<[UInt8], any Error> {
                Task {
                    try await transport.interruptIn(endpoint: URU4000Protocol.interruptEndpoint,
                                                    length: URU4000Protocol.interruptLength, timeout: .seconds(86_400))
                }
            }
            var pending = submit()
            while !Task.isCancelled {
                let current = pending
                let result = await withTaskCancellationHandler {
                    await current.result
                } onCancel: {
                    current.cancel()
                }
                if Task.isCancelled { break }
                switch result {
                case .success(let packet):
                    pending = submit()
                    try? await Task.sleep(for: Self.submissionHeadStart)
                    mailbox.post(.success(packet))
                case .failure(let error):
                    mailbox.post(.failure(error))
                    return
                }
            }
            pending.cancel()
            _ = await pending.result
        }
    }

    /// Cancels the outstanding transfer and waits until it has ended.
    func stop() async {
        task.cancel()
        await task.value
    }
}
