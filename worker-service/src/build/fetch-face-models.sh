#!/usr/bin/env bash
# Puts the pretrained face networks of the npm package @vladmandic/face-api (MIT) on the worker's
# class path: the tfjs weights of TinyFaceDetector, SSD MobileNetV1 and FaceRecognitionNet, plus
# the package's LICENSE. The weights are never committed: the build fetches the package from the
# npm registry with `npm pack`, keeps the tarball in a cache outside target/ (so `mvn clean` and
# later builds, offline ones included, do not fetch it again), checks its sha512 against the
# registry's published integrity, and extracts only the files the engine uses.
#
# usage: fetch-face-models.sh VERSION INTEGRITY OUTPUT_DIR   (INTEGRITY as npm prints it: sha512-BASE64)
# cache: $TUNEFORGE_NPM_CACHE, else ~/.cache/tuneforge/npm
set -euo pipefail

version="$1"
integrity="${2#sha512-}"
out="$3"
package="@vladmandic/face-api@$version"
tarball="vladmandic-face-api-$version.tgz"
models=(tiny_face_detector_model ssd_mobilenetv1_model face_recognition_model)

if [[ -f "$out/.version" && "$(cat "$out/.version")" == "$version" ]]; then
    exit 0
fi

cache="${TUNEFORGE_NPM_CACHE:-$HOME/.cache/tuneforge/npm}"
mkdir -p "$cache"
work=""
staging=""
trap 'rm -rf "$work" "$staging"' EXIT

fail() {
    cat >&2 <<MSG
[face models] $1
The face metrics of the evaluation need the pretrained networks of the npm package $package.
Either
  - install Node.js with npm (https://nodejs.org, or your OS package: apt-get install npm) and make
    sure https://registry.npmjs.org (or the registry set by npm_config_registry) is reachable, or
  - on a machine that has npm, run:  npm pack $package
    and copy the resulting $tarball into $cache
    (or point TUNEFORGE_NPM_CACHE at the folder that holds it).
Then build again.
MSG
    exit 1
}

# npm's integrity is base64; compare as hex with coreutils (or shasum on macOS).
verify() {
    local expected actual
    expected="$(printf '%s' "$integrity" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
    if command -v sha512sum >/dev/null 2>&1; then
        actual="$(sha512sum "$1" | cut -d' ' -f1)"
    else
        actual="$(shasum -a 512 "$1" | cut -d' ' -f1)"
    fi
    [[ "$actual" == "$expected" ]]
}

if [[ -f "$cache/$tarball" ]] && ! verify "$cache/$tarball"; then
    echo "[face models] cached $cache/$tarball does not match the registry's sha512; fetching it again" >&2
    rm -f "$cache/$tarball"
fi

if [[ ! -f "$cache/$tarball" ]]; then
    command -v npm >/dev/null 2>&1 || fail "npm is not installed and $cache/$tarball is not cached."
    echo "[face models] fetching $package from the npm registry into $cache" >&2
    work="$(mktemp -d "$cache/.pack.XXXXXX")"
    if ! (cd "$work" && npm pack --silent "$package" >/dev/null); then
        fail "npm pack $package failed (is the registry reachable?)."
    fi
    verify "$work/$tarball" || fail "the fetched $tarball does not match the expected sha512 $integrity."
    mv "$work/$tarball" "$cache/$tarball"
fi

staging="$(mktemp -d)"
members=(package/LICENSE)
for model in "${models[@]}"; do
    members+=("package/model/$model-weights_manifest.json" "package/model/$model.bin")
done
tar -xzf "$cache/$tarball" -C "$staging" "${members[@]}" \
    || fail "$cache/$tarball does not hold the expected model files; delete it and build again."

rm -rf "$out"
mkdir -p "$out/model"
cp "$staging"/package/model/* "$out/model/"
cp "$staging/package/LICENSE" "$out/LICENSE"
echo "$version" > "$out/.version"
echo "[face models] $package models in $out" >&2
