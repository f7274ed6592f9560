# KalamDB for the JVM. Every CI check is a target you can run locally:
#   make build | run | test | it | bench | check | format | clean
SHELL := /bin/bash

# A JDK >= 21 for Maven and the scripts (JAVA_HOME, java on the PATH, else /usr/lib/jvm).
JAVA_HOME := $(shell scripts/pick-jdk.sh 21)
ifeq ($(strip $(JAVA_HOME)),)
$(error KalamDB needs a JDK >= 21; none found (set JAVA_HOME))
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)

MVN ?= mvn
# Extra Maven arguments, e.g. make test MVN_ARGS=-o (offline).
MVN_ARGS ?=
MVN_FLAGS := -B -ntp -Dstyle.color=never $(MVN_ARGS)

SERVER_JAR := kalam-verticles/target/kalam-verticles-0.1.0-SNAPSHOT.jar
SOURCES := $(shell find pom.xml */pom.xml */src -type f 2>/dev/null)

# `make run` only: the root password when KALAMDB_ROOT_PASSWORD is unset, so the quick start works.
# It is set when root is created, i.e. on the first start of an empty data directory.
DEV_ROOT_PASSWORD := kalamdb-dev-root

.PHONY: build run test it bench check format clean

build: $(SERVER_JAR)

# Not quiet: a first build downloads dependencies for a minute or more, and Maven's module lines show it moving.
$(SERVER_JAR): $(SOURCES)
	@echo "make build: building the server with Maven (a first build downloads dependencies: a minute or more)"
	$(MVN) $(MVN_FLAGS) -DskipTests package
	@touch $@

# One node in the foreground: data in ./data, HTTP on 8080 (./server.toml is read when present).
# SIGTERM or Ctrl-C stops the server cleanly and it exits with status 0, so make reports no error.
run: build
	@if [ -z "$${KALAMDB_ROOT_PASSWORD:-}" ]; then \
	  echo "make run: KALAMDB_ROOT_PASSWORD is not set: root's password is the dev default '$(DEV_ROOT_PASSWORD)'"; \
	fi
	@KALAMDB_ROOT_PASSWORD="$${KALAMDB_ROOT_PASSWORD:-$(DEV_ROOT_PASSWORD)}" \
	  exec bin/kalamdb-server $(if $(wildcard server.toml),server.toml)

# Unit tests (Surefire) and integration tests (*IT, Failsafe), with their summary lines. Every build also runs the
# cheap static checks (Spotless, forbidden-apis, dependency:analyze; about 30 s together, ADR 0020).
test:
	$(MVN) $(MVN_FLAGS) verify

# Integration tests only.
it:
	$(MVN) $(MVN_FLAGS) verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false

bench: build
	@if [ ! -x bench/run-bench.sh ]; then echo "make bench: bench/run-bench.sh is missing" >&2; exit 1; fi
	bench/run-bench.sh

# Static checks without tests: compiler lint, Error Prone (profile errorprone, a few minutes: not in `make test`),
# Spotless, forbidden-apis, dependency:analyze, enforcer rules, shell script syntax. From clean: javac skips
# up-to-date classes, and Error Prone sees only what javac compiles.
check:
	$(MVN) $(MVN_FLAGS) -Perrorprone -DskipTests clean verify
	@for f in bin/* scripts/*.sh .ci/run; do bash -n "$$f" || exit 1; done
	@if command -v shellcheck >/dev/null; then shellcheck bin/* scripts/*.sh .ci/run; fi

# Fixes what Spotless checks (whitespace, final newline, unused imports, import order) in place.
format:
	$(MVN) $(MVN_FLAGS) -q spotless:apply

clean:
	$(MVN) $(MVN_FLAGS) -q clean
