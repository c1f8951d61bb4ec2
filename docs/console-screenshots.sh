#!/usr/bin/env bash
# Regenerates the web console's screenshots in docs/console/ (docs/CONSOLE.md, section 6) with the
# browser-test harness: the packaged server, Debian's Chromium, Playwright. Look at them before
# committing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -pl server -am verify \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='ConsoleScreenshotsIT,ConsoleAdminScreenshotsIT' -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dcrate.screenshots.dir="$root/docs/console" "$@"
ls -l "$root/docs/console"
