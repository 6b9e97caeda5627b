#!/usr/bin/env bash
# System packages the project needs beyond Python: idempotent, installs only what is missing,
# and skips (with a note) when not root or apt-get is unavailable.
#   libportaudio2      sounddevice's PortAudio (microphone and speaker for `cook --voice`)
#   pulseaudio(-utils) a sound server the voice end-to-end test starts with a virtual mic and speaker
#   libasound2-plugins ALSA's pulse plugin: PortAudio's ALSA "default" device goes through PulseAudio
#   espeak-ng, sox     synthetic accented voices and noise mixing for the voice evaluation sets
#   postgresql-15, redis-server  initdb/pg_ctl and redis-server: tests/faults starts private servers from them
set -euo pipefail

PACKAGES=(libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox postgresql-15 redis-server)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "system-deps: all present (${PACKAGES[*]})"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: skipped (need root and apt-get) - missing: ${missing[*]}" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
apt-get install -y --no-install-recommends "${missing[@]}"
echo "system-deps: installed ${missing[*]}"
