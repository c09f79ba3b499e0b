import CZ3
@testable import SMT
import Testing

@Suite("Errors are thrown, never crashes")
struct ErrorTests {
    static let operations: [(String, @Sendable (SMTContext) throws -> Void)] = [
        ("and over Int", { c in _ = try c.and([c.boolConstant("p"), c.int(1)]) }),
        ("or over String", { c in _ = try c.or([c.string("a")]) }),
        ("not of Int", { c in _ = try c.int(1).not() }),
        ("Int plus String", { c in _ = try c.int(1).plus(c.string("a")) }),
        ("Int lt Bool", { c in _ = try c.int(1).lt(c.bool(true)) }),
        ("eq across sorts", { c in _ = try c.int(1).eq(c.string("1")) }),
        ("ite with non-Bool condition", { c in _ = try c.ite(c.int(1), then: c.int(1), else: c.int(2)) }),
        ("ite with mismatched branches", { c in _ = try c.ite(c.bool(true), then: c.int(1), else: c.string("2")) }),
        ("prefix of Int", { c in _ = try c.stringConstant("s").hasPrefix(c.int(1)) }),
        ("inRegex with a string", { c in _ = try c.stringConstant("s").inRegex(c.string("a")) }),
        ("regex star of a string", { c in _ = try c.regex.star(c.string("a")) }),
        ("bvand of different widths", { c in _ = try c.bitVector(1, width: 8).bvAnd(c.bitVector(1, width: 16)) }),
        ("bvule of Int", { c in _ = try c.bitVector(1, width: 8).bvULE(c.int(1)) }),
        ("extract of Int", { c in _ = try c.int(1).extract(high: 1, low: 0) }),
        ("length of Int", { c in _ = try c.int(1).length() }),
        ("assert an Int", { c in try Solver(context: c).add(c.int(1)) }),
    ]

    @Test("sort mismatches are detected before Z3 is called", arguments: operations.indices)
    func sortMismatch(index: Int) throws {
        let (name, operation) = Self.operations[index]
        let context = try SMTContext()
        let error = #expect(throws: SMTError.self, "\(name)") { try operation(context) }
        #expect(error?.isSortMismatch == true, "\(name): \(String(describing: error))")
    }

    @Test("model readers check the sort")
    func modelReaders() throws {
        let context = try SMTContext()
        let x = try context.intConstant("x")
        let model = try #require(try check(context, [x.eq(context.int(1))]).model)
        #expect(throws: SMTError.self) { try model.bool(x) }
        #expect(throws: SMTError.self) { try model.string(x) }
        #expect(throws: SMTError.self) { try model.bitVector(x) }
        #expect(throws: SMTError.self) { try model.bitVectorUInt64(context.bitVectorConstant("w", width: 65)) }
        #expect(try model.int(x) == 1)
    }

    @Test("Z3's own errors become SMTError.z3 with Z3's message, and the context stays usable")
    func z3Errors() throws {
        let context = try SMTContext()
        let v = try context.bitVectorConstant("v", width: 8)
        // Bypass the checked API to make Z3 itself reject the call.
        let error = #expect(throws: SMTError.self) {
            _ = try context.makeTerm("Z3_mk_extract") { Z3_mk_extract($0, 1, 3, v.raw) }
        }
        guard case let .z3(code, message) = error else {
            Issue.record("expected a Z3 error, got \(String(describing: error))")
            return
        }
        #expect(code != 0)
        #expect(message.contains("extract"))
        #expect(try v.extract(high: 3, low: 1).bitWidth == 3)

        let parseError = #expect(throws: SMTError.self) {
            _ = try context.parseAssertions("(assert (= undeclared 1))")
        }
        guard case let .z3(parseCode, parseMessage) = parseError else {
            Issue.record("expected a Z3 parser error, got \(String(describing: parseError))")
            return
        }
        #expect(parseCode == Int(Z3_PARSER_ERROR.rawValue))
        #expect(parseMessage.contains("undeclared"))
        #expect(throws: SMTError.self) { try context.parseAssertions("(assert (and 1 true))") }
        #expect(throws: SMTError.self) { try context.parseAssertions("(assert") }

        // Still fully usable.
        #expect(try check(context, [v.eq(context.bitVector(7, width: 8))]).model?.bitVectorUInt64(v) == 7)
    }

    @Test("SMT-LIB text can refer to constants built with the API")
    func parseWithDeclarations() throws {
        let context = try SMTContext()
        let s = try context.stringConstant("s")
        let n = try context.intConstant("n")
        let assertions = try context.parseAssertions(
            "(assert (str.in_re s (re.+ re.allchar))) (assert (= n (str.len s))) (assert (> n 2))",
            declaring: [s, n])
        #expect(assertions.count == 3)
        let model = try #require(try check(context, assertions).model)
        let value = try #require(try model.string(s))
        #expect(value.unicodeScalars.count == (try model.int(n)))
        #expect(throws: SMTError.self) { try context.parseAssertions("", declaring: [context.int(1)]) }
    }

    @Test("objects from different contexts cannot be combined")
    func contextMismatch() throws {
        let first = try SMTContext()
        let second = try SMTContext()
        let p = try first.boolConstant("p")
        let q = try second.boolConstant("q")
        let error = #expect(throws: SMTError.self) { try p.and(q) }
        if case .contextMismatch = error {} else { Issue.record("unexpected \(String(describing: error))") }
        #expect(throws: SMTError.self) { try Solver(context: second).add(p) }
        #expect(throws: SMTError.self) { try second.constant("x", first.intSort()) }
    }

    @Test("the context lives exactly as long as its objects")
    func lifetime() throws {
        weak var weakContext: SMTContext?
        var term: Term?
        do {
            let context = try SMTContext()
            weakContext = context
            term = try context.string("kept").length()
        }
        #expect(weakContext != nil)
        #expect(term?.description == "(str.len \"kept\")")
        term = nil
        #expect(weakContext == nil)
        #expect(SMTContext.z3Version.hasPrefix("4."))
    }
}
