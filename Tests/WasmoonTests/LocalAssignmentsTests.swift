import Foundation
import Testing
import WasmCore
@testable import WasmOptimizer

/// The SSA builder's assignment analysis (`LocalAssignments`): which locals each construct
/// and each `if`'s then-arm assign, and what the builder makes of it (a loop header's
/// parameters only for the locals its loop assigns).
@Suite("Optimizer local assignments")
struct LocalAssignmentsTests {
    /// block(1) { loop(2) { set 1; if(4) { tee 2 } else(7) { set 3 } end } end } end; set 0 outside.
    static let body: [Instruction] = [
        .localSet(0),  // 0: outside every construct
        .block(.empty),  // 1
        .loop(.empty),  // 2
        .localSet(1),  // 3
        .if(.empty),  // 4
        .localTee(2),  // 5
        .drop,  // 6
        .else,  // 7
        .localSet(3),  // 8
        .end,  // 9: if
        .end,  // 10: loop
        .end,  // 11: block
        .end,  // 12: function
    ]

    @Test func regionsAndTheirLocals() throws {
        let analysis = LocalAssignments(Self.body, localCount: 5)
        let block = try #require(analysis.region(at: 1)), loop = try #require(analysis.region(at: 2))
        let ifRegion = try #require(analysis.region(at: 4)), thenArm = try #require(analysis.region(at: 7))
        #expect(analysis.region(at: 0) == nil && analysis.region(at: 3) == nil && analysis.region(at: 9) == nil)
        #expect(Array(analysis.assigned(in: block)) == [1, 2, 3])
        #expect(Array(analysis.assigned(in: loop)) == [1, 2, 3])
        #expect(Array(analysis.assigned(in: ifRegion)) == [2, 3])
        #expect(Array(analysis.assigned(in: thenArm)) == [2])
        #expect(analysis.assigns(region: loop, local: 1) && !analysis.assigns(region: loop, local: 0))
        #expect(!analysis.assigns(region: thenArm, local: 3) && !analysis.assigns(region: block, local: 4))
        #expect(!analysis.usesExceptions)
        #expect(LocalAssignments(Self.body + [.throw(0)], localCount: 5).usesExceptions)
    }

    /// A loop that reads a local it never assigns (the bound) and one it does (the counter): its
    /// header gets a parameter for the counter only, straight from the builder.
    @Test func loopHeaderParametersOnlyForAssignedLocals() throws {
        let f = try OptimizerIRTests.build("""
            (module (func (param $bound i32) (result i32) (local $i i32)
              (block $done (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $bound)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
              (local.get $i)))
            """)
        let header = try #require(OptimizerIRTests.block(of: f, computing: .i32GeU))
        #expect(header.parameters.count == 1, "\(f)")
        // The compare reads the function's parameter itself for the bound.
        let compare = try #require(header.instructions.first { OptimizerIRTests.applies($0, .i32GeU) })
        guard case .numeric(_, let operands) = compare.operation else { return }
        #expect(operands[1] == f.blocks[0].parameters[0], "\(f)")
    }
}
