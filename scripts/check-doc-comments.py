#!/usr/bin/env python3
"""Every public symbol an embedder sees has a doc comment.

Checks the `Wasmoon` product's surface: the Wasmoon, WasmRuntime and WasmoonWASI modules,
and the WasmCore files whose types `Wasmoon` re-exports or shows in its API. A public
declaration passes when a `///` line (or the end of a `/** */` block) comes right before it,
attributes aside. Protocol witnesses whose meaning the protocol gives (`description`,
`hash(into:)`, `==`) are exempt. Prints each undocumented declaration; exits 1 if any.
"""
import pathlib
import re
import sys

SURFACE = [
    "Sources/Wasmoon", "Sources/WasmRuntime", "Sources/WasmoonWASI",
    "Sources/WasmCore/Types.swift", "Sources/WasmCore/Errors.swift", "Sources/WasmCore/ReferenceTypes.swift",
    "Sources/WasmCore/Module.swift", "Sources/WasmCore/Validation/ProposalUsage.swift",
]
# Engine-internal: public only under `@_spi(Engine)`, so that the interpreter and the JIT can
# inline them across modules (`package` access loses that inlining, and the interpreter's
# handlers, which tail-call each other, then grow the stack until it overflows). An embedder's
# `import Wasmoon` does not see them.
ENGINE_SPI = ["Sources/WasmRuntime/Semantics", "Sources/WasmRuntime/Generated/VectorDispatch.swift"]
EXEMPT = re.compile(r"(var description\b|var debugDescription\b|func hash\(into|static func ==|static func <)")
DECLARATION = re.compile(r"^\s*(@[\w.]+(\([^)]*\))?\s+)*(public|open)\s+(?!import\b)")
EXTENSION = re.compile(r"^\s*(public\s+)?extension\b")
ATTRIBUTE = re.compile(r"^\s*@\w+")


def undocumented(root: pathlib.Path):
    files = [root] if root.is_file() else sorted(root.rglob("*.swift"))
    for path in files:
        lines = path.read_text().splitlines()
        for index, line in enumerate(lines):
            if not DECLARATION.match(line) or EXEMPT.search(line) or EXTENSION.match(line):
                continue
            before = index - 1
            while before >= 0 and ATTRIBUTE.match(lines[before]):
                before -= 1
            previous = lines[before].strip() if before >= 0 else ""
            if previous.startswith("///") or previous.endswith("*/"):
                continue
            yield f"{path}:{index + 1}: {line.strip()}"


def main() -> int:
    repo = pathlib.Path(__file__).resolve().parent.parent
    skipped = [repo / item for item in ENGINE_SPI]
    missing = [
        entry for item in SURFACE for entry in undocumented(repo / item)
        if not any(pathlib.Path(entry.split(":")[0]).is_relative_to(path) for path in skipped)
    ]
    for entry in missing:
        print(entry)
    if missing:
        print(f"{len(missing)} public declarations without a doc comment", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
