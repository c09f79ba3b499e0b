import Foundation
import PolicyLanguage

// Shrinks a failing mutant for the report (MutationFuzzTests.swift): drops statements, statement
// members, list entries, condition operators and keys, and request context, while the failure persists.

enum MutantMinimiser {
    /// The smallest (tree, request) reached by greedy one-step reductions for which `fails` still
    /// holds, within `budget` tries.
    static func minimise(_ tree: FuzzJSON, _ request: DiffRequest, budget: Int = 300, fails: (FuzzJSON, DiffRequest) -> Bool) -> (FuzzJSON, DiffRequest) {
        var tree = tree, request = request, budget = budget
        var changed = true
        while changed, budget > 0 {
            changed = false
            for candidate in reductions(of: tree) where budget > 0 {
                budget -= 1
                if fails(candidate, request) {
                    tree = candidate
                    changed = true
                    break
                }
            }
            if changed { continue }
            for candidate in reductions(of: request) where budget > 0 {
                budget -= 1
                if fails(tree, candidate) {
                    request = candidate
                    changed = true
                    break
                }
            }
        }
        return (tree, request)
    }

    /// Every tree one step smaller: a list element or object member removed anywhere (the root's
    /// members only below `Statement`), a single-element list made a scalar.
    static func reductions(of tree: FuzzJSON) -> [FuzzJSON] {
        var result: [FuzzJSON] = []
        func visit(_ node: FuzzJSON, _ rebuild: (FuzzJSON) -> FuzzJSON, depth: Int) {
            switch node {
            case .array(let elements):
                for index in elements.indices {
                    var copy = elements
                    copy.remove(at: index)
                    result.append(rebuild(.array(copy)))
                }
                if elements.count == 1, elements[0].members == nil { result.append(rebuild(elements[0])) }
                for (index, element) in elements.enumerated() {
                    visit(element, { var copy = elements; copy[index] = $0; return rebuild(.array(copy)) }, depth: depth + 1)
                }
            case .object(let members):
                if depth > 0 {
                    for index in members.indices {
                        var copy = members
                        copy.remove(at: index)
                        result.append(rebuild(.object(copy)))
                    }
                }
                for (index, member) in members.enumerated() {
                    visit(member.value, { var copy = members; copy[index].value = $0; return rebuild(.object(copy)) }, depth: depth + 1)
                }
            default: break
            }
        }
        visit(tree, { $0 }, depth: 0)
        return result
    }

    static func reductions(of request: DiffRequest) -> [DiffRequest] { Differential.requestReductions(request) }
}
