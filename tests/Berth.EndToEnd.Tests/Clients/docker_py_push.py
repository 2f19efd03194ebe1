"""A push through the Docker SDK for Python (Debian's python3-docker), one result per line. argv[1]: the registry's host:port."""
import sys

import docker

registry = sys.argv[1]
client = docker.from_env()
client.images.get("busybox").tag(f"{registry}/py/pushed", "v1")
messages = list(client.images.push(f"{registry}/py/pushed", tag="v1", stream=True, decode=True))
print("first", messages[0]["status"])
print("statuses", sorted({m["status"] for m in messages if "id" in m and "progressDetail" not in m or m.get("status") == "Pushed"}))
print("errors", [m["error"] for m in messages if "error" in m])
aux = [m["aux"] for m in messages if "aux" in m][0]
print("aux", aux["Tag"], aux["Digest"].startswith("sha256:"), aux["Size"] > 0)
print("repo-digest", f"{registry}/py/pushed@{aux['Digest']}" in client.images.get(f"{registry}/py/pushed:v1").attrs["RepoDigests"])
print("registry-data", client.images.get_registry_data(f"{registry}/py/pushed:v1").id == aux["Digest"])
