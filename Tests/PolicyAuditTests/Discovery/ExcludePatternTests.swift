import Testing
@testable import PolicyAudit

@Suite struct ExcludePatternTests {
    @Test(arguments: [
        // (pattern, path, isDirectory, excluded)
        ("node_modules/", "node_modules", true, true),
        ("node_modules/", "web/node_modules", true, true),
        ("node_modules/", "node_modules", false, false),
        ("node_modules", "web/node_modules/x/policy.json", false, true),
        ("*.tf.json", "modules/a/main.tf.json", false, true),
        ("*.tf.json", "modules/a/main.json", false, false),
        ("docs/*.json", "docs/a.json", false, true),
        ("docs/*.json", "docs/sub/a.json", false, false),
        ("docs/*.json", "other/docs/a.json", false, false),
        ("**/fixtures", "a/b/fixtures", true, true),
        ("**/fixtures", "fixtures", true, true),
        ("docs/**", "docs/deep/er/x.yaml", false, true),
        ("a/**/b.json", "a/b.json", false, true),
        ("a/**/b.json", "a/x/y/b.json", false, true),
        ("a/**/b.json", "c/a/x/b.json", false, false),
        ("/top.json", "top.json", false, true),
        ("/top.json", "sub/top.json", false, false),
        ("p?.json", "p1.json", false, true),
        ("p?.json", "p10.json", false, false),
    ])
    func gitignoreMeanings(pattern: String, path: String, isDirectory: Bool, excluded: Bool) {
        #expect(ExcludePattern(pattern).matches(path, isDirectory: isDirectory) == excluded)
    }
}
