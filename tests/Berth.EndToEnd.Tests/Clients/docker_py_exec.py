"""Runs execs through the Docker SDK for Python, which sends them on its pooled connections."""
import sys

import docker

client = docker.from_env()
container = client.containers.get(sys.argv[1])
code, out = container.exec_run(["echo", "one"])
print("first", code, out)
code, out = container.exec_run(["sh", "-c", "echo two; exit 3"])
print("second", code, out)
result = container.exec_run(["echo", "three"], stream=True)
print("stream", list(result.output))
api = client.api
exec_id = api.exec_create(container.id, ["sh", "-c", "exit 3"])["Id"]
api.exec_start(exec_id)
info = api.exec_inspect(exec_id)
print("inspect", info["ExitCode"], info["Running"])
