// SAFETY-CRITICAL: the sandbox. Every guest path goes through `SandboxPath.resolve`
// before any host call touches it. See Docs/WASI.md, "Sandbox rules".
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A guest path resolved inside a directory capability, ready for one `*at`
/// system call: `directory` is a host directory descriptor inside the sandbox
/// and `name` is a single component (no `/`, never `..`), or `.`.
///
/// Every component before `name` has been walked by us, one at a time, with
/// `O_NOFOLLOW`; symlinks met on the way were expanded by us and checked. The
/// final component has been expanded too when the operation follows symlinks,
/// so the caller must always use the no-follow form of its system call
/// (`AT_SYMLINK_NOFOLLOW`, `O_NOFOLLOW`, or a call that never follows).
package final class ResolvedPath {
    /// Host descriptor of the directory that contains `name`.
    package let directory: Int32
    private let ownsDirectory: Bool
    /// The last component.
    package let name: String
    /// The guest path ended in `/` (or a followed symlink's target did): the
    /// object must be a directory. `name` itself carries no slash.
    package let trailingSlash: Bool

    init(directory: Int32, ownsDirectory: Bool, name: String, trailingSlash: Bool) {
        self.directory = directory
        self.ownsDirectory = ownsDirectory
        self.name = name
        self.trailingSlash = trailingSlash
    }

    deinit {
        if ownsDirectory { Host.close(directory) }
    }
}

/// Resolves guest paths relative to a directory descriptor without ever
/// leaving it.
///
/// Rules (each violation is `ENOTCAPABLE`):
/// - an absolute path is refused;
/// - `..` may not climb above the starting directory, not even for a moment
///   (`a/../../base/x` is refused although it would come back);
/// - a symlink is expanded by us, never by the kernel: an absolute target is
///   refused, and a relative one continues from the symlink's own directory
///   under the same `..` rule.
/// More than `maxSymlinkExpansions` expansions is `ELOOP`; an empty path is
/// `ENOENT`; a NUL byte is `EINVAL` (checked when reading guest strings).
package enum SandboxPath {
    /// Linux's own limit on symlinks followed in one lookup.
    package static let maxSymlinkExpansions = 40

    /// Resolves `path` relative to the host directory `base`.
    /// - Parameter followFinal: expand the last component if it is a symlink
    ///   (`lookupflags.symlink_follow`); a trailing slash also forces this.
    package static func resolve(_ path: String, in base: Int32, followFinal: Bool) throws(WASIErrno) -> ResolvedPath {
        if path.isEmpty { throw .noent }
        if path.utf8.first == UInt8(ascii: "/") { throw .notcapable }
        if path.utf8.contains(0) { throw .inval }

        // stack[0] is `base` (borrowed); the rest are directories we opened.
        var stack: [Int32] = [base]
        var keepTop = false
        defer {
            let opened = keepTop ? stack.dropFirst().dropLast() : stack.dropFirst()
            for fd in opened { Host.close(fd) }
        }
        var trailingSlash = path.utf8.last == UInt8(ascii: "/")
        // Components still to walk, last one first (so popLast gives the next).
        var pending: [String] = components(path).reversed()
        var expansions = 0
        var finalName = "."

        func expand(_ target: [UInt8]) throws(WASIErrno) {
            expansions += 1
            if expansions > maxSymlinkExpansions { throw .loop }
            if target.isEmpty { throw .noent }
            if target.first == UInt8(ascii: "/") { throw .notcapable }
            let text = String(decoding: target, as: UTF8.self)
            pending.append(contentsOf: components(text).reversed())
        }

        while let component = pending.popLast() {
            let isLast = pending.isEmpty
            if component == "." {
                if isLast { finalName = "." }
                continue
            }
            if component == ".." {
                if stack.count == 1 { throw .notcapable }
                Host.close(stack.removeLast())
                if isLast { finalName = "." }
                continue
            }
            let top = stack[stack.count - 1]
            if isLast {
                if followFinal || trailingSlash, let target = try Host.readSymlink(top, component) {
                    if target.last == UInt8(ascii: "/") { trailingSlash = true }
                    try expand(target)
                    continue
                }
                finalName = component
                break
            }
            // An intermediate component must be a directory we can walk into.
            do {
                let fd = try Host.openat(top, component, Host.oPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                stack.append(fd)
            } catch {
                guard error == .loop || error == .notdir,
                    let target = try Host.readSymlink(top, component)
                else { throw error }
                try expand(target)
            }
        }
        keepTop = stack.count > 1
        return ResolvedPath(
            directory: stack[stack.count - 1], ownsDirectory: stack.count > 1, name: finalName,
            trailingSlash: trailingSlash)
    }

    /// The non-empty components of a path (`a//b/` gives `a`, `b`).
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
