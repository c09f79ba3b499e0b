import Testing
@testable import PolicyLanguage

@Suite("Policy variables")
struct TemplateStringTests {
    let span = SourceSpan(file: "t.json", start: SourceLocation(line: 1, column: 1))

    @Test func variablesEscapesAndDefaults() {
        let (template, issues) = TemplateString.parse("a/${aws:username}/${*}${?}${$}/${aws:PrincipalTag/team, 'none'}", version: .v2012_10_17, span: span)
        #expect(issues.isEmpty)
        #expect(template.parts.count == 8)
        #expect(template.parts[0] == .text("a/"))
        #expect(template.variables.map(\.key) == ["aws:username", "aws:PrincipalTag/team"])
        #expect(template.variables.map(\.defaultValue) == [nil, "none"])
        #expect(template.parts[3] == .escaped("*"))
        #expect(template.parts[4] == .escaped("?"))
        #expect(template.parts[5] == .escaped("$"))
    }

    @Test func oldLanguageKeepsTextLiteral() {
        let (template, issues) = TemplateString.parse("a/${aws:username}", version: .v2008_10_17, span: span)
        #expect(issues.isEmpty)
        #expect(template.parts == [.text("a/${aws:username}")])
        #expect(!template.hasVariables)
    }

    @Test(arguments: ["x${aws:username", "${}", "${a b}", "${k, noquote}"])
    func malformedVariablesAreReportedAndKeptLiteral(_ text: String) {
        let (template, issues) = TemplateString.parse(text, version: .v2012_10_17, span: span)
        #expect(issues.count == 1)
        #expect(!template.hasVariables)
    }
}
