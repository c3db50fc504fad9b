#!/usr/bin/env bash
# Puts an opsbook binary in OPSBOOK_BIN_DIR and prints its path (last line of stdout):
#   1. the cached binary, when it is the wanted release for this platform;
#   2. else the release archive from OPSBOOK_DOWNLOAD_BASE/<version>/, checked against the
#      .sha256 file published beside it;
#   3. else (no such release yet) a build from the source in OPSBOOK_SOURCE with cargo.
# OPSBOOK_BUILD=always skips 1 and 2 (the action sets it when src/ changed in the pull
# request); OPSBOOK_BUILD=never skips 3. Used by action.yml; tested by tests/action.rs.
set -euo pipefail

version="${OPSBOOK_VERSION:?set OPSBOOK_VERSION to a release tag such as v0.1.0}"
bin_dir="${OPSBOOK_BIN_DIR:-$HOME/.opsbook/bin}"
base="${OPSBOOK_DOWNLOAD_BASE:-https://github.com/clusterops/opsbook/releases/download}"
source_dir="${OPSBOOK_SOURCE:-}"
build="${OPSBOOK_BUILD:-auto}"
cargo="${CARGO:-cargo}"

log() { echo "install-opsbook: $*" >&2; }

case "$(uname -s)" in
  Linux) os=unknown-linux-gnu ;;
  Darwin) os=apple-darwin ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT) os=pc-windows-msvc ;;
  *) os=unknown ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=unknown ;;
esac
target="$arch-$os"
exe=opsbook
archive="opsbook-$target.tar.gz"
if [ "$os" = pc-windows-msvc ]; then
  exe=opsbook.exe
  archive="opsbook-$target.zip"
fi
bin="$bin_dir/$exe"
stamp="$bin_dir/.opsbook-release"
mkdir -p "$bin_dir"

sha256() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | awk '{print $1}'
  else
    shasum -a 256 "$1" | awk '{print $1}'
  fi
}

# Downloads and unpacks the release; returns 1 when there is no such release (HTTP error),
# exits when the archive does not match its checksum.
download() {
  local url tmp want got found
  url="$base/$version/$archive"
  tmp="$(mktemp -d)"
  log "downloading $url"
  if ! curl -fsSL --retry 2 -o "$tmp/$archive" "$url" \
    || ! curl -fsSL --retry 2 -o "$tmp/$archive.sha256" "$url.sha256"; then
    log "no release $version for $target at $base"
    rm -rf "$tmp"
    return 1
  fi
  want="$(awk '{print $1; exit}' "$tmp/$archive.sha256")"
  got="$(sha256 "$tmp/$archive")"
  if [ "$want" != "$got" ]; then
    log "checksum mismatch for $archive: the release says $want, the download is $got"
    rm -rf "$tmp"
    exit 1
  fi
  mkdir -p "$tmp/unpacked"
  case "$archive" in
    *.zip)
      if command -v unzip > /dev/null; then
        unzip -q -o "$tmp/$archive" -d "$tmp/unpacked"
      else
        7z x -y -o"$tmp/unpacked" "$tmp/$archive" > /dev/null
      fi
      ;;
    *) tar -xzf "$tmp/$archive" -C "$tmp/unpacked" ;;
  esac
  found="$(find "$tmp/unpacked" -type f -name "$exe" | head -n 1)"
  if [ -z "$found" ]; then
    log "$archive holds no $exe"
    rm -rf "$tmp"
    exit 1
  fi
  cp "$found" "$bin"
  chmod 755 "$bin"
  echo "$version $target" > "$stamp"
  rm -rf "$tmp"
}

build_from_source() {
  if [ -z "$source_dir" ] || [ ! -f "$source_dir/Cargo.toml" ]; then
    log "no opsbook source to build from (OPSBOOK_SOURCE=$source_dir)"
    return 1
  fi
  log "building opsbook from $source_dir"
  "$cargo" build --release --locked --manifest-path "$source_dir/Cargo.toml" >&2
  cp "${CARGO_TARGET_DIR:-$source_dir/target}/release/$exe" "$bin"
  chmod 755 "$bin"
  # A source build is never taken for a release by a later run.
  echo "source" > "$stamp"
}

if [ "$build" != always ] && [ -x "$bin" ] && [ "$(cat "$stamp" 2> /dev/null)" = "$version $target" ]; then
  log "using the cached opsbook $version ($target)"
elif [ "$build" = always ]; then
  build_from_source
elif download; then
  log "installed opsbook $version ($target)"
elif [ "$build" != never ]; then
  build_from_source
else
  exit 1
fi
echo "$bin"
