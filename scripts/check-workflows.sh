#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint,
# pinned; installs it with `go install` (into $GOPATH/bin) when missing. The
# release workflow cannot run on these machines; this keeps it valid.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.7.12
bin="$(go env GOPATH)/bin/actionlint"
if ! [ -x "$bin" ] || ! "$bin" -version | grep -qx "$version"; then
  go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
"$bin" -version | head -n1 | sed 's/^/actionlint /'
"$bin" .github/workflows/*.yml
echo "workflows: $(find .github/workflows -name "*.yml" | wc -l) file(s) clean"
