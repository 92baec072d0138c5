#!/usr/bin/env bash
# ptree-service at scale (issue #4): 100,000 nodes in a real ZooKeeper (Curator's TestingServer),
# one parent with 70,000 children; prints load time, subtree read p50/p99 and the watch count as a
# Markdown table (copy it into docs/benchmarks.md). Runs in-process on this machine only.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q install -DskipTests -pl ptree-service -am
./mvnw -B -ntp -q -pl ptree-service test -Dtest=TreeScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine="-Xmx2g"
sed -n '/^| measure/,/^| heap/p' ptree-service/target/surefire-reports/dev.loki.ptree.node.TreeScaleBenchmark-output.txt
