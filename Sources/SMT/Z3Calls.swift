import CZ3

/// Internal plumbing shared by every wrapper: error checking, ownership of
/// fresh Z3 results and argument validation.
extension SMTContext {
    /// Throws the pending Z3 error, if any, after resetting the code to OK.
    func checkError() throws(SMTError) {
        let code = Z3_get_error_code(raw)
        guard code != Z3_OK else { return }
        let message = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? "unknown Z3 error"
        Z3_set_error(raw, Z3_OK)
        throw .z3(code: Int(code.rawValue), message: message)
    }

    /// Clears a pending interruption.
    ///
    /// Z3 4.8.12 quirk: an interrupt that arrives while no check runs is not
    /// seen by the next check (checks reset it), but until then every
    /// operation that consults Z3's resource limit (`Z3_simplify`,
    /// `Z3_model_eval`, ...) fails with "canceled". The only public way to
    /// reset it is to run a check, so this checks a fresh, empty solver.
    func clearInterruption() throws(SMTError) {
        guard let solver = Z3_mk_simple_solver(raw) else {
            try checkError()
            throw .z3(code: -1, message: "Z3_mk_simple_solver returned no solver")
        }
        Z3_solver_inc_ref(raw, solver)
        defer { Z3_solver_dec_ref(raw, solver) }
        try checkError()
        // Keep Z3 from installing a process-wide SIGINT handler.
        let params = Z3_mk_params(raw)
        try checkError()
        if let params {
            Z3_params_inc_ref(raw, params)
            defer { Z3_params_dec_ref(raw, params) }
            Z3_params_set_bool(raw, params, try symbol("ctrl_c"), false)
            Z3_solver_set_params(raw, solver, params)
            try checkError()
        }
        _ = Z3_solver_check(raw, solver)
        try checkError()
    }

    /// Runs `body`; if it failed only because of a stale interrupt
    /// (Z3 "canceled" outside a check), clears it and runs `body` once more.
    func retryingIfCanceled<T>(_ body: () throws(SMTError) -> T) throws(SMTError) -> T {
        do {
            return try body()
        } catch let error {
            guard case let .z3(_, message) = error, message == "canceled" else { throw error }
            try clearInterruption()
            return try body()
        }
    }

    /// Converts a Z3 string result into a Swift string after checking errors.
    func string(_ operation: String, _ result: Z3_string?) throws(SMTError) -> String {
        try checkError()
        guard let result else {
            throw .z3(code: -1, message: "\(operation): Z3 returned no string")
        }
        return String(cString: result)
    }

    /// Runs a Z3 AST constructor, checks for errors and takes ownership of the
    /// result. The result is referenced before any other Z3 call is made
    /// (in RC mode an unreferenced result only survives until the next call).
    func makeTerm(_ operation: String, _ make: (Z3_context) -> Z3_ast?) throws(SMTError) -> Term {
        let ast = make(raw)
        try checkError()
        guard let ast else {
            throw .z3(code: -1, message: "\(operation): Z3 returned no term")
        }
        return try adoptTerm(ast)
    }

    /// Runs an n-ary Z3 AST constructor over `args` (after checking they all
    /// belong to this context).
    func makeTerm(
        _ operation: String,
        _ args: [Term],
        _ make: (Z3_context, UInt32, UnsafePointer<Z3_ast?>) -> Z3_ast?
    ) throws(SMTError) -> Term {
        try requireOwned(args, operation)
        guard let count = UInt32(exactly: args.count) else {
            throw .invalidArgument("\(operation): too many arguments")
        }
        let handles: [Z3_ast?] = args.map { $0.raw }
        let ast = withExtendedLifetime(args) {
            handles.withUnsafeBufferPointer { buffer in
                make(raw, count, buffer.baseAddress!)
            }
        }
        try checkError()
        guard let ast else {
            throw .z3(code: -1, message: "\(operation): Z3 returned no term")
        }
        return try adoptTerm(ast)
    }

    /// Wraps a fresh (unreferenced) Z3 AST into an owning ``Term``.
    func adoptTerm(_ ast: Z3_ast) throws(SMTError) -> Term {
        Z3_inc_ref(raw, ast)
        defer { Z3_dec_ref(raw, ast) }
        let sort = Z3_get_sort(raw, ast)
        try checkError()
        guard let sort else {
            throw .z3(code: -1, message: "Z3_get_sort returned no sort")
        }
        let kind = try sortKind(of: sort)
        return Term(context: self, raw: ast, kind: kind)
    }

    /// Wraps a fresh (unreferenced) Z3 sort into an owning ``Sort``.
    func adoptSort(_ operation: String, _ make: (Z3_context) -> Z3_sort?) throws(SMTError) -> Sort {
        let sort = make(raw)
        try checkError()
        guard let sort else {
            throw .z3(code: -1, message: "\(operation): Z3 returned no sort")
        }
        let ast = Z3_sort_to_ast(raw, sort)
        Z3_inc_ref(raw, ast)
        defer { Z3_dec_ref(raw, ast) }
        let kind = try sortKind(of: sort)
        return Sort(context: self, raw: sort, kind: kind)
    }

    /// Classifies a Z3 sort.
    func sortKind(of sort: Z3_sort) throws(SMTError) -> SortKind {
        let kind: SortKind
        switch Z3_get_sort_kind(raw, sort) {
        case Z3_BOOL_SORT:
            kind = .bool
        case Z3_INT_SORT:
            kind = .int
        case Z3_REAL_SORT:
            kind = .real
        case Z3_BV_SORT:
            kind = .bitVector(width: Int(Z3_get_bv_sort_size(raw, sort)))
        case Z3_SEQ_SORT where Z3_is_string_sort(raw, sort):
            kind = .string
        case Z3_RE_SORT where Z3_is_string_sort(raw, Z3_get_re_sort_basis(raw, sort)):
            kind = .regex
        default:
            kind = .other(try string("Z3_sort_to_string", Z3_sort_to_string(raw, sort)))
        }
        try checkError()
        return kind
    }

    /// Throws unless every term was created by this context.
    func requireOwned(_ terms: [Term], _ operation: String) throws(SMTError) {
        for term in terms where term.context !== self {
            throw .contextMismatch(operation: operation)
        }
    }

    /// Throws unless every term was created by this context and has `kind`.
    func require(_ terms: [Term], are kind: SortKind, _ operation: String) throws(SMTError) {
        try requireOwned(terms, operation)
        for term in terms where term.kind != kind {
            throw .sortMismatch(operation: operation, expected: kind.description, actual: term.kind.description)
        }
    }

    /// Throws unless both terms belong to this context and share one sort.
    func requireSameSort(_ lhs: Term, _ rhs: Term, _ operation: String) throws(SMTError) {
        try requireOwned([lhs, rhs], operation)
        guard lhs.kind == rhs.kind else {
            throw .sortMismatch(operation: operation, expected: lhs.kind.description, actual: rhs.kind.description)
        }
    }

    /// A Z3 symbol for `name`.
    func symbol(_ name: String) throws(SMTError) -> Z3_symbol {
        let symbol = Z3_mk_string_symbol(raw, name)
        try checkError()
        guard let symbol else {
            throw .z3(code: -1, message: "Z3_mk_string_symbol returned no symbol")
        }
        return symbol
    }
}
