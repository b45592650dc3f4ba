#!/usr/bin/env bash
# Runs a keychain test program in a D-Bus session of its own, in one of three set-ups:
#   secret-service  a session bus with gnome-keyring-daemon's Secret Service, its login keyring
#                   created and unlocked with a known password (given on stdin, never in argv)
#   no-bus          no session bus at all (DBUS_SESSION_BUS_ADDRESS unset)
#   no-service      a session bus on which nothing provides org.freedesktop.secrets (and nothing
#                   can be started on demand)
# HOME, XDG_* and the keyring files live in a scratch directory removed afterwards. A missing
# piece (dbus-run-session, gnome-keyring-daemon, secret-tool) is a failure, not a skip:
# scripts/setup installs them.
#   session.sh MODE PROGRAM [ARGS...]
set -euo pipefail

mode=$1
shift
for tool in dbus-run-session dbus-daemon gnome-keyring-daemon secret-tool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "keychain test: $tool is missing (scripts/setup installs it)" >&2
    exit 1
  fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mc-keychain.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/runtime" "$scratch/config" "$scratch/data"
chmod 700 "$scratch/runtime"
export HOME=$scratch/home XDG_RUNTIME_DIR=$scratch/runtime XDG_CONFIG_HOME=$scratch/config \
  XDG_DATA_HOME=$scratch/data MC_TEST_KEYCHAIN_MODE=$mode MC_TEST_SCRATCH=$scratch
unset DISPLAY WAYLAND_DISPLAY

# A bus that knows no services to start on demand: nothing answers for org.freedesktop.secrets.
cat >"$scratch/bare-bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$scratch/runtime</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

case $mode in
  secret-service)
    # The daemon is started inside the session, so it ends with the session's bus.
    dbus-run-session -- bash -c '
      set -euo pipefail
      printf %s "keyring-unlock-for-tests" |
        gnome-keyring-daemon --unlock --components=secrets >"$MC_TEST_SCRATCH/keyring.env"
      exec "$@"' keychain-session "$@"
    ;;
  no-bus)
    unset DBUS_SESSION_BUS_ADDRESS
    "$@"
    ;;
  no-service)
    dbus-run-session --config-file="$scratch/bare-bus.conf" -- "$@"
    ;;
  *)
    echo "keychain test: unknown mode $mode (secret-service, no-bus or no-service)" >&2
    exit 2
    ;;
esac
