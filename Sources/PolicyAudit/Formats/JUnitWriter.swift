import Foundation

/// Renders an `AuditReport` as JUnit XML, the test-report format that CI systems (Jenkins, GitLab,
/// Azure Pipelines, GitHub test reporters) show as a list of passed and failed tests.
public enum JUnitWriter {
    /// A JUnit XML document: `<testsuites name="policyprover">` with one `<testsuite>` per file.
    ///
    /// Guarantees:
    /// - Each file's `<testsuite name=path>` holds one `<testcase classname="path.policy" name="check id">`
    ///   per check of each of its policies, in report order. A passing check is an empty testcase; a
    ///   failed check holds `<failure type="check id">`; an UNKNOWN check holds `<failure type="unknown">`
    ///   (UNKNOWN is never a pass); a check that could not run holds `<error type="check id">`. The
    ///   element's text lists the issues as `file:line:column: message`, related locations indented.
    /// - A file with errors gets one more testcase, `classname=path name="read"`, holding an `<error>`
    ///   with every file error; a policy with no checks gets one `<skipped/>` testcase; a file with no
    ///   policies and no errors gets an empty testsuite.
    /// - `tests`, `failures`, `errors` and `skipped` count those testcases, per suite and in total; the
    ///   root's `time` is the run's seconds.
    /// - Everything is XML-escaped; characters that XML 1.0 forbids become U+FFFD. Same report, same text.
    public static func render(_ report: AuditReport) -> String {
        let suites = report.files.map(testcases)
        let all = suites.flatMap { $0 }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"policyprover\"\(counts(all)) time=\"\(seconds(report.seconds))\">\n"
        for (file, cases) in zip(report.files, suites) {
            let open = "  <testsuite name=\"\(escape(file.path))\"\(counts(cases))"
            guard !cases.isEmpty else {
                xml += open + "/>\n"
                continue
            }
            xml += open + ">\n"
            for testcase in cases { xml += testcase.xml }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    struct Testcase {
        enum Verdict: Equatable {
            case pass
            case failure(message: String, type: String, text: String)
            case error(message: String, type: String, text: String)
            case skipped(message: String)
        }

        var classname: String
        var name: String
        var verdict: Verdict

        var xml: String {
            let open = "    <testcase classname=\"\(escape(classname))\" name=\"\(escape(name))\""
            func element(_ tag: String, _ message: String, _ type: String, _ text: String) -> String {
                let head = "      <\(tag) message=\"\(escape(message))\" type=\"\(escape(type))\""
                return text.isEmpty ? head + "/>\n" : head + ">" + escape(text, inAttribute: false) + "</\(tag)>\n"
            }
            switch verdict {
            case .pass: return open + "/>\n"
            case .failure(let message, let type, let text): return open + ">\n" + element("failure", message, type, text) + "    </testcase>\n"
            case .error(let message, let type, let text): return open + ">\n" + element("error", message, type, text) + "    </testcase>\n"
            case .skipped(let message): return open + ">\n      <skipped message=\"\(escape(message))\"/>\n    </testcase>\n"
            }
        }
    }

    static func testcases(_ file: FileRecord) -> [Testcase] {
        var cases: [Testcase] = []
        if let first = file.errors.first {
            let more = file.errors.count > 1 ? " (and \(file.errors.count - 1) more)" : ""
            cases.append(Testcase(classname: file.path, name: "read", verdict: .error(
                message: first.message + more, type: first.ruleId, text: lines(file.errors, in: file))))
        }
        for policy in file.policies {
            let classname = file.path + "." + policy.name
            if policy.checks.isEmpty {
                cases.append(Testcase(classname: classname, name: "(no checks)", verdict: .skipped(message: "no check ran on this policy")))
            }
            for check in policy.checks {
                let text = lines(check.issues, in: file)
                let verdict: Testcase.Verdict =
                    switch check.outcome {
                    case .pass: .pass
                    case .fail: .failure(message: check.message, type: check.id, text: text)
                    case .unknown: .failure(message: check.message.isEmpty ? "UNKNOWN" : "UNKNOWN: \(check.message)", type: "unknown", text: text)
                    case .error: .error(message: check.message, type: check.id, text: text)
                    }
                cases.append(Testcase(classname: classname, name: check.id, verdict: verdict))
            }
        }
        return cases
    }

    /// `file:line:column: message` per issue, each related location on an indented line below it.
    static func lines(_ issues: [Issue], in file: FileRecord) -> String {
        func place(_ location: Location) -> String {
            "\(location.file.isEmpty ? file.path : location.file):\(location.line):\(location.column)"
        }
        var lines: [String] = []
        for issue in issues {
            lines.append("\(place(issue.location)): \(issue.text)")
            for related in issue.related { lines.append("    \(place(related.location)): \(related.message)") }
        }
        return lines.joined(separator: "\n")
    }

    static func counts(_ cases: [Testcase]) -> String {
        var failures = 0, errors = 0, skipped = 0
        for testcase in cases {
            switch testcase.verdict {
            case .pass: break
            case .failure: failures += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            }
        }
        return " tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
    }

    static func seconds(_ value: Double) -> String {
        value.isFinite && value >= 0 ? String(format: "%.3f", value) : "0.000"
    }

    /// XML 1.0 text: the five special characters as entities, characters XML 1.0 forbids (most C0
    /// controls, U+FFFE, U+FFFF) as U+FFFD; in attributes also tab, line feed and carriage return as
    /// character references, so that attribute-value normalisation keeps them.
    static func escape(_ text: String, inAttribute: Bool = true) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\n": out += inAttribute ? "&#10;" : "\n"
            case "\t": out += inAttribute ? "&#9;" : "\t"
            default:
                switch scalar.value {
                case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: out.unicodeScalars.append(scalar)
                default: out += "\u{FFFD}"
                }
            }
        }
        return out
    }
}
