import PolicyLanguage
import SMT

/// Reads a Z3 model of a `RequestEncoding` back into a concrete `Request`: class numbers become their
/// witnesses (real action names, readable ARN fields), typed values become the text IAM would receive.
struct ModelDecoder {
    let encoding: RequestEncoding
    let model: Model
    /// Whether the question constrained the free caller's identity (see `RequestEncoding.principal`).
    var identityIsConstrained = true

    func request() throws -> Request {
        let actionIndex = try classNumber(encoding.actionClass, count: encoding.actions.classes.count)
        let actionClass = encoding.actions.classes[actionIndex]
        let principal = try encoding.principal(of: classNumber(encoding.principalClass, count: encoding.principals.classes.count), in: model, identityIsConstrained: identityIsConstrained)
        let isStar = try model.bool(encoding.resourceIsStar) ?? false
        let action = isStar ? (actionClass.wildcardOnlyWitness ?? actionClass.witness) : actionClass.witness
        var resource = "*"
        if !isStar {
            var fields: [String] = []
            for field in 0..<4 {
                let partition = encoding.resources.partitions[field]
                fields.append(partition.classes[try classNumber(encoding.fieldClasses[field], count: partition.classes.count)].witness)
            }
            if let part = encoding.resourcePart {
                fields.append(try model.string(part) ?? "")
            } else {
                let partition = encoding.resources.partitions[4]
                fields.append(partition.classes[try classNumber(encoding.fieldClasses[4], count: partition.classes.count)].witness)
            }
            resource = "arn:" + fields.joined(separator: ":")
        }
        var context = RequestContext()
        for key in encoding.keyVariables where try model.bool(key.present) ?? false {
            let count = min(max(try model.int(key.count) ?? 0, 0), key.slots.count)
            let values = try key.slots.prefix(count).map { try value($0, kind: key.key.kind ?? .string) }
            if count == 1 {
                context.set(values[0], for: key.key.displayName)
            } else {
                context.setValues(values, for: key.key.displayName)
            }
        }
        return Request(principal: principal, action: action, resource: resource, context: context)
    }

    private func classNumber(_ term: Term, count: Int) throws -> Int {
        min(max(try model.int(term) ?? 0, 0), max(count - 1, 0))
    }

    private func value(_ slot: SlotVariables, kind: ContextSpace.ValueKind) throws -> String {
        if let string = slot.string { return try model.string(string) ?? "" }
        let code = try model.int(slot.kind!) ?? SlotKind.junk(kind)
        if code == SlotKind.empty(kind) { return "" }
        switch kind {
        case .numeric:
            guard code == SlotKind.valid, let text = try model.intDecimal(slot.number!), let scaled = Int128(text) else { return "x" }
            return PolicyNumber(scaled: scaled).description
        case .date:
            guard code == SlotKind.valid, let text = try model.intDecimal(slot.number!), let nanos = Int128(text) else { return "x" }
            return DateRendering.text(nanoseconds: nanos)
        case .ip:
            guard code == SlotKind.valid || code == SlotKind.ipv6, let bytes = try model.bitVector(slot.address!) else { return "x" }
            let full = [UInt8](repeating: 0, count: max(0, 16 - bytes.count)) + bytes.suffix(16)
            if code == SlotKind.valid { return full.suffix(4).map(String.init).joined(separator: ".") }
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(full[$0]) << 8 | UInt16(full[$0 + 1]), radix: 16) }.joined(separator: ":")
        case .string:
            return ""
        }
    }
}

/// Dates as text the evaluator reads back: epoch seconds when whole, ISO 8601 with nanoseconds otherwise.
enum DateRendering {
    static func text(nanoseconds: Int128) -> String {
        let seconds = Int64(nanoseconds / 1_000_000_000)
        let fraction = Int64(nanoseconds % 1_000_000_000)
        if fraction == 0 { return String(seconds) }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2)).\(pad(fraction, 9))Z"
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
