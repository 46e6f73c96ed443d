#!/bin/bash
# plenary-healthcheck: exit 0 when the local server answers GET /healthz with 200, else 1.
# For the container's HEALTHCHECK (the slim image has no curl): bash's /dev/tcp only.
# The port is taken from PLENARY_LISTEN (HOST:PORT, default 0.0.0.0:8080).
set -u
port="${PLENARY_LISTEN:-0.0.0.0:8080}"
port="${port##*:}"
{ exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || {
  echo "plenary-healthcheck: nothing answers on 127.0.0.1:${port}" >&2
  exit 1
}
printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$port" >&3
IFS= read -r -t 5 status <&3 || exit 1
exec 3>&-
case "$status" in
  "HTTP/1."[01]" 200"*) exit 0 ;;
  *) echo "plenary-healthcheck: ${status%$'\r'}" >&2; exit 1 ;;
esac
