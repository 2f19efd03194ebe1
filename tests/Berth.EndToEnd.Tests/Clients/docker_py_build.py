"""Builds through the Docker SDK for Python (Debian's python3-docker), one result per line. argv[1]: a context directory."""
import sys
import docker

client = docker.from_env()
image, logs = client.images.build(path=sys.argv[1], tag="py/built:1", buildargs={"WHO": "python"}, labels={"via": "docker-py"})
logs = list(logs)
print("tags", image.tags)
print("steps", sum(1 for entry in logs if entry.get("stream", "").startswith("Step ")))
print("aux", any("aux" in entry for entry in logs))
print("label", image.labels.get("via"))
print("run", client.containers.run("py/built:1", remove=True).decode().strip())
try:
    client.images.build(path=sys.argv[1], dockerfile="Missing.Dockerfile")
except docker.errors.APIError as error:
    print("missing", error.status_code, error.explanation)
try:
    client.images.build(path=sys.argv[1], dockerfile="Failing.Dockerfile")
except docker.errors.BuildError as error:
    print("failed", error.msg)
