#!/bin/sh
# The compose stack's gateway: it shares the k3s container's network (network_mode: service:k3s), so it is where a
# node's own processes are. Wait until k3s has written its kubeconfig and given the node its pod bridge (cni0,
# 10.42.0.1: the address driver pods dial the gateway's link at), then run the image's own command.
set -eu
kubeconfig="${KUBECONFIG:?KUBECONFIG names the kubeconfig k3s writes}"
waited=0
until [ -s "$kubeconfig" ] && grep -q 'cni0:' /proc/net/dev; do
  if [ "$waited" -ge 300 ]; then
    echo "sparkgate: after ${waited}s k3s has still not written $kubeconfig or created cni0; see: docker compose logs k3s" >&2
    exit 1
  fi
  [ $((waited % 15)) -eq 0 ] && echo "sparkgate: waiting for k3s (kubeconfig and the pod network)..." >&2
  sleep 1
  waited=$((waited + 1))
done
echo "sparkgate: k3s is up; driver pods will dial the gateway at ${SPARKGATE_LINK_URL:-?}" >&2
exec "$@"
