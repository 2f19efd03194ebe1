"""Image commands through the Docker SDK for Python (Debian's python3-docker), one result per line."""
import sys

import docker

client = docker.from_env()
print("ping", client.ping())
print("api", client.api.api_version)
with open(sys.argv[1], "rb") as archive:
    print("loaded", [image.tags for image in client.images.load(archive.read())])
image = client.images.get("busybox")
print("cmd", image.attrs["Config"]["Cmd"])
image.tag("py/tagged", "v1")
print("tags", sorted(tag for i in client.images.list() for tag in i.tags))
print("history", len(image.history()))
print("saved", len(b"".join(image.save(named=True))) > 1_000_000)
client.images.remove("py/tagged:v1")
print("after-remove", sorted(tag for i in client.images.list() for tag in i.tags))
print("prune", client.images.prune())
try:
    client.images.get("nosuch")
except docker.errors.ImageNotFound as error:
    print("not-found", error.explanation)
print("driver", client.info()["Driver"])
