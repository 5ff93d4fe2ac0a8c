import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a call saves so that `return` can resume the caller.
struct CallFrame {
    /// Caller's next instruction.
    var returnPC: UnsafeMutablePointer<UInt64>
    var fp: UnsafeMutablePointer<UInt64>
    /// Caller's function.
    var info: UnsafeMutablePointer<FunctionInfo>
    /// Caller's `Instance` (unretained).
    var instance: UnsafeMutableRawPointer
}

/// Per-thread execution stacks: the value stack (frames of 64-bit slots) and
/// the call-frame stack. A nested invoke (a host function calling back into
/// wasm) continues above the slots and frames its caller published, so the
/// limits bound the whole chain. Lives in raw memory, reached through a
/// pthread key; freed when the thread exits.
struct ThreadState {
    /// Value stack slots per thread (32 MiB of reserved, lazily committed memory).
    static let stackSlots = 4 << 20
    /// Wasm call depth limit per thread.
    static let maxFrames = 100_000
    /// Nested invokes (host → wasm re-entry) per thread.
    static let maxNesting = 200
    /// What one call costs of an engine's stack budget (`Engine.maxWasmStack`) besides its
    /// value slots: about what a JIT frame takes of the machine stack.
    static let bytesPerFrame = 64

    var stackBase: UnsafeMutablePointer<UInt64>
    var stackEnd: UnsafeMutablePointer<UInt64>
    var framesBase: UnsafeMutablePointer<CallFrame>
    var framesEnd: UnsafeMutablePointer<CallFrame>
    /// First free slot / frame: where the next (nested) invoke starts.
    var top: UnsafeMutablePointer<UInt64>
    var frameTop: UnsafeMutablePointer<CallFrame>
    var nesting: Int

    /// This thread's state, created on first use. Throws `ResourceError` when the host
    /// cannot reserve the stack (address space exhausted) or make the thread-local key.
    static func current() throws(ResourceError) -> UnsafeMutablePointer<ThreadState> {
        guard let threadStateKey else { throw ResourceError("cannot create the interpreter's thread-local key") }
        if let p = pthread_getspecific(threadStateKey) { return p.assumingMemoryBound(to: ThreadState.self) }
        let stackBytes = stackSlots * MemoryLayout<UInt64>.stride
        let frameBytes = maxFrames * MemoryLayout<CallFrame>.stride
        guard let s = mmap(nil, stackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            s != MAP_FAILED
        else { throw ResourceError("cannot reserve the interpreter's execution stack (\(stackBytes) bytes)") }
        guard let f = mmap(nil, frameBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            f != MAP_FAILED
        else {
            munmap(s, stackBytes)
            throw ResourceError("cannot reserve the interpreter's call frames (\(frameBytes) bytes)")
        }
        let stack = s.bindMemory(to: UInt64.self, capacity: stackSlots)
        let frames = f.bindMemory(to: CallFrame.self, capacity: maxFrames)
        let state = UnsafeMutablePointer<ThreadState>.allocate(capacity: 1)
        state.initialize(
            to: ThreadState(
                stackBase: stack, stackEnd: stack + stackSlots, framesBase: frames, framesEnd: frames + maxFrames,
                top: stack, frameTop: frames, nesting: 0))
        pthread_setspecific(threadStateKey, state)
        return state
    }
}

private func releaseThreadState(_ p: UnsafeMutableRawPointer?) {
    guard let p else { return }
    let state = p.assumingMemoryBound(to: ThreadState.self)
    munmap(state.pointee.stackBase, ThreadState.stackSlots * MemoryLayout<UInt64>.stride)
    munmap(state.pointee.framesBase, ThreadState.maxFrames * MemoryLayout<CallFrame>.stride)
    state.deallocate()
}

/// The key of each thread's `ThreadState` (nil if the process is out of keys).
private let threadStateKey: pthread_key_t? = {
    var key = pthread_key_t()
    let rc = pthread_key_create(&key) { releaseThreadState($0) }
    return rc == 0 ? key : nil
}()
