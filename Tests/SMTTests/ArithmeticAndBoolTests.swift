import SMT
import Testing

@Suite("Integers and Booleans")
struct ArithmeticAndBoolTests {
    @Test("linear integer constraints produce a consistent model")
    func integers() throws {
        let context = try SMTContext()
        let x = try context.intConstant("x")
        let y = try context.intConstant("y")
        let result = try check(context, [
            x.plus(y).eq(context.int(10)),
            x.gt(y),
            y.ge(context.int(3)),
            x.minus(y).le(context.int(2)),
        ])
        let model = try #require(result.model)
        let xv = try #require(try model.int(x))
        let yv = try #require(try model.int(y))
        #expect(xv + yv == 10 && xv > yv && yv >= 3 && xv - yv <= 2)
        #expect(try model.int(x.times(y)) == xv * yv)
        #expect(try model.int(context.sum([x, y, context.int(-10)])) == 0)
        #expect(try check(context, [x.lt(y), y.lt(x)]).isUnsat)
    }

    @Test("integers beyond Int are exact in decimal", arguments: [
        "123456789012345678901234567890",
        "-98765432109876543210987654321",
        "0",
    ])
    func bigIntegers(decimal: String) throws {
        let context = try SMTContext()
        let x = try context.intConstant("x")
        let result = try check(context, [x.eq(context.int(decimal: decimal).plus(context.int(1)))])
        let model = try #require(result.model)
        let minusOne = try #require(try model.intDecimal(x.minus(context.int(1))))
        #expect(minusOne == decimal)
        if decimal.count > 20 {
            #expect(try model.int(x) == nil)
        } else {
            #expect(try model.int(x) == Int(decimal)! + 1)
        }
    }

    @Test("malformed decimal integers are rejected", arguments: ["", "-", "12a", "+5", " 1", "1.5", "٣"])
    func malformedDecimal(text: String) throws {
        let context = try SMTContext()
        let error = #expect(throws: SMTError.self) { try context.int(decimal: text) }
        #expect(error?.isInvalidArgument == true)
    }

    @Test("Boolean connectives and ite")
    func booleans() throws {
        let context = try SMTContext()
        let p = try context.boolConstant("p")
        let q = try context.boolConstant("q")
        let r = try context.boolConstant("r")
        let n = try context.intConstant("n")
        let result = try check(context, [
            p,
            p.implies(q),
            q.xor(r),
            n.eq(context.ite(r, then: context.int(1), else: context.int(2))),
        ])
        let model = try #require(result.model)
        #expect(try model.bool(q) == true)
        #expect(try model.bool(r) == false)
        #expect(try model.int(n) == 2)
        #expect(try model.bool(p.iff(q)) == true)
        #expect(try check(context, [p.iff(q), p, q.not()]).isUnsat)
        #expect(try check(context, [context.or([p, q]).not(), context.and([p.or(q)])]).isUnsat)
    }

    @Test("empty and singleton conjunctions/disjunctions fold")
    func smartConstructors() throws {
        let context = try SMTContext()
        let p = try context.boolConstant("p")
        #expect(try context.and([]).isIdentical(to: context.bool(true)))
        #expect(try context.or([]).isIdentical(to: context.bool(false)))
        #expect(try context.and([p]) === p)
        #expect(try context.or([p]) === p)
        #expect(try context.distinct([p]).isIdentical(to: context.bool(true)))
        let x = try context.intConstant("x")
        let y = try context.intConstant("y")
        let z = try context.intConstant("z")
        let bounds = try [x, y, z].flatMap { v in [try v.ge(context.int(0)), try v.le(context.int(1))] }
        #expect(try check(context, bounds + [context.distinct([x, y, z])]).isUnsat)
    }

    @Test("reals are supported and exact")
    func reals() throws {
        let context = try SMTContext()
        let a = try context.realConstant("a")
        let result = try check(context, [a.times(context.real(3)).eq(context.real(1))])
        #expect(try result.model?.realFraction(a) == "1/3")
        #expect(throws: SMTError.self) { try context.real(1, 0) }
    }
}
