@testable import PolicyExplorer
import Testing

/// Edits written into a policy's own text (UTF-8 byte offsets), and the line diff a fix is shown as.
@Suite struct SourceEditTests {
    @Test func severalEditsApplyInAnyOrder() {
        let text = "abcdef"
        let edits: [SourceEdit] = [.insert("X", at: 0), SourceEdit(range: 2..<4, replacement: "YY!"), .insert("Z", at: 6)]
        #expect(edits.applied(to: text) == "XabYY!efZ")
        #expect(Array(edits.reversed()).applied(to: text) == "XabYY!efZ")
    }

    @Test func noEditsLeaveTheTextAsItIs() {
        #expect([SourceEdit]().applied(to: "{\"Statement\": []}") == "{\"Statement\": []}")
    }

    @Test func insertIsAnEmptyRange() {
        let edit = SourceEdit.insert("text", at: 7)
        #expect(edit.range == 7..<7)
        #expect(edit.replacement == "text")
        #expect([edit].applied(to: "0123456789") == "0123456text789")
    }

    @Test func deletionAndReplacementOfTheWholeText() {
        #expect([SourceEdit(range: 0..<5, replacement: "")].applied(to: "hello") == "")
        #expect([SourceEdit(range: 0..<5, replacement: "bye")].applied(to: "hello") == "bye")
        #expect([SourceEdit.insert("!", at: 5)].applied(to: "hello") == "hello!")
    }

    @Test(arguments: [-1..<0, 0..<6, 6..<6, 3..<9, -2..<2])
    func editOutsideTheTextIsNil(range: Range<Int>) {
        #expect([SourceEdit(range: range, replacement: "x")].applied(to: "hello") == nil)
    }

    @Test func oneEditOutsideSpoilsTheOthers() {
        #expect([SourceEdit.insert("A", at: 1), SourceEdit(range: 4..<9, replacement: "x")].applied(to: "hello") == nil)
        #expect([SourceEdit(range: -1..<1, replacement: "x"), .insert("A", at: 3)].applied(to: "hello") == nil)
    }

    @Test
    func editOutsideTheTextIsNilAfterAnInsertionAtTheSameOffset() {
        // 0..<6 lies outside the 5 bytes of "hello"; the insertion at 0 makes the buffer 7 bytes first.
        #expect([SourceEdit.insert("ok", at: 0), SourceEdit(range: 0..<6, replacement: "x")].applied(to: "hello") == nil)
    }

    @Test
    func insertionBeforeAReplacementKeepsBoth() {
        let insertion = SourceEdit.insert("A", at: 2), replacement = SourceEdit(range: 2..<4, replacement: "B")
        #expect([replacement, insertion].applied(to: "hello") == "heABo")
        #expect([insertion, replacement].applied(to: "hello") == "heABo")
    }

    @Test func offsetsCountUTF8Bytes() {
        // "é" is two bytes and "🔑" four: byte 3 is after "hé", byte 7 after "hé🔑".
        let text = "hé🔑llo"
        #expect(Array(text.utf8).count == 10)
        #expect([SourceEdit.insert("X", at: 3)].applied(to: text) == "héX🔑llo")
        #expect([SourceEdit.insert("X", at: 7)].applied(to: text) == "hé🔑Xllo")
        #expect([SourceEdit(range: 3..<7, replacement: "ключ")].applied(to: text) == "héключllo")
        #expect([SourceEdit.insert("X", at: 10)].applied(to: text) == "hé🔑lloX")
        #expect([SourceEdit.insert("X", at: 11)].applied(to: text) == nil)
    }

    @Test func multibyteReplacementsShiftNothingBeforeThem() {
        let text = "{\"Sid\": \"Ünïcode\", \"Action\": \"s3:*\"}"
        func offset(of character: Character) -> Int {
            text.utf8.distance(from: text.utf8.startIndex, to: text.firstIndex(of: character)!)
        }
        let star = offset(of: "*"), sid = offset(of: "Ü")
        #expect((star, sid) == (35, 9))
        let edits = [SourceEdit(range: star - 3..<star + 1, replacement: "s3:GetObject"), SourceEdit(range: sid..<sid + 2, replacement: "U")]
        #expect(edits.applied(to: text) == "{\"Sid\": \"Unïcode\", \"Action\": \"s3:GetObject\"}")
    }

    // MARK: LineDiff

    @Test func diffKeepsOneLineOfContextAroundTheChange() {
        let old = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}"
        let new = "{\n  \"a\": 1,\n  \"b\": 20,\n  \"c\": 3\n}"
        #expect(LineDiff.lines(from: old, to: new) == [
            DiffLine(kind: .context, text: "  \"a\": 1,"),
            DiffLine(kind: .removed, text: "  \"b\": 2,"),
            DiffLine(kind: .added, text: "  \"b\": 20,"),
            DiffLine(kind: .context, text: "  \"c\": 3"),
        ])
    }

    @Test func diffOfAnAppendedLineHasNoRemovedLine() {
        #expect(LineDiff.lines(from: "a\nb", to: "a\nb\nc") == [DiffLine(kind: .context, text: "b"), DiffLine(kind: .added, text: "c")])
        #expect(LineDiff.lines(from: "b\nc", to: "a\nb\nc") == [DiffLine(kind: .added, text: "a"), DiffLine(kind: .context, text: "b")])
    }

    @Test func diffOfRepeatedLinesCountsThemOnce() {
        let diff = LineDiff.lines(from: "x\nx", to: "x\nx\nx", context: 0)
        #expect(diff == [DiffLine(kind: .added, text: "x")])
    }

    @Test func diffOfAFixAppliedToTheSourceShowsTheInsertion() throws {
        let old = Fixture.multilineBucket
        let anchor = Array(old.utf8).count - 6  // before "\n  ]\n}"
        let text = try #require([SourceEdit.insert(",\n    {\"Effect\": \"Deny\"}", at: anchor)].applied(to: old))
        let diff = LineDiff.lines(from: old, to: text)
        #expect(diff.filter { $0.kind == .added }.map(\.text) == ["    },", "    {\"Effect\": \"Deny\"}"])
        #expect(diff.filter { $0.kind == .removed }.map(\.text) == ["    }"])
    }

    @Test
    func diffOfACRLFTextShowsTheChangedLineOnly() {
        let diff = LineDiff.lines(from: "a\r\nb\r\nc", to: "a\r\nX\r\nc")
        #expect(diff.map(\.kind) == [.context, .removed, .added, .context])
    }
}
