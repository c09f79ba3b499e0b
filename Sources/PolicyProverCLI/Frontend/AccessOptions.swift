import ArgumentParser
import PolicyLanguage
import PolicyVerifier

extension ResourceType: ExpressibleByArgument {}

/// Options of the no-public-access and no-external-access questions.
struct AccessOptions: ParsableArguments {
    @Flag(name: .customLong("no-public"), help: "Prove that no unbounded set of principals (anyone, any account, any web identity) can get in.")
    var noPublic = false

    @Flag(name: .customLong("no-external"), help: "Prove that no principal outside the zone of trust can get in (needs --trusted-account or --trusted-org, or a spec's trusted: block).")
    var noExternal = false

    @Option(name: .customLong("trusted-account"), help: "An account ID of the zone of trust (repeatable).")
    var trustedAccounts: [String] = []

    @Option(name: .customLong("trusted-org"), help: "An AWS Organizations ID of the zone of trust (repeatable).")
    var trustedOrganizations: [String] = []

    @Option(name: .customLong("trusted-vpc"), help: "A VPC whose traffic counts as inside the zone (repeatable).")
    var trustedVPCs: [String] = []

    @Option(name: .customLong("trusted-vpc-endpoint"), help: "A VPC endpoint whose traffic counts as inside the zone (repeatable).")
    var trustedVPCEndpoints: [String] = []

    @Option(name: .customLong("resource-type"), help: "The resource the policy is attached to (default: inferred from its actions and resources): \(ResourceType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var resourceType: ResourceType?

    @Option(help: "The most findings (ways in) to report per policy and question.")
    var findings: Int = 20

    func validate() throws {
        for account in trustedAccounts where !ARNFields.isAccountID(account) {
            throw ValidationError("--trusted-account \(account) is not an AWS account ID (12 digits)")
        }
        for organization in trustedOrganizations where !SpecReader.isOrganizationID(organization) {
            throw ValidationError("--trusted-org \(organization) is not an AWS Organizations ID (o- followed by 10 to 32 lowercase letters or digits)")
        }
        guard (1...1000).contains(findings) else { throw ValidationError("--findings must be between 1 and 1000") }
    }

    /// The command line's zone, added to `spec`'s.
    func zone(adding spec: TrustedZone) -> TrustedZone {
        let span = SourceSpan(file: "<command line>", start: SourceLocation(line: 1, column: 1))
        func located(_ values: [String]) -> [Located<String>] { values.map { Located($0, at: span) } }
        return TrustedZone(accounts: spec.accounts + located(trustedAccounts), organizations: spec.organizations + located(trustedOrganizations),
                           vpcs: spec.vpcs + located(trustedVPCs), vpcEndpoints: spec.vpcEndpoints + located(trustedVPCEndpoints))
    }

    /// The invariants the flags ask for.
    var invariants: [Invariant] {
        let span = SourceSpan(file: "<command line>", start: SourceLocation(line: 1, column: 1))
        return (noPublic ? [Invariant(name: "no-public-access", kind: .noPublicAccess, span: span)] : [])
            + (noExternal ? [Invariant(name: "no-external-access", kind: .noExternalAccess, span: span)] : [])
    }
}
