#!/usr/bin/env python3
"""Make a large, synthetic `aws iam get-account-authorization-details` export for tests and benchmarks.

Usage (from the repository root):

    python3 scripts/make-account-export.py --managed ../shared/corpus/aws-managed \
        --users 200 --roles 120 --groups 30 --seed 1 -o /tmp/big-export.json

The account is 111122223333 (change it with --account-id). The export holds:

* UserDetailList: users with 0-2 groups, 1-3 AWS managed policies (mostly small read-only ones, some
  *FullAccess ones, a few powerful ones such as AdministratorAccess), a permissions boundary for about
  10% of them, and for some an inline policy allowing sts:AssumeRole on a few roles;
* GroupDetailList: groups with 1-2 managed policies, some with an inline S3 read policy;
* RoleDetailList: roles whose trust policy (AssumeRolePolicyDocument, an object) trusts an AWS service
  (about 60%), the account root (about 30%) or one user (about 10%); each has 1-3 managed policies and
  some an inline policy allowing sts:AssumeRole on other roles that trust the account, so that chains
  of role assumptions exist;
* Policies: every managed policy used, with its document as the one default version (v1). AWS managed
  policies get `arn:aws:iam::aws:policy/<Name>` (the corpus does not record their paths); the one
  customer managed policy, DeveloperBoundary, is used only as a permissions boundary.

Policy documents are JSON objects, as the AWS CLI prints them (not URL-encoded strings). The same
arguments and corpus always give the same bytes: all choices come from random.Random(seed) and the
corpus is read in sorted order. Deprecated policies (../aws-managed-deprecated.json beside the folder,
when present) are never drawn. Only the Python standard library is used.
"""

import argparse
import json
import os
import random
import sys

CREATE_DATE = "2025-02-22T00:00:00Z"
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

# Powerful AWS managed policies, drawn rarely (those missing from the corpus are skipped).
POWERFUL = [
    "AdministratorAccess",
    "PowerUserAccess",
    "IAMFullAccess",
    "AmazonS3FullAccess",
    "AmazonEC2FullAccess",
    "AWSLambda_FullAccess",
    "SecretsManagerReadWrite",
]
# Policies above these sizes (bytes of the corpus file) are not drawn as everyday policies.
READ_ONLY_MAX_BYTES = 3000
FULL_ACCESS_MAX_BYTES = 6000

SERVICES = [
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "codebuild.amazonaws.com",
    "glue.amazonaws.com",
    "states.amazonaws.com",
]
FIRST_NAMES = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara",
]
TEAMS = ["platform", "data", "payments", "web", "mobile", "security", "billing", "search", "ml", "ops"]
ROLE_KINDS = ["app", "worker", "deploy", "etl", "batch", "api", "scheduler", "reporting"]

DEVELOPER_BOUNDARY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowAppServices",
            "Effect": "Allow",
            "Action": ["s3:*", "dynamodb:*", "lambda:*", "logs:*", "sqs:*", "sns:*", "cloudwatch:*", "ec2:Describe*"],
            "Resource": "*",
        },
        {
            "Sid": "NoIdentityChanges",
            "Effect": "Deny",
            "Action": ["iam:*", "organizations:*", "sts:AssumeRole"],
            "Resource": "*",
        },
    ],
}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--managed", required=True, help="folder of AWS managed policies, one <PolicyName>.json each")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--roles", type=int, default=120)
    parser.add_argument("--groups", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--account-id", default="111122223333")
    parser.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    arguments = parser.parse_args(argv)
    for name in ("users", "roles", "groups"):
        if getattr(arguments, name) < 0:
            parser.error(f"--{name} must not be negative")
    if len(arguments.account_id) != 12 or not arguments.account_id.isdigit():
        parser.error("--account-id must be 12 digits")
    return arguments


def load_corpus(folder):
    """Returns {name: (document, size in bytes)} for every readable policy, and the deprecated names."""
    if not os.path.isdir(folder):
        sys.exit(f"make-account-export: {folder}: not a folder")
    corpus = {}
    for entry in sorted(os.listdir(folder)):
        if not entry.endswith(".json"):
            continue
        path = os.path.join(folder, entry)
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            document = json.loads(data)
        except ValueError:
            continue
        if isinstance(document, dict) and "Statement" in document:
            corpus[entry[: -len(".json")]] = (document, len(data))
    deprecated = set()
    listing = os.path.join(os.path.dirname(os.path.normpath(folder)), "aws-managed-deprecated.json")
    if os.path.exists(listing):
        with open(listing) as handle:
            deprecated = set(json.load(handle))
    if not corpus:
        sys.exit(f"make-account-export: {folder}: no policy documents")
    return corpus, deprecated


class Generator:
    def __init__(self, arguments, corpus, deprecated):
        self.random = random.Random(arguments.seed)
        self.account = arguments.account_id
        self.corpus = corpus
        usable = sorted(name for name in corpus if name not in deprecated)
        self.read_only = [n for n in usable if "ReadOnly" in n and corpus[n][1] <= READ_ONLY_MAX_BYTES]
        self.full_access = [n for n in usable if "FullAccess" in n and corpus[n][1] <= FULL_ACCESS_MAX_BYTES and n not in POWERFUL]
        self.powerful = [n for n in POWERFUL if n in corpus]
        # Fall back to any policy when the corpus is too small to have the usual kinds.
        self.read_only = self.read_only or usable or sorted(corpus)
        self.full_access = self.full_access or self.read_only
        self.powerful = self.powerful or self.full_access
        self.used = {}  # policy ARN -> (name, document), in first-use order
        self.attachments = {}  # policy ARN -> attachment count
        self.boundary_uses = {}  # policy ARN -> permissions-boundary usage count
        self.ids = set()

    # MARK: Names and identifiers

    def unique_id(self, prefix):
        while True:
            candidate = prefix + "".join(self.random.choice(ID_ALPHABET) for _ in range(17))
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def arn(self, kind, name):
        return f"arn:aws:iam::{self.account}:{kind}/{name}"

    # MARK: Managed policies

    def aws_managed(self, name):
        arn = f"arn:aws:iam::aws:policy/{name}"
        self.used.setdefault(arn, (name, self.corpus[name][0]))
        return arn

    def draw_policy(self):
        roll = self.random.random()
        pool = self.powerful if roll < 0.05 else self.full_access if roll < 0.25 else self.read_only
        return self.random.choice(pool)

    def attached(self, low, high):
        names = []
        for _ in range(self.random.randint(low, high)):
            name = self.draw_policy()
            if name not in names:
                names.append(name)
        result = []
        for name in names:
            arn = self.aws_managed(name)
            self.attachments[arn] = self.attachments.get(arn, 0) + 1
            result.append({"PolicyName": name, "PolicyArn": arn})
        return result

    def boundary(self):
        if self.random.random() < 0.5:
            arn = self.arn("policy", "DeveloperBoundary")
            self.used.setdefault(arn, ("DeveloperBoundary", DEVELOPER_BOUNDARY))
        else:
            arn = self.aws_managed("PowerUserAccess" if "PowerUserAccess" in self.corpus else self.powerful[0])
        self.boundary_uses[arn] = self.boundary_uses.get(arn, 0) + 1
        return {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}

    # MARK: Documents

    @staticmethod
    def document(statements):
        return {"Version": "2012-10-17", "Statement": statements}

    def assume_policy(self, name, role_arns):
        statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arns if len(role_arns) > 1 else role_arns[0]}
        return {"PolicyName": name, "PolicyDocument": self.document([statement])}

    def trust(self, principal):
        return self.document([{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}])

    # MARK: Principals

    def users(self, count):
        users = []
        for index in range(count):
            name = f"{self.random.choice(FIRST_NAMES)}-{index + 1:03d}"
            user = {
                "Path": "/",
                "UserName": name,
                "UserId": self.unique_id("AIDA"),
                "Arn": self.arn("user", name),
                "CreateDate": CREATE_DATE,
                "UserPolicyList": [],
                "GroupList": [],
                "AttachedManagedPolicies": self.attached(1, 3),
                "Tags": [],
            }
            if self.random.random() < 0.1:
                user["PermissionsBoundary"] = self.boundary()
            users.append(user)
        return users

    def groups(self, count, users):
        groups = []
        for index in range(count):
            name = f"{TEAMS[index % len(TEAMS)]}-{index // len(TEAMS) + 1:02d}"
            inline = []
            if self.random.random() < 0.3:
                bucket = f"arn:aws:s3:::{name}-data"
                statement = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [bucket, bucket + "/*"]}
                inline.append({"PolicyName": f"{name}-bucket-read", "PolicyDocument": self.document([statement])})
            groups.append({
                "Path": "/",
                "GroupName": name,
                "GroupId": self.unique_id("AGPA"),
                "Arn": self.arn("group", name),
                "CreateDate": CREATE_DATE,
                "GroupPolicyList": inline,
                "AttachedManagedPolicies": self.attached(1, 2),
            })
        if groups:
            for user in users:
                for _ in range(self.random.choice([0, 1, 1, 2])):
                    group = self.random.choice(groups)["GroupName"]
                    if group not in user["GroupList"]:
                        user["GroupList"].append(group)
        return groups

    def roles(self, count, users):
        roles = []
        for index in range(count):
            name = f"{self.random.choice(ROLE_KINDS)}-role-{index + 1:03d}"
            roll = self.random.random()
            if roll < 0.6:
                trusted = ("service", self.random.choice(SERVICES))
                principal = {"Service": trusted[1]}
            elif roll < 0.9 or not users:
                trusted = ("root", None)
                principal = {"AWS": f"arn:aws:iam::{self.account}:root"}
            else:
                user = self.random.choice(users)
                trusted = ("user", user)
                principal = {"AWS": user["Arn"]}
            roles.append({
                "Path": "/",
                "RoleName": name,
                "RoleId": self.unique_id("AROA"),
                "Arn": self.arn("role", name),
                "CreateDate": CREATE_DATE,
                "AssumeRolePolicyDocument": self.trust(principal),
                "InstanceProfileList": [],
                "RolePolicyList": [],
                "AttachedManagedPolicies": self.attached(1, 3),
                "Tags": [],
                "_trusted": trusted,
            })
        return roles

    def chains(self, roles):
        """Some roles may assume other roles that trust the account root: chains of assumptions."""
        open_roles = [role for role in roles if role["_trusted"][0] == "root"]
        for role in roles:
            targets = [other for other in open_roles if other is not role]
            if targets and self.random.random() < 0.25:
                chosen = self.random.sample(targets, min(len(targets), self.random.randint(1, 2)))
                role["RolePolicyList"].append(self.assume_policy("assume-next", [other["Arn"] for other in chosen]))

    def user_assumptions(self, users, roles):
        """Some users may assume a few roles: ones that trust the account root, or that trust them."""
        open_roles = [role for role in roles if role["_trusted"][0] == "root"]
        trusting = {}
        for role in roles:
            if role["_trusted"][0] == "user":
                trusting.setdefault(role["_trusted"][1]["UserName"], []).append(role)
        for user in users:
            arns = [role["Arn"] for role in trusting.get(user["UserName"], []) if self.random.random() < 0.5]
            if open_roles and self.random.random() < 0.15:
                for role in self.random.sample(open_roles, min(len(open_roles), self.random.randint(1, 3))):
                    if role["Arn"] not in arns:
                        arns.append(role["Arn"])
            if arns:
                user["UserPolicyList"].append(self.assume_policy("assume-roles", arns))

    # MARK: Export

    def policies(self):
        result = []
        for arn, (name, document) in self.used.items():
            result.append({
                "PolicyName": name,
                "PolicyId": self.unique_id("ANPA"),
                "Arn": arn,
                "Path": "/",
                "DefaultVersionId": "v1",
                "AttachmentCount": self.attachments.get(arn, 0),
                "PermissionsBoundaryUsageCount": self.boundary_uses.get(arn, 0),
                "IsAttachable": True,
                "CreateDate": CREATE_DATE,
                "UpdateDate": CREATE_DATE,
                "PolicyVersionList": [
                    {"Document": document, "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": CREATE_DATE}
                ],
            })
        return result

    def export(self, user_count, role_count, group_count):
        users = self.users(user_count)
        groups = self.groups(group_count, users)
        roles = self.roles(role_count, users)
        self.chains(roles)
        self.user_assumptions(users, roles)
        for role in roles:
            del role["_trusted"]
        return {
            "UserDetailList": users,
            "GroupDetailList": groups,
            "RoleDetailList": roles,
            "Policies": self.policies(),
        }


def main(argv):
    arguments = parse_arguments(argv)
    corpus, deprecated = load_corpus(arguments.managed)
    export = Generator(arguments, corpus, deprecated).export(arguments.users, arguments.roles, arguments.groups)
    text = json.dumps(export, indent=2, ensure_ascii=False) + "\n"
    if arguments.output == "-":
        sys.stdout.write(text)
    else:
        with open(arguments.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
