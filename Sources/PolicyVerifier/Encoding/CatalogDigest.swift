import PolicyLanguage
import Synchronization

/// What the encoder needs of an action catalogue, computed once per catalogue and process: every
/// action, and those without resource-level permissions (requested on the resource `*`).
final class CatalogDigest: Sendable {
    let wildcardOnlyActions: [String]

    private init(_ catalog: ActionCatalog) {
        wildcardOnlyActions = catalog.actions(matching: "*").filter { !$0.supportsResourceLevelPermissions }.map(\.fullName)
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
