"""Network calls through the Docker SDK for Python (Debian's python3-docker), one result per line."""
import docker

client = docker.from_env()
ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet="10.55.0.0/24", gateway="10.55.0.1")])
network = client.networks.create("pynet", driver="bridge", ipam=ipam, labels={"made": "py"})
print("created", network.name, network.attrs["IPAM"]["Config"][0]["Subnet"])
server = client.containers.run("busybox", "sleep 1000", name="pyserver", detach=True, network="pynet")
server.reload()
print("address", server.attrs["NetworkSettings"]["Networks"]["pynet"]["IPAddress"])
output = client.containers.run("busybox", "nslookup pyserver", network="pynet", remove=True).decode()
print("resolved", "Address: 10.55.0.2" in output)
network.reload()
print("members", [c.name for c in network.containers])
print("listed", [n.name for n in client.networks.list(filters={"label": "made=py"})])
try:
    network.remove()
except docker.errors.APIError as error:
    print("in-use", error.status_code)
network.disconnect(server)
network.reload()
print("after-disconnect", [c.name for c in network.containers])
server.remove(force=True)
network.remove()
try:
    client.networks.get("pynet")
except docker.errors.NotFound as error:
    print("gone", error.explanation)
