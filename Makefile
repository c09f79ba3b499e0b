# PolicyProver: two commands on a fresh Debian machine with the Swift toolchain:
#   make demo   installs what is missing (libz3-dev), validates the example policies in Policies/,
#               simulates the example requests in Policies/requests/, diffs two versions of a bucket
#               policy, checks two policies against a spec and the access examples against a
#               no-public / no-external spec (FAILs there are expected), and audits Policies/ plus a
#               CloudFormation template and a Terraform plan with the default checks
#   make test   installs what is missing and runs the whole test suite
SWIFT ?= swift
SUDO := $(shell if [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then echo sudo; fi)

.PHONY: deps test-deps build demo test release clean

deps:
	@if ! pkg-config --exists z3 2>/dev/null; then \
		echo "Installing libz3-dev and pkg-config (Z3 SMT solver)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libz3-dev pkg-config; \
	fi

# The SARIF tests validate against the official SARIF 2.1.0 schema with Python's jsonschema, the
# pre-commit hook test needs git, and the explorer's terminal test drives the binary in tmux.
test-deps: deps
	@if ! python3 -c 'import jsonschema' 2>/dev/null || ! command -v git >/dev/null 2>&1 || ! command -v tmux >/dev/null 2>&1; then \
		echo "Installing python3-jsonschema, git and tmux (SARIF schema validation, pre-commit hook test, explorer terminal test)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-jsonschema git tmux; \
	fi

build: deps
	$(SWIFT) build --product policyprover

release: deps
	$(SWIFT) build -c release --product policyprover

# Findings in the examples are expected: exit 1 (security warnings) and exit 2 (the SCP/RCP samples hold
# "<placeholder>" values, which are errors). The demo fails only on a crash (a signal, exit > 128).
demo: build
	@bin=$$($(SWIFT) build --show-bin-path)/policyprover; \
	$$bin --version; \
	$$bin validate Policies/samples/; status=$$?; \
	echo "policyprover validate exited with $$status"; \
	[ $$status -le 3 ] || exit 1; \
	for request in Policies/requests/*.json; do \
		$$bin simulate --request $$request --explain \
			--identity-policy Policies/samples/identity-s3-home-directory-username-variable.json || exit 1; \
	done; \
	$$bin diff Policies/diff/bucket-v1.json Policies/diff/bucket-v2-whole-account.json; status=$$?; \
	[ $$status -le 3 ] || exit 1; \
	$$bin check --spec Policies/specs/no-iam-writes.yaml --report-redundant Policies/examples/ci-deployer.json Policies/examples/ci-deployer-fixed.json; status=$$?; \
	[ $$status -le 3 ] || exit 1; \
	$$bin check --spec Policies/specs/bucket-private.yaml Policies/access/*.json; status=$$?; \
	[ $$status -le 3 ] || exit 1; \
	$$bin audit --no-cache Policies/ Tests/EndToEndTests/Fixtures/audit-tree/cfn Tests/EndToEndTests/Fixtures/audit-tree/terraform; status=$$?; \
	[ $$status -le 3 ] || exit 1

test: test-deps
	$(SWIFT) test

clean:
	rm -rf .build
