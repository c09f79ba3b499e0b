import Foundation
import PolicyLanguage

/// Requests are sent now or later: `aws:CurrentTime` and `aws:EpochTime` are not in the past, and a
/// temporary credential's `aws:TokenIssueTime` is at most 36 hours old (the longest session AWS issues,
/// `GetSessionToken`; role sessions last at most 12 hours). Without this floor a condition such as
/// `DateLessThan aws:TokenIssueTime 2020-01-01` would look satisfiable, and a grant that expired long
/// ago would count as a way to escalate (BishopFox iam-vulnerable's fp5 control).
///
/// It restricts questions about what a principal *can* do: a request outside it can never be sent, so
/// proofs stay sound for every request from `now` on. Questions about what a policy *means* (diff,
/// never/only on a policy file) do not use it.
enum TimeFloor {
    static let timeKeys: Set<String> = ["aws:currenttime", "aws:epochtime", "aws:tokenissuetime"]

    /// Whether a condition of `policies` reads one of the time keys (only then is the floor needed).
    static func isRead(by policies: [Policy]) -> Bool {
        policies.contains { policy in
            policy.statements.contains { statement in
                (statement.condition?.clauses ?? []).contains { timeKeys.contains($0.key.value.lowercased()) }
            }
        }
    }

    /// The floor as a policy: every request whose time keys, where present, are not before `now`.
    static func policy(now: Date) -> Policy? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let current = formatter.string(from: now)
        let issued = formatter.string(from: now.addingTimeInterval(-36 * 3600))
        let epoch = Int(now.timeIntervalSince1970)
        let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"#
            + #""DateGreaterThanEqualsIfExists":{"aws:CurrentTime":"\#(current)","aws:TokenIssueTime":"\#(issued)"},"#
            + #""NumericGreaterThanEqualsIfExists":{"aws:EpochTime":"\#(epoch)"}}}]}"#
        return PolicyParser.parse(text: text, file: "<requests sent from \(current) on>").policy
    }
}
