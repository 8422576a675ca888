#!/usr/bin/env bash
# Runs the official Heroku CLI (npm heroku@11.10.0, installed in /opt/heroku-cli)
# against `dynoform emulator`: the commands of issues 2, 16, 17 and 18, as a new user would.
# Not part of `npm test` (the CLI is a 400 MB install). Skips when it is absent.
#
#   npm run build && bash test/conformance/heroku-cli.sh
#
# Exit 0 when every command exits 0 and prints what it should; 1 otherwise.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cli_dir="${HEROKU_CLI_DIR:-/opt/heroku-cli}"
heroku="$cli_dir/node_modules/.bin/heroku"
if [ ! -x "$heroku" ]; then
  echo "skipped: no Heroku CLI at $cli_dir (npm install heroku@11.10.0 there)"
  exit 0
fi
if [ ! -f "$repo/dist/cli/main.js" ]; then
  echo "dist/ is missing: run npm run build first" >&2
  exit 1
fi

scratch="$(mktemp -d)"
mkdir -p "$scratch/home" "$scratch/work"
emu_out="$scratch/emulator.out"
node "$repo/bin/dynoform.js" emulator --port 0 >"$emu_out" 2>"$scratch/emulator.err" &
emu_pid=$!
cleanup() {
  kill -TERM "$emu_pid" 2>/dev/null || true
  wait "$emu_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  grep -q 'listening on' "$emu_out" 2>/dev/null && break
  sleep 0.1
done
url="$(sed -n 's/^dynoform emulator listening on //p' "$emu_out")"
[ -n "$url" ] || { echo "the emulator did not start:" >&2; cat "$scratch/emulator.err" >&2; exit 1; }
echo "emulator: $url   heroku: $("$heroku" --version 2>/dev/null | head -1)"

# The environment from the CLI notes: no telemetry, no update checks, no
# network beyond the emulator, an isolated HOME, a non-git working directory.
export HEROKU_HOST="$url" HEROKU_PARTICLEBOARD_URL="$url" HEROKU_API_KEY=emulator-token \
  DISABLE_TELEMETRY=true HEROKU_SKIP_NEW_VERSION_CHECK=true HEROKU_DISABLE_AUTOUPDATE=true \
  HOME="$scratch/home" NO_COLOR=1
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy
cd "$scratch/work"

failures=0
commands=0
# check ok|fails EXPECTED heroku-args...: with `ok` the command must exit 0,
# with `fails` non-zero with a clean message (no JavaScript error, no stack
# trace); either way its output must contain EXPECTED.
check() {
  local mode="$1" expected="$2"
  shift 2
  echo
  if [ "$mode" = ok ]; then echo "\$ heroku $*"; else echo "\$ heroku $*   (expected to fail cleanly)"; fi
  commands=$((commands + 1))
  local out status=0 problem=""
  out="$("$heroku" "$@" 2>&1)" || status=$?
  # The first run per HOME warns about changed terms of service; not ours.
  printf '%s\n' "$out" | grep -v -e 'terms of service' -e 'dashboard.heroku.com/terms' | sed 's/^/    /'
  if [ "$mode" = ok ] && [ "$status" -ne 0 ]; then
    problem="exit $status"
  elif [ "$mode" = fails ] && [ "$status" -eq 0 ]; then
    problem="exit 0, expected a failure"
  elif [ "$mode" = fails ] && grep -qE -e '(TypeError|ReferenceError|SyntaxError|RangeError)' -e '^ +at .+:[0-9]+:[0-9]+\)?$' <<<"$out"; then
    problem="crashed (JavaScript error or stack trace)"
  elif ! grep -qF -- "$expected" <<<"$out"; then
    problem="expected to see: $expected"
  fi
  if [ -n "$problem" ]; then
    echo "FAIL: $problem"
    failures=$((failures + 1))
  fi
}
run() { check ok "$@"; }
fails() { check fails "$@"; }

# api METHOD PATH: prints the response body (for names the CLI generated).
api() {
  node --input-type=module -e '
    const [url, method, path] = process.argv.slice(1);
    const res = await fetch(url + path, { method, headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: "Bearer emulator-token" } });
    process.stdout.write(await res.text());
  ' "$url" "$1" "$2"
}

# A deploy is what gives an app process types; the emulator has no git
# server, so this releases a slug through the API as a build would.
deploy() {
  node --input-type=module -e '
    const [url, app] = process.argv.slice(1);
    const h = { Accept: "application/vnd.heroku+json; version=3", Authorization: "Bearer emulator-token", "Content-Type": "application/json" };
    const slug = await (await fetch(`${url}/apps/${app}/slugs`, { method: "POST", headers: h,
      body: JSON.stringify({ process_types: { web: "npm start", worker: "node worker.js" } }) })).json();
    const rel = await fetch(`${url}/apps/${app}/releases`, { method: "POST", headers: h, body: JSON.stringify({ slug: slug.id }) });
    if (rel.status !== 201) { console.error(await rel.text()); process.exit(1); }
    console.log(`(deployed a slug with web and worker to ${app}: release v${(await rel.json()).version})`);
  ' "$url" "$1"
}

app=demo-app
run "Creating $app... done" apps:create "$app" --region us
run "=== $app" apps:info -a "$app"
run "done, v2" config:set A=1 B=2 -a "$app"
run "B: 2" config -a "$app"
run "done, v3" config:unset A -a "$app"
echo
deploy "$app"
run "now running web at 2:Standard-1X, worker at 1:Standard-2X" ps:scale web=2:standard-1X worker=1:standard-2X -a "$app"
run "Adding www.example.com to $app... done" domains:add www.example.com -a "$app"
run "www.example.com" domains -a "$app"
run "Successfully added drain https://logs.example.com/ingest" drains:add https://logs.example.com/ingest -a "$app"
run "https://logs.example.com/ingest" drains -a "$app"
run "Creating heroku-postgresql:essential-0 on $app" addons:create heroku-postgresql:essential-0 -a "$app"
run "as DATABASE" addons -a "$app"
run "Attach DATABASE" releases -a "$app"

# Issue 16: sharing an add-on, resolving it without an app, Postgres, dynos, stacks, rollback.
other=demo-other
run "Creating $other... done" apps:create "$other" --region us
db="$(api GET "/apps/$app/addons" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).find((a) => a.addon_service.name === "heroku-postgresql").name')"
echo "(the database add-on is $db)"
run "Attaching $db to $other... done" addons:attach "$db" -a "$other"
run "Attaching $db as SHOP_DB to $other... done" addons:attach "$db" --as SHOP_DB -a "$other"
run "SHOP_DB_URL" config -a "$other"
# Issue 17: detaching a shared add-on (the add-on stays with its owner).
run "Attaching $db as TEMP_DB to $other... done" addons:attach "$db" --as TEMP_DB -a "$other"
run "Detaching TEMP_DB to $db from $other... done" addons:detach TEMP_DB -a "$other"
run "demo-other::SHOP_DB" addons:info "$db"
# Everything up to the Postgres API itself (resolving the database with
# Accept-Inclusion) is the emulator's; that API is not, so it must stop there.
fails "api.data.heroku.com" pg:info -a "$app"
run "Restarting all dynos on $app... done" ps:restart -a "$app"
run "Restarting dyno web.1 on $app... done" ps:restart web.1 -a "$app"
run "Stopping dyno worker.1 on $app... done" ps:stop worker.1 -a "$app"
run "Setting stack to heroku-22... done" stack:set heroku-22 -a "$app"
deploy "$app"
run "* heroku-22" stack -a "$app"
run "Stack:          heroku-22" apps:info -a "$app"
run "Rolling back $app to v4... done, v8" releases:rollback v4 -a "$app"
run "Rollback to v4" releases -a "$app"
# v4 was built on heroku-24: the rollback moves the app back to it.
run "Stack:          heroku-24" apps:info -a "$app"
# Issue 17: buildpacks, app features, collaborators, team apps, certificates.
# A registry name (heroku/nodejs) makes the CLI look it up in the buildpack
# registry (buildpack-registry.heroku.com, or HEROKU_BUILDPACK_REGISTRY_URL),
# a separate service that is not the Platform API and that the emulator does
# not play: the CLI sends only the URL it finds there, so URLs test the same
# Platform API requests (GET/PUT buildpack-installations).
nodejs=https://github.com/heroku/heroku-buildpack-nodejs
python=https://github.com/heroku/heroku-buildpack-python
run "Buildpack set. Next release on $app will use $nodejs." buildpacks:set "$nodejs" -a "$app"
run "Buildpack added. Next release on $app will use:" buildpacks:add "$python" -a "$app"
run "2. $python" buildpacks -a "$app"
run "Buildpack removed." buildpacks:remove "$nodejs" -a "$app"
run "Buildpacks cleared." buildpacks:clear -a "$app"
run "Enabling preboot for $app... done" labs:enable preboot -a "$app"
run "Disabling preboot for $app... done" labs:disable preboot -a "$app"
run "Adding dev@example.com access to the app $app... done" access:add dev@example.com -a "$app"
run "dev@example.com" access -a "$app"
run "Removing dev@example.com access from the app $app... done" access:remove dev@example.com -a "$app"
# Certificates: a real key and self-signed certificate for a hostname the app
# does not have yet (for one it has, certs:add asks which domains to use: a
# prompt no script can answer), then a domain naming it with --cert.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout secure.key -out secure.crt -days 30 \
  -subj /CN=secure.example.com -addext subjectAltName=DNS:secure.example.com 2>/dev/null
run "Adding SSL certificate to $app... done" certs:add secure.crt secure.key -a "$app"
run "secure.example.com" certs -a "$app"
cert="$(api GET "/apps/$app/sni-endpoints" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].name')"
echo "(the certificate's endpoint is $cert)"
run "Adding secure.example.com to $app... done" domains:add secure.example.com --cert "$cert" -a "$app"
run "$cert" domains -a "$app"
run "Subject:        /CN=secure.example.com" certs:info --name "$cert" -a "$app"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -out other.crt -days 30 -subj /CN=other.example.com 2>/dev/null
fails "Key doesn't match the provided certificate" certs:add secure.crt other.key -a "$app"
run "Enabling Automatic Certificate Management... starting" certs:auto:enable -a "$app"
run "Auto Cert Mgmt: true" apps:info -a "$app"
run "Disabling Automatic Certificate Management... done" certs:auto:disable -a "$app" --confirm "$app"
run "Removing SSL certificate $cert from $app... done" certs:remove --name "$cert" -a "$app" --confirm "$app"
run "$app has no SSL certificates." certs -a "$app"
# Issue 17: app webhooks (the CLI's webhooks client: version=3.webhooks, Basic auth).
run "Adding webhook to" webhooks:add -i api:release,api:build -l notify -u https://hooks.example.com/heroku -s cli-signing-secret -a "$app"
run "Webhooks Signing Secret" webhooks:add -i dyno -l sync -u https://hooks.example.com/dynos -a "$app"
run "https://hooks.example.com/heroku" webhooks -a "$app"
hook="$(api GET "/apps/$app/webhooks" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).find((w) => w.url.endsWith("/dynos")).id')"
run "Removing webhook $hook from" webhooks:remove "$hook" -a "$app"
api_post() {
  node --input-type=module -e '
    const [url, path, body] = process.argv.slice(1);
    const res = await fetch(url + path, { method: "POST", body, headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: "Bearer emulator-token", "Content-Type": "application/json" } });
    console.log(`(POST ${path}: ${res.status})`);
  ' "$url" "$1" "$2"
}
api_post /teams '{"name":"demo-team"}'
team_app=demo-team-app
run "Creating $team_app... done" apps:create "$team_app" --team demo-team
run "Adding dev@example.com access to the app $team_app with deploy, view permissions... done" access:add dev@example.com -a "$team_app" --permissions deploy
run "Updating dev@example.com in application $team_app with operate,view permissions... done" access:update dev@example.com -a "$team_app" --permissions operate
# The team's admins come from /teams/{team}/members and /teams/permissions.
run "operate, view" access -a "$team_app"
run "Removing dev@example.com access from the app $team_app... done" access:remove dev@example.com -a "$team_app"

# Issue 17's end to end, with the real CLI: a team app using every per-app kind
# (buildpacks, features, a collaborator, an add-on shared from another app, an
# uploaded certificate with a domain naming it, a webhook) and ACM on the
# add-on's owner → dynoform import → an empty first plan; then one outside
# edit per kind with the CLI → drift names each at its line of kinds.yaml.
dyno() { HEROKU_API_URL="$url" node "$repo/bin/dynoform.js" "$@"; }
kapp=kinds-shop
kowner=kinds-db
run "Creating $kowner... done" apps:create "$kowner" --region us
run "Creating heroku-postgresql:essential-0 on $kowner" addons:create heroku-postgresql:essential-0 -a "$kowner"
kdb="$(api GET "/apps/$kowner/addons" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].name')"
run "Creating $kapp... done" apps:create "$kapp" --team demo-team
run "Buildpack set. Next release on $kapp will use $nodejs." buildpacks:set "$nodejs" -a "$kapp"
run "Enabling preboot for $kapp... done" labs:enable preboot -a "$kapp"
run "Adding dev@example.com access to the app $kapp with deploy, view permissions... done" access:add dev@example.com -a "$kapp" --permissions deploy
run "Attaching $kdb as SHARED_DB to $kapp... done" addons:attach "$kdb" --as SHARED_DB -a "$kapp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout kinds.key -out kinds.crt -days 30 \
  -subj /CN=kinds.example.com -addext subjectAltName=DNS:kinds.example.com 2>/dev/null
run "Adding SSL certificate to $kapp... done" certs:add kinds.crt kinds.key -a "$kapp"
kcert="$(api GET "/apps/$kapp/sni-endpoints" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].name')"
run "Adding kinds.example.com to $kapp... done" domains:add kinds.example.com --cert "$kcert" -a "$kapp"
run "Adding webhook to" webhooks:add -i api:release -l notify -u https://hooks.example.com/kinds -a "$kapp"
run "Enabling Automatic Certificate Management... starting" certs:auto:enable -a "$kowner"
# The add-on provisions asynchronously; import reads it once it is there.
for _ in $(seq 1 100); do
  [ "$(api GET "/addons/$kdb" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).state')" = provisioned ] && break
  sleep 0.1
done
echo
echo "\$ dynoform import $kapp $kowner -o kinds.yaml && dynoform plan -f kinds.yaml --detailed-exitcode"
# Import names the private key's variable in the YAML; it is the CLI's key file.
if dyno import "$kapp" "$kowner" -o kinds.yaml --state kinds-state.json | sed 's/^/    /' \
  && kvar="$(grep -o 'private_key: ${env:[A-Z0-9_]*}' kinds.yaml | sed 's/.*{env:\(.*\)}/\1/')" \
  && [ -n "$kvar" ] \
  && env "$kvar=$(cat kinds.key)" HEROKU_API_URL="$url" node "$repo/bin/dynoform.js" plan -f kinds.yaml --state kinds-state.json --detailed-exitcode | sed 's/^/    /'; then
  echo "    (the first plan after importing the apps made with the CLI is empty)"
else
  echo "FAIL: the import of $kapp and $kowner did not give an empty first plan"; sed 's/^/    /' kinds.yaml
  failures=$((failures + 1))
fi
commands=$((commands + 1))
run "Buildpack added." buildpacks:add "$python" -a "$kapp"
run "Disabling preboot for $kapp... done" labs:disable preboot -a "$kapp"
run "Updating dev@example.com in application $kapp with operate,view permissions... done" access:update dev@example.com -a "$kapp" --permissions operate
run "Detaching SHARED_DB to $kdb from $kapp... done" addons:detach SHARED_DB -a "$kapp"
run "Removing SSL certificate $kcert from $kapp... done" certs:remove --name "$kcert" -a "$kapp" --confirm "$kapp"
khook="$(api GET "/apps/$kapp/webhooks" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].id')"
run "Removing webhook $khook from" webhooks:remove "$khook" -a "$kapp"
run "Disabling Automatic Certificate Management... done" certs:auto:disable -a "$kowner" --confirm "$kowner"
run "Locking $kapp... done" apps:lock -a "$kapp"
echo
echo "\$ dynoform drift -f kinds.yaml   (after one CLI edit per kind: drift, exit 2, each at its line)"
set +e
drift_out="$(env "$kvar=$(cat kinds.key)" HEROKU_API_URL="$url" node "$repo/bin/dynoform.js" drift -f kinds.yaml --state kinds-state.json --format github 2>&1)"
drift_code=$?
set -e
echo "$drift_out" | sed 's/^/    /'
commands=$((commands + 1))
missing=""
for k in buildpacks feature.preboot collaborator.dev@example.com attachment.SHARED_DB certificate. webhook. acm 'app.kinds-shop/team::'; do
  grep -E "^::(warning|error|notice) file=kinds\.yaml,line=[0-9]+.*$k" <<<"$drift_out" >/dev/null || missing="$missing $k"
done
if [ "$drift_code" -ne 2 ] || [ -n "$missing" ]; then
  echo "FAIL: drift (exit $drift_code) did not report at a kinds.yaml line:$missing"
  failures=$((failures + 1))
else
  echo "    (drift reported each of the 8 edits at its line of kinds.yaml)"
fi
key_line="$(sed -n 2p kinds.key)"
if grep -qF -e "$key_line" kinds.yaml kinds-state.json || grep -qF -e "$key_line" <<<"$drift_out"; then
  echo "FAIL: the private key appears in the YAML, the state or drift's output"
  failures=$((failures + 1))
fi
run "Destroying $kapp" apps:destroy "$kapp" --confirm "$kapp"
run "Destroying $kowner" apps:destroy "$kowner" --confirm "$kowner"
# Team members (issue 18): roles, and the last admin who can be neither
# demoted nor removed.
me="$(api GET /account | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).email))')"
run "Adding ops@example.com to demo-team as member... done" members:add ops@example.com --team demo-team --role member
run "ops@example.com" members --team demo-team
run "member" members --team demo-team --role member
run "Adding ops@example.com to demo-team as viewer... done" members:set ops@example.com --team demo-team --role viewer
fails "last admin" members:set "$me" --team demo-team --role member
fails "last admin" members:remove "$me" --team demo-team
echo
echo "\$ dynoform import --team demo-team --account-features -o team.yaml && dynoform plan -f team.yaml --detailed-exitcode"
if HEROKU_API_URL="$url" node "$repo/bin/dynoform.js" import --team demo-team --account-features -o team.yaml --state team-state.json \
  && HEROKU_API_URL="$url" node "$repo/bin/dynoform.js" plan -f team.yaml --state team-state.json --detailed-exitcode | sed 's/^/    /'; then
  echo "    (the first plan after importing the members made with the CLI is empty)"
else
  echo "FAIL: the import of demo-team's members did not give an empty first plan"
  failures=$((failures + 1))
fi
run "Removing ops@example.com from demo-team... done" members:remove ops@example.com --team demo-team
run "No members in demo-team with role viewer" members --team demo-team --role viewer
run "Destroying $team_app" apps:destroy "$team_app" --confirm "$team_app"

# Account features (issue 18): heroku labs lists them (without the general
# ones); labs:enable and labs:disable without -a switch one for the account.
run "User Features $me" labs
run "[ ] dashboard-metrics-preview" labs
run "Enabling dashboard-metrics-preview for $me... done" labs:enable dashboard-metrics-preview
run "[+] dashboard-metrics-preview" labs
run "Disabling dashboard-metrics-preview for $me... done" labs:disable dashboard-metrics-preview
fails "Couldn't find that feature" labs:enable no-such-feature
run "Destroying $other" apps:destroy "$other" --confirm "$other"
run "Destroying $app" apps:destroy "$app" --confirm "$app"

# Pipelines (issue 18): three apps in a pipeline built with the CLI, imported
# by dynoform to an empty first plan, then changed and torn down with the CLI.
dynoform() { HEROKU_API_URL="$url" node "$repo/bin/dynoform.js" "$@"; }
for a in pipe-dev pipe-staging pipe-prod; do run "Creating $a... done" apps:create "$a"; done
run "Adding pipe-staging to pipe pipeline as staging" pipelines:create pipe -a pipe-staging --stage staging
run "Adding pipe-dev to pipe pipeline as development" pipelines:add pipe -a pipe-dev --stage development
run "Adding pipe-prod to pipe pipeline as production" pipelines:add pipe -a pipe-prod --stage production
run "pipe" pipelines
run "pipe-prod" pipelines:info pipe
# CI config vars (the pipeline's test stage) and review apps. The GitHub
# connection is made in the Dashboard in real life (Kolkrabbi, outside the
# Platform API): here the first enabling POSTs the repository, then the CLI
# disables and enables review apps reading the repository back itself.
run "Setting CI, NODE_ENV" ci:config:set -p pipe CI=true NODE_ENV=test
run "NODE_ENV" ci:config -p pipe
node -e '
  fetch(process.argv[1] + "/pipelines/pipe/review-app-config", { method: "POST", headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: "Bearer emulator-token", "Content-Type": "application/json" }, body: JSON.stringify({ repo: "acme/pipe" }) })
    .then((r) => { if (r.status !== 201) { console.error("connecting acme/pipe: HTTP " + r.status); process.exit(1); } });
' "$url"
run "Configuring pipeline... done" reviewapps:disable -p pipe
run "Configuring pipeline... done" reviewapps:enable -p pipe
run "Enabling auto deployment" reviewapps:enable -p pipe --autodeploy --autodestroy
echo
echo "\$ dynoform import --pipeline pipe -o pipe.yaml && dynoform plan -f pipe.yaml --detailed-exitcode"
if dynoform import --pipeline pipe -o pipe.yaml --state pipe-state.json && dynoform plan -f pipe.yaml --state pipe-state.json --detailed-exitcode | sed 's/^/    /'; then
  echo "    (the first plan after the import is empty)"
else
  echo "FAIL: the import of pipe did not give an empty first plan"
  failures=$((failures + 1))
fi
if grep -q "repo: acme/pipe" pipe.yaml && grep -q "NODE_ENV: test" pipe.yaml; then
  echo "    (pipe.yaml declares the review apps and the CI config vars)"
else
  echo "FAIL: pipe.yaml lacks review_apps or the test-stage config:"; sed 's/^/    /' pipe.yaml
  failures=$((failures + 1))
fi
run "Disabling auto deployment" reviewapps:disable -p pipe --no-autodeploy
echo
echo "\$ dynoform drift -f pipe.yaml   (after reviewapps:disable --no-autodeploy: drift, exit 2)"
set +e
drift_out="$(dynoform drift -f pipe.yaml --state pipe-state.json 2>&1)"
drift_code=$?
set -e
echo "$drift_out" | sed 's/^/    /'
if [ "$drift_code" -ne 2 ] || ! echo "$drift_out" | grep -q "automatic_review_apps"; then
  echo "FAIL: drift did not report the review-app change (exit $drift_code)"
  failures=$((failures + 1))
fi
run "Configuring pipeline... done" reviewapps:disable -p pipe
run "Renaming pipe pipeline to pipe-two" pipelines:rename pipe pipe-two
run "Removing pipe-dev" pipelines:remove -a pipe-dev
run "Destroying pipe-two pipeline" pipelines:destroy pipe-two

echo
node -e '
  fetch(process.argv[1] + "/__emulator/stats").then((r) => r.json()).then((s) =>
    console.log(`emulator saw ${s.requests} API requests, by status ${JSON.stringify(s.byStatus)}`));
' "$url"
if [ "$failures" -eq 0 ]; then
  echo "all $commands Heroku CLI commands passed against the emulator"
else
  echo "$failures command(s) failed"
  exit 1
fi
