import PolicyLanguage
import PolicyVerifier

/// Lays the explorer's state out as rows of styled text: the property, the counterexample request
/// (or the proof that none is left), a lower pane (the policy source with the granting statements
/// highlighted, or help, why, generalization, fix, exclusion menu), a status line and the keys.
/// Pure: the same state and size give the same screen.
public enum ExplorerScreen {
    /// The keys, as the bottom row shows them.
    public static let keyLine = "n next  p prev  g generalize  w why  x exclude  f fix  u undo  s save  e export  ? help  q quit"

    /// Exactly `height` rows (at least 8), none wider than `width` characters.
    public static func render(_ state: ExplorerState, width: Int, height: Int) -> [ScreenLine] {
        let width = max(width, 20), height = max(height, 8)
        var top = header(state, width: width)
        top += counterexample(state).flatMap { $0.wrapped(to: width, indent: 14) }
        // The lower pane gets what is left, but the top never takes more than two thirds.
        let topLimit = max(3, (height - 2) * 2 / 3)
        if top.count > topLimit { top = Array(top.prefix(topLimit - 1)) + [ScreenLine("  …", .dim)] }
        let paneHeight = height - 2 - top.count
        var rows = top + pane(state, width: width, height: paneHeight)
        let status = state.busy.map { ScreenLine(" " + $0, .status) } ?? ScreenLine(" " + state.status, .status)
        rows.append(status)
        rows.append(ScreenLine(" " + keyLine, .key))
        return rows.map { $0.clipped(to: width) }
    }

    // MARK: Top

    static func header(_ state: ExplorerState, width: Int) -> [ScreenLine] {
        let title = " PolicyProver explore · \(state.policy.policy.file) · \(state.title)"
        var rows = [ScreenLine(title + String(repeating: " ", count: max(0, width - title.count)), .title)]
        rows += ScreenLine([ScreenSpan(" Property  ", .heading), ScreenSpan("\(state.title) — a counterexample is \(state.property.counterexampleMeaning)")]).wrapped(to: width, indent: 11)
        if !state.exclusions.isEmpty {
            rows += ScreenLine([ScreenSpan(" Excluded  ", .heading), ScreenSpan(state.exclusions.map(\.description).joined(separator: "; "))]).wrapped(to: width, indent: 11)
        }
        if !state.fixes.isEmpty {
            let saved = state.hasUnsavedFix ? "not saved (s saves)" : "saved"
            rows.append(ScreenLine([ScreenSpan(" Edited    ", .heading), ScreenSpan("\(state.fixes.count) fix\(state.fixes.count == 1 ? "" : "es") applied, \(saved)", .added)]))
        }
        return rows
    }

    static func counterexample(_ state: ExplorerState) -> [ScreenLine] {
        guard let example = state.current else { return end(state) }
        var rows = [ScreenLine([
            ScreenSpan(" FAIL ", .fail),
            ScreenSpan(" Counterexample \(state.position + 1) of \(state.found.count)\(state.end == nil ? " found so far" : ""), certified by the concrete evaluator", .heading),
        ])]
        rows += requestRows(example.request)
        for outcome in example.outcomes { rows.append(outcomeRow(outcome)) }
        return rows
    }

    static func requestRows(_ request: Request) -> [ScreenLine] {
        var rows = [
            ScreenLine("   principal  \(request.principal)"),
            ScreenLine("   action     \(request.action)"),
            ScreenLine("   resource   \(request.resource)"),
        ]
        let entries = request.context.allEntries
        if entries.isEmpty { rows.append(ScreenLine("   context    (no condition keys needed)", .dim)) }
        for (index, entry) in entries.enumerated() {
            let values = entry.isSet ? "[" + entry.values.map(JSONStringLiteral.quoted).joined(separator: ", ") + "]" : JSONStringLiteral.quoted(entry.values.first ?? "")
            rows.append(ScreenLine("   \(index == 0 ? "context  " : "         ")  \(entry.name) = \(values)"))
        }
        return rows
    }

    static func outcomeRow(_ outcome: PolicyOutcomeSummary) -> ScreenLine {
        let isScope = outcome.label == "scope" || outcome.label == "bound"
        let name = "   \(outcome.label) (\(outcome.file)): "
        if outcome.allows {
            let by = outcome.allowing.map(reference).joined(separator: ", ")
            return ScreenLine([ScreenSpan(name), ScreenSpan(isScope ? "contains it" : "allows it", isScope ? .plain : .grant), ScreenSpan(isScope ? "" : " — granted by \(by)")])
        }
        if !outcome.denying.isEmpty, !isScope {
            return ScreenLine([ScreenSpan(name), ScreenSpan("denies it", .deny), ScreenSpan(" — \(outcome.denying.map(reference).joined(separator: ", "))")])
        }
        return ScreenLine(name + (isScope ? "does not contain it" : "does not allow it"))
    }

    static func reference(_ statement: StatementReference) -> String {
        let name = statement.sid.map { "statement \"\($0)\"" } ?? "statement \(statement.statementIndex + 1)"
        return "\(name) (line \(statement.span.start.line))"
    }

    /// The end of the search: the proof that no counterexample is left, or why the solver could not say.
    static func end(_ state: ExplorerState) -> [ScreenLine] {
        switch state.end {
        case nil:
            return [ScreenLine(" …", .dim)]
        case .unknown(let reason):
            return [
                ScreenLine([ScreenSpan(" UNKNOWN ", .unknown), ScreenSpan(" no answer: \(reason)", .heading)]),
                ScreenLine("   This is not a pass: the requests not yet shown may still break the property.", .dim),
            ]
        case .exhausted(let proof):
            if proof.namesNoCallers {
                return [
                    ScreenLine([ScreenSpan(" PASS ", .pass), ScreenSpan(" the policy names no callers", .heading)]),
                    ScreenLine("   An identity-side policy grants only to the identities it is attached to, never to outsiders.", .dim),
                ]
            }
            let verdict = proof.propertyHolds
                ? ScreenLine([ScreenSpan(" PASS ", .pass), ScreenSpan(" \(state.title) holds for every request", .heading)])
                : ScreenLine([ScreenSpan(" DONE ", .pass), ScreenSpan(" no counterexample left" + ([proof.blocked > 0 ? " beyond the \(proof.blocked) shown" : nil, proof.exclusions.isEmpty ? nil : " outside the exclusions"].compactMap { $0 }.joined(separator: " and")), .heading)])
            var rows = [verdict, ScreenLine("   Z3 proved unsatisfiable (unsat, \(formatted(proof.seconds))): there is no request such that")]
            for (index, conjunct) in proof.question.enumerated() {
                rows.append(ScreenLine("     \(index == 0 ? " " : "∧") \(conjunct)"))
            }
            return rows
        }
    }

    static func formatted(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\(Double(Int(seconds * 100)) / 100) s"
    }
}
