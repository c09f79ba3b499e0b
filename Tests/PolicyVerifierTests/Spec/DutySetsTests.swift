import Foundation
import Testing
import PolicyLanguage
import PolicyVerifier

/// The ready-made segregation-of-duties specs in `Policies/duties`.
@Suite("DutySets")
struct DutySetsTests {
    static let folder = VerifierPaths.repositoryRoot.appendingPathComponent("Policies/duties")

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func theFourDutySetsAreThere() {
        #expect(Self.files == [
            "code-change-vs-deploy-approval.yaml", "create-user-vs-attach-policy.yaml",
            "iam-admin-vs-log-deletion.yaml", "kms-admin-vs-key-use.yaml",
        ])
    }

    private func readSpec(_ name: String) throws -> Spec {
        switch SpecReader.read(contentsOf: Self.folder.appendingPathComponent(name).path, displayName: name) {
        case .success(let spec):
            return spec
        case .failure(let errors):
            Issue.record("\(name) does not read:\n\(errors)")
            throw errors
        }
    }

    @Test(arguments: files)
    func readsWithoutErrorsAndHasDuties(_ name: String) throws {
        let spec = try readSpec(name)
        #expect(spec.invariants.isEmpty)
        #expect(spec.duties.count >= 1)
        for duty in spec.duties {
            #expect(duty.conflicting.count >= 2, "\(name): \(duty.name)")
            for set in duty.conflicting {
                #expect(!set.statements.isEmpty)
                #expect(set.statements.allSatisfy { $0.action?.isNot == false && !($0.action?.patterns.isEmpty ?? true) })
            }
        }
        // Each file is named after its one duty.
        #expect(spec.duties.map(\.name) == [String(name.dropLast(".yaml".count))])
    }

    @Test(arguments: files)
    func everyActionIsInTheCatalogue(_ name: String) throws {
        let catalog = ActionCatalog.bundled
        try #require(catalog.loadError == nil)
        let patterns = try readSpec(name).duties.flatMap(\.conflicting).flatMap(\.statements).flatMap { $0.action?.patterns ?? [] }
        #expect(!patterns.isEmpty)
        for pattern in patterns {
            if pattern.hasWildcard {
                #expect(!catalog.actions(matching: pattern.text).isEmpty, "\(name): \(pattern.text) matches no catalogue action")
            } else {
                #expect(catalog.action(pattern.text)?.fullName == pattern.text, "\(name): \(pattern.text) is not a catalogue action (or not in AWS's casing)")
            }
        }
    }

    @Test(arguments: files)
    func conflictingSetsShareNoAction(_ name: String) throws {
        let catalog = ActionCatalog.bundled
        for duty in try readSpec(name).duties {
            let sets = duty.conflicting.map { set in
                Set(set.statements.flatMap { $0.action?.patterns ?? [] }.flatMap { catalog.actions(matching: $0.text) }.map(\.fullName))
            }
            for i in sets.indices {
                for j in sets.indices where j > i {
                    #expect(sets[i].isDisjoint(with: sets[j]), "\(name): sets \(i) and \(j) overlap on \(sets[i].intersection(sets[j]).sorted())")
                }
            }
        }
    }

    @Test func knownActionsAreInTheRightSets() throws {
        let catalog = ActionCatalog.bundled
        func expanded(_ name: String) throws -> [Set<String>] {
            try readSpec(name).duties[0].conflicting.map { set in
                Set(set.statements.flatMap { $0.action?.patterns ?? [] }.flatMap { catalog.actions(matching: $0.text) }.map(\.fullName))
            }
        }
        let kms = try expanded("kms-admin-vs-key-use.yaml")
        #expect(kms[0].isSuperset(of: ["kms:CreateKey", "kms:PutKeyPolicy", "kms:DisableKey", "kms:ScheduleKeyDeletion"]))
        #expect(kms[1] == ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext"])
        let users = try expanded("create-user-vs-attach-policy.yaml")
        #expect(users[1] == ["iam:AttachGroupPolicy", "iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:AddUserToGroup"])
        let code = try expanded("code-change-vs-deploy-approval.yaml")
        #expect(code[0].isSuperset(of: ["codecommit:GitPush", "codecommit:MergePullRequestByFastForward", "codecommit:MergePullRequestBySquash", "codecommit:MergePullRequestByThreeWay"]))
        #expect(code[1] == ["codepipeline:PutApprovalResult"])
        let logs = try expanded("iam-admin-vs-log-deletion.yaml")
        #expect(logs[1].isSuperset(of: ["cloudtrail:DeleteTrail", "cloudtrail:StopLogging", "logs:DeleteLogGroup", "logs:DeleteLogStream"]))
        #expect(!logs[0].contains("iam:GetPolicy"))
    }
}
