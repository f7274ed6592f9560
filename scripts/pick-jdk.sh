#!/bin/sh
# pick-jdk.sh MIN -> prints a JAVA_HOME whose java is >= MIN (default 21), or fails with a clear message.
min=${1:-21}
for d in "$JAVA_HOME" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null)" 2>/dev/null)" 2>/dev/null)" 2>/dev/null)" \
         /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
         /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*; do
  [ -n "$d" ] && [ -x "$d/bin/javac" ] || continue
  v=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${v%%.*}" -ge "$min" ] 2>/dev/null && { echo "$d"; exit 0; }
done
echo "KalamDB needs a JDK >= $min: none found in JAVA_HOME, on the PATH or under /usr/lib/jvm (set JAVA_HOME)" >&2
exit 1
