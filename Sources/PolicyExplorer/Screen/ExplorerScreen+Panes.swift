import PolicyLanguage
import PolicyVerifier

extension ExplorerScreen {
    /// The lower pane: a heading row, then its content scrolled by `state.scroll`, `height` rows in all.
    static func pane(_ state: ExplorerState, width: Int, height: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        var (name, content, anchor) = paneContent(state)
        // Source lines keep their shape (clipped); the other panes are prose and wrap.
        if case .source = state.panel {} else { content = content.flatMap { $0.wrapped(to: width, indent: 7) } }
        let heading = "─ \(name) "
        var rows = [ScreenLine(heading + String(repeating: "─", count: max(0, width - heading.count)), .heading)]
        let visible = height - 1
        let start = max(0, min(anchor + state.scroll, content.count - visible))
        rows += content.dropFirst(start).prefix(visible)
        while rows.count < height { rows.append(ScreenLine("")) }
        return rows
    }

    /// The pane's name, rows, and the row it opens at.
    static func paneContent(_ state: ExplorerState) -> (String, [ScreenLine], Int) {
        switch state.panel {
        case .source: return source(state)
        case .help: return ("Keys (Esc or ? closes)", help(), 0)
        case .why(let traces): return ("Why: the concrete evaluator's trace (Esc closes)", why(traces), 0)
        case .generalization(let grants): return ("Generalized: what the same statements grant (Esc closes)", generalization(grants), 0)
        case .fix(let outcome): return ("Fix, re-proved (Esc shows the edited policy)", fix(outcome, state: state), 0)
        case .exclude(let options): return ("Exclude from the question", exclude(options), 0)
        }
    }

    // MARK: Source

    static func source(_ state: ExplorerState) -> (String, [ScreenLine], Int) {
        let policy = state.policy.policy
        var styles: [Int: ScreenStyle] = [:]
        var firstMarked: Int?
        if let outcome = state.current?.outcomes.first(where: { $0.label == state.property.exploredLabel }) {
            func mark(_ reference: StatementReference, _ style: ScreenStyle) {
                guard policy.statements.indices.contains(reference.statementIndex) else { return }
                let statement = policy.statements[reference.statementIndex]
                for line in statement.span.start.line...max(statement.span.start.line, statement.span.end.line) { styles[line] = style }
                if style == .grant, let condition = statement.condition {
                    for line in condition.keySpan.start.line...max(condition.keySpan.start.line, condition.valueSpan.end.line) { styles[line] = .condition }
                }
                firstMarked = min(firstMarked ?? .max, statement.span.start.line)
            }
            outcome.allowing.forEach { mark($0, .grant) }
            outcome.denying.forEach { mark($0, .deny) }
        }
        let lines = SourceLines.split(state.source)
        let width = String(lines.count).count
        let rows = lines.enumerated().map { index, text in
            let number = index + 1
            let style = styles[number] ?? .plain
            let marker = style == .grant || style == .condition ? "▶" : style == .deny ? "✖" : " "
            let gutter = String(repeating: " ", count: width - String(number).count) + String(number)
            return ScreenLine([ScreenSpan(" \(marker) ", style), ScreenSpan(gutter + " │ ", .dim), ScreenSpan(String(text), style)])
        }
        let legend = firstMarked == nil ? "" : " (▶ grants this request, conditions included; ✖ denies)"
        return ("Policy \(policy.file)\(legend)", rows, max(0, (firstMarked ?? 1) - 3))
    }

    // MARK: Help

    static func help() -> [ScreenLine] {
        let keys: [(String, String)] = [
            ("n", "next distinct counterexample (the ones shown are blocked, with every request the policy cannot tell apart from them)"),
            ("p", "previous counterexample"),
            ("g", "generalize: which callers, actions and resources the granting statements grant"),
            ("w", "why: the concrete evaluator's trace of this request, statement by statement"),
            ("x", "exclude this action, service, resource, caller or account from the question, and search again"),
            ("f", "fix: apply the best edit that closes this request (a condition, a narrower wildcard, a Deny) and re-prove"),
            ("u", "undo the last fix"),
            ("s", "save the edited policy (next to the original unless --output is given)"),
            ("e", "export the counterexamples (and the proof, once the search is over) as JSON"),
            ("↑ ↓ j k", "scroll the lower pane; PgUp PgDn by ten rows"),
            ("Esc", "back to the policy source"),
            ("q", "quit (asks again when a fix is not saved); Ctrl-C quits at once"),
        ]
        return keys.map { key, meaning in
            var row = ScreenLine([ScreenSpan("   " + key.padding(toLength: 9, withPad: " ", startingAt: 0), .key), ScreenSpan(meaning)])
            row.hangingIndent = 12
            return row
        }
            + [ScreenLine(""), ScreenLine("   Every counterexample is re-checked by the concrete evaluator before it is shown; a timeout is UNKNOWN, never a pass.", .dim)]
    }

    // MARK: Why

    static func why(_ traces: [PolicyTrace]) -> [ScreenLine] {
        var rows: [ScreenLine] = []
        for trace in traces {
            rows.append(ScreenLine([ScreenSpan("   \(trace.label) (\(trace.file)): ", .heading), ScreenSpan(trace.allows ? "allows the request" : "does not allow the request", trace.allows ? .grant : .plain)]))
            for statement in trace.statements {
                let effect = statement.statement.effect?.rawValue ?? "?"
                let style: ScreenStyle = statement.applies ? (effect == "Deny" ? .deny : .grant) : .dim
                rows.append(ScreenLine("     \(reference(statement.statement)), \(effect): \(statement.applies ? "applies" : "does not apply")", style))
                let resource = statement.resourceEntries.isEmpty ? "" : " (" + statement.resourceEntries.joined(separator: ", ") + ")"
                rows.append(ScreenLine("       action \(mark(statement.actionMatches))  resource \(mark(statement.resourceMatches))\(resource)  principal \(mark(statement.principalMatches))"))
                for condition in statement.conditions {
                    rows.append(ScreenLine("       \(mark(condition.holds)) \(condition.text): \(condition.reason)", condition.holds ? .condition : .plain))
                }
            }
            rows.append(ScreenLine(""))
        }
        return rows
    }

    static func mark(_ holds: Bool) -> String { holds ? "✓" : "✗" }

    // MARK: Generalization

    static func generalization(_ grants: [StatementGrant]) -> [ScreenLine] {
        var rows: [ScreenLine] = []
        for grant in grants {
            rows.append(ScreenLine("   \(reference(grant.statement)) grants every request with", .heading))
            let callers = grant.principals.isEmpty ? "(none named)" : grant.principals.joined(separator: ", ")
            rows.append(ScreenLine("     \(grant.principalsAreExcluded ? "callers but" : "callers    ") \(callers)"))
            var actions = "     \(grant.actionsAreExcluded ? "actions but" : "actions    ") \(grant.actions.joined(separator: ", "))"
            if let count = grant.grantedActionCount {
                actions += " → \(count) catalogued action\(count == 1 ? "" : "s")" + (grant.catalogActionCount.map { " of \($0)" } ?? "")
            }
            rows.append(ScreenLine(actions))
            if !grant.sampleActions.isEmpty {
                let more = (grant.grantedActionCount ?? 0) > grant.sampleActions.count ? ", …" : ""
                rows.append(ScreenLine("                 " + grant.sampleActions.joined(separator: ", ") + more, .dim))
            }
            let resources = grant.resources.isEmpty ? "(no Resource element)" : grant.resources.joined(separator: ", ")
            rows.append(ScreenLine("     \(grant.resourcesAreExcluded ? "resources but" : "resources  ") \(resources)"))
            if grant.conditions.isEmpty {
                rows.append(ScreenLine("     conditions none: every such request is granted", .grant))
            }
            for condition in grant.conditions {
                rows.append(ScreenLine("     condition  \(condition.operatorName) \(condition.key) \(condition.values.map(JSONStringLiteral.quoted).joined(separator: ", "))", .condition))
            }
            if !grant.denies.isEmpty {
                rows.append(ScreenLine("     except what \(grant.denies.map(reference).joined(separator: ", ")) denies"))
            }
            rows.append(ScreenLine(""))
        }
        return rows
    }

    // MARK: Fix

    static func fix(_ outcome: FixOutcome, state: ExplorerState) -> [ScreenLine] {
        var rows = [ScreenLine([ScreenSpan("   Fix (\(outcome.fix.kind.rawValue)): ", .heading), ScreenSpan(outcome.fix.summary)])]
        for line in outcome.fix.diff {
            switch line.kind {
            case .added: rows.append(ScreenLine("   + " + line.text, .added))
            case .removed: rows.append(ScreenLine("   - " + line.text, .removed))
            case .context: rows.append(ScreenLine("     " + line.text, .dim))
            }
        }
        rows.append(ScreenLine(""))
        switch outcome.reproof {
        case .exhausted(let proof) where proof.propertyHolds:
            rows.append(ScreenLine([ScreenSpan("   Re-proved on the edited policy: ", .heading), ScreenSpan("PASS", .pass), ScreenSpan(" — \(state.title) holds for every request")]))
        case .exhausted:
            rows.append(ScreenLine([ScreenSpan("   Re-proved on the edited policy: ", .heading), ScreenSpan("no counterexample", .pass), ScreenSpan(" outside your exclusions")]))
        case .counterexample:
            rows.append(ScreenLine([ScreenSpan("   Re-proved on the edited policy: ", .heading), ScreenSpan("still FAILS", .fail), ScreenSpan(" — the next counterexample is shown above (f again to fix it too)")]))
        case .unknown(let reason):
            rows.append(ScreenLine([ScreenSpan("   Re-proved on the edited policy: ", .heading), ScreenSpan("UNKNOWN", .unknown), ScreenSpan(" — \(reason)")]))
        }
        if !outcome.alternatives.isEmpty {
            rows.append(ScreenLine("   Other edits that also close this request:", .dim))
            rows += outcome.alternatives.map { ScreenLine("     · " + $0, .dim) }
        }
        return rows
    }

    // MARK: Exclude

    static func exclude(_ options: [ExclusionOption]) -> [ScreenLine] {
        options.map { option in
            ScreenLine([ScreenSpan("   \(option.key)  ", .key), ScreenSpan(option.exclusion.description + (option.isExact ? "" : "  (not available: already excluded, or not exact)"), option.isExact ? .plain : .dim)])
        } + [ScreenLine([ScreenSpan("   Esc", .key), ScreenSpan(" cancel")]), ScreenLine(""),
             ScreenLine("   The question then covers every other request: \"none left\" is still a proof about all of them.", .dim)]
    }
}
