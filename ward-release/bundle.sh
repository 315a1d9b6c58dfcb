#!/usr/bin/env bash
# Assembles the Central Portal bundle from the published modules' artifacts, in the Maven
# repository layout, with checksums, and checks that every artifact has what Central demands:
# pom, jar (unless the packaging is pom), sources, javadoc, .md5/.sha1/.sha256/.sha512 for every
# file, and, when signing is on, a .asc for every file that gpg verifies.
# usage: bundle.sh VERSION SIGNING(on|off)      -> ward-release/target/central-bundle.zip
set -euo pipefail
version=$1
signing=${2:-on}
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/ward-release/target"
stage="$out/central-staging"
rm -rf "$stage" "$out/central-bundle.zip"
mkdir -p "$stage"
group=io/github/wardops

# artifactId  module-dir  packaging
published=(
  "ward-parent . pom"
  "ward-bom ward-bom pom"
  "ward-core ward-core jar"
  "ward-snmp ward-snmp jar"
  "ward-victoriametrics ward-victoriametrics jar"
  "ward-simulator ward-simulator jar"
  "ward-redis ward-redis jar"
  "ward-postgres ward-postgres jar"
  "ward-mail ward-mail jar"
  "ward-testkit ward-testkit jar"
)

problems=()
for entry in "${published[@]}"; do
  read -r artifact dir packaging <<<"$entry"
  dest="$stage/$group/$artifact/$version"
  mkdir -p "$dest"
  base="$artifact-$version"
  files=("$root/$dir/pom.xml:$base.pom")
  if [ "$packaging" = jar ]; then
    files+=("$root/$dir/target/$base.jar:$base.jar"
            "$root/$dir/target/$base-sources.jar:$base-sources.jar"
            "$root/$dir/target/$base-javadoc.jar:$base-javadoc.jar")
  fi
  for f in "${files[@]}"; do
    src=${f%%:*}
    name=${f##*:}
    if [ ! -s "$src" ]; then
      problems+=("$artifact: missing $name (looked for $src)")
      continue
    fi
    cp "$src" "$dest/$name"
    # The signature maven-gpg-plugin wrote next to the artifact (the pom's is in target/).
    if [ "$signing" = on ]; then
      sig="$src.asc"
      [ "$name" = "$base.pom" ] && sig="$root/$dir/target/$base.pom.asc"
      if [ -s "$sig" ]; then
        cp "$sig" "$dest/$name.asc"
      else
        problems+=("$artifact: missing signature $name.asc")
      fi
    fi
  done
done

# Checksums for every file but the signatures (Central does not want those).
while IFS= read -r -d '' f; do
  md5sum "$f" | cut -d' ' -f1 > "$f.md5"
  sha1sum "$f" | cut -d' ' -f1 > "$f.sha1"
  sha256sum "$f" | cut -d' ' -f1 > "$f.sha256"
  sha512sum "$f" | cut -d' ' -f1 > "$f.sha512"
done < <(find "$stage" -type f ! -name '*.md5' ! -name '*.sha*' ! -name '*.asc' -print0)

# The check: everything Central demands, per artifact.
for entry in "${published[@]}"; do
  read -r artifact dir packaging <<<"$entry"
  dest="$stage/$group/$artifact/$version"
  base="$artifact-$version"
  need=("$base.pom")
  [ "$packaging" = jar ] && need+=("$base.jar" "$base-sources.jar" "$base-javadoc.jar")
  for n in "${need[@]}"; do
    [ -s "$dest/$n" ] || { problems+=("$artifact: bundle lacks $n"); continue; }
    for c in md5 sha1 sha256 sha512; do
      [ -s "$dest/$n.$c" ] || problems+=("$artifact: bundle lacks $n.$c")
    done
    if [ "$signing" = on ] && [ -s "$dest/$n.asc" ]; then
      gpg --batch --verify "$dest/$n.asc" "$dest/$n" >/dev/null 2>&1 || problems+=("$artifact: bad signature on $n")
    fi
  done
  # The POM metadata Central requires: every POM names and describes itself; url, licenses,
  # developers and scm come from ward-parent (in the bundle too) unless the POM has no parent.
  pom="$dest/$base.pom"
  if [ -s "$pom" ]; then
    tags=(name description)
    if [ "$artifact" = ward-parent ] || [ "$artifact" = ward-bom ]; then
      tags+=(url licenses developers scm)
    fi
    for tag in "${tags[@]}"; do
      grep -q "<$tag>" "$pom" || problems+=("$artifact: POM has no <$tag>")
    done
  fi
  # Javadoc and sources jars are not empty shells.
  if [ "$packaging" = jar ] && [ -s "$dest/$base-javadoc.jar" ]; then
    # (listings captured first: grep -q closing the pipe early would fail the pipeline)
    listing=$(unzip -Z1 "$dest/$base-javadoc.jar")
    grep -q 'index.html' <<<"$listing" || problems+=("$artifact: javadoc jar has no index.html")
    listing=$(unzip -Z1 "$dest/$base-sources.jar")
    grep -q '\.java$' <<<"$listing" || problems+=("$artifact: sources jar has no sources")
  fi
done

if [ ${#problems[@]} -gt 0 ]; then
  echo "The Central bundle is incomplete:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
(cd "$stage" && zip -qr "$out/central-bundle.zip" .)
echo "central bundle: $out/central-bundle.zip ($(find "$stage" -type f | wc -l) files, ${#published[@]} artifacts, signatures $signing)"
