#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs deeply recursive work, such as Yams's composer, only where the stack can hold it.
///
/// `run` measures how much of the current thread's stack is left below the caller. When enough is left
/// it runs the work in place; otherwise (a secondary thread with a 512 KiB stack, say) it runs the work
/// on a new thread with a large stack and waits for it. The large stack is reserved address space:
/// only the pages actually used are ever touched.
enum StackGuard {
    /// Bytes of stack left below the caller's frame, or `nil` when the platform does not say.
    @inline(never)
    static func remainingStack() -> Int? {
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { Int(bitPattern: $0) }
        guard let bottom = stackBottom() else { return nil }
        return here - bottom
    }

    /// Runs `body` here when `required` bytes of stack remain, else on a new thread with `threadStackSize`
    /// bytes of stack. Returns `nil` only when such a thread could not be started.
    static func run<Value>(requiring required: Int, threadStackSize: Int, _ body: () -> Value) -> Value? {
        if let remaining = remainingStack(), remaining >= required {
            return body()
        }
        return withoutActuallyEscaping(body) { escapable -> Value? in
            let job = Job { escapable() }
            guard job.runOnNewThread(stackSize: threadStackSize) else { return nil }
            return job.result
        }
    }

    /// One closure run on its own thread; the caller waits for it, so no state is shared concurrently.
    private final class Job<Value>: @unchecked Sendable {
        let body: () -> Value
        var result: Value?

        init(_ body: @escaping () -> Value) { self.body = body }

        func runOnNewThread(stackSize: Int) -> Bool {
            var attributes = pthread_attr_t()
            guard pthread_attr_init(&attributes) == 0 else { return false }
            defer { pthread_attr_destroy(&attributes) }
            guard pthread_attr_setstacksize(&attributes, stackSize) == 0 else { return false }
            let context = Unmanaged.passRetained(Runner { self.result = self.body() }).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t?
            #else
            var thread = pthread_t()
            #endif
            let status = pthread_create(&thread, &attributes, { context in
                let runner = Unmanaged<Runner>.fromOpaque(context!).takeRetainedValue()
                runner.run()
                return nil
            }, context)
            guard status == 0 else {
                Unmanaged<Runner>.fromOpaque(context).release()
                return false
            }
            #if canImport(Darwin)
            pthread_join(thread!, nil)
            #else
            pthread_join(thread, nil)
            #endif
            return true
        }
    }

    /// A type-erased closure that a C thread entry point can call.
    private final class Runner {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    // MARK: - Stack bounds

    /// The lowest address of the current thread's stack (stacks grow down on every supported platform).
    private static func stackBottom() -> Int? {
        #if canImport(Darwin)
        let thread = pthread_self()
        return Int(bitPattern: pthread_get_stackaddr_np(thread)) - pthread_get_stacksize_np(thread)
        #else
        // glibc's pthread_getattr_np reads /proc/self/maps for the main thread (about 0.1 ms), so the
        // main thread's bound, which never changes, is computed once.
        if Thread.isMainThread { return mainThreadStackBottom }
        return currentThreadStackBottom()
        #endif
    }

    #if !canImport(Darwin)
    private static let mainThreadStackBottom: Int? = currentThreadStackBottom()

    private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32

    /// `pthread_getattr_np`, a GNU extension that the Swift overlay does not import, found at run time.
    private static let getAttributes: GetAttributes? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "pthread_getattr_np") else { return nil }
        return unsafeBitCast(symbol, to: GetAttributes.self)
    }()

    private static func currentThreadStackBottom() -> Int? {
        guard let getAttributes else { return nil }
        var attributes = pthread_attr_t()
        guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var address: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
        return Int(bitPattern: address)
    }
    #endif
}
