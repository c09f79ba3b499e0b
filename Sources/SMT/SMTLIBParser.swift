import CZ3

extension SMTContext {
    /// Parses SMT-LIB 2 text and returns its `(assert ...)` formulas (Bool
    /// terms), for tests and debugging.
    ///
    /// `declarations` are constants of this context (made with
    /// ``constant(_:_:)`` and friends) that the text may refer to by name;
    /// the text may also declare its own with `declare-const`. Syntax, sort
    /// and unknown-symbol errors are thrown as ``SMTError/z3(code:message:)``
    /// with Z3's parser message; a declaration that is not an uninterpreted
    /// constant throws ``SMTError/invalidArgument(_:)``.
    public func parseAssertions(_ smtlib2: String, declaring declarations: [Term] = []) throws(SMTError) -> [Term] {
        try requireOwned(declarations, "parseAssertions")
        var names: [Z3_symbol?] = []
        var decls: [Z3_func_decl?] = []
        for constant in declarations {
            let isApp = Z3_is_app(raw, constant.raw)
            try checkError()
            guard isApp, let app = Z3_to_app(raw, constant.raw) else {
                throw .invalidArgument("\(constant) is not a constant")
            }
            let argumentCount = Z3_get_app_num_args(raw, app)
            let decl = Z3_get_app_decl(raw, app)
            try checkError()
            guard argumentCount == 0, let decl, Z3_get_decl_kind(raw, decl) == Z3_OP_UNINTERPRETED else {
                throw .invalidArgument("\(constant) is not an uninterpreted constant")
            }
            names.append(Z3_get_decl_name(raw, decl))
            decls.append(decl)
            try checkError()
        }

        let vector = try retryingIfCanceled { () throws(SMTError) -> Z3_ast_vector in
            let vector = withExtendedLifetime(declarations) {
                names.withUnsafeBufferPointer { names in
                    decls.withUnsafeBufferPointer { decls in
                        Z3_parse_smtlib2_string(
                            raw, smtlib2, 0, nil, nil, UInt32(decls.count), names.baseAddress, decls.baseAddress)
                    }
                }
            }
            try checkError()
            guard let vector else { throw .z3(code: -1, message: "Z3_parse_smtlib2_string returned no result") }
            return vector
        }
        Z3_ast_vector_inc_ref(raw, vector)
        defer { Z3_ast_vector_dec_ref(raw, vector) }

        let count = Z3_ast_vector_size(raw, vector)
        try checkError()
        var result: [Term] = []
        for index in 0..<count {
            let ast = Z3_ast_vector_get(raw, vector, index)
            try checkError()
            guard let ast else { throw .z3(code: -1, message: "Z3_ast_vector_get returned no term") }
            result.append(try adoptTerm(ast))
        }
        return result
    }
}
