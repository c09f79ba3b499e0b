import PolicyLanguage
import Synchronization

/// What the encoder needs of an action catalogue, computed once per catalogue and process: each
/// service's actions in the order witnesses are preferred (actions that change more first), and which
/// have resource-level permissions.
final class CatalogDigest: Sendable {
    struct Action: Sendable {
        var name: String
        /// Whether the action supports resource-level permissions (else it is requested on `*`).
        var hasResourceLevelPermissions: Bool
    }

    /// Lower-cased service prefix → actions, preferred first.
    let actionsByService: [String: [Action]]
    /// Service prefixes in catalogue order.
    let services: [String]

    private init(_ catalog: ActionCatalog) {
        let levels: [AccessLevel] = [.permissionsManagement, .write, .tagging, .read, .list]
        var byService: [String: [ActionInfo]] = [:]
        for action in catalog.actions(matching: "*") { byService[action.service.lowercased(), default: []].append(action) }
        actionsByService = byService.mapValues { actions in
            actions.sorted { (levels.firstIndex(of: $0.accessLevel) ?? 9, $0.name) < (levels.firstIndex(of: $1.accessLevel) ?? 9, $1.name) }
                .map { Action(name: $0.fullName, hasResourceLevelPermissions: $0.supportsResourceLevelPermissions) }
        }
        services = catalog.servicePrefixes.map { $0.lowercased() }
    }

    private static let cache = Mutex<[ObjectIdentifier: CatalogDigest]>([:])

    static func of(_ catalog: ActionCatalog) -> CatalogDigest {
        cache.withLock { digests in
            if let known = digests[ObjectIdentifier(catalog)] { return known }
            let digest = CatalogDigest(catalog)
            digests[ObjectIdentifier(catalog)] = digest
            return digest
        }
    }
}
