using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Wire.Volumes;
using Berth.Volumes.Service;

namespace Berth.Volumes.Tests.Service;

public sealed class VolumeServiceTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "berth-volumes-" + Guid.NewGuid().ToString("N"));
    private readonly FakeUsers users = new();

    private VolumeService Open() => new(root) { Users = users };

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Create_is_idempotent_keeps_labels_and_survives_a_reopen()
    {
        var service = Open();
        var made = service.Create(new VolumeCreateRequest { Name = "data", Labels = new() { ["k"] = "v" } });
        Assert.Equal(Path.Combine(root, "data", "_data"), made.Mountpoint);
        Assert.True(Directory.Exists(made.Mountpoint));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", made.CreatedAt);
        Assert.Equal(made.CreatedAt, service.Create(new VolumeCreateRequest { Name = "data" }).CreatedAt);

        var reopened = Open();
        Assert.Equal("v", reopened.Inspect("data").Labels!["k"]);
        Assert.Equal(["data"], reopened.List(FilterArgs.Empty).Volumes.Select(v => v.Name));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("bad name")]
    [InlineData("-lead")]
    [InlineData("with/slash")]
    public void Invalid_names_are_refused(string name)
    {
        var e = Assert.Throws<BerthException>(() => Open().Create(new VolumeCreateRequest { Name = name }));
        Assert.Contains("includes invalid characters for a local volume name", e.Message);
    }

    [Fact]
    public void Anonymous_volumes_get_random_names_and_prune_follows_the_api_version()
    {
        var service = Open();
        var anonymous = service.Ensure("", "", null, null);
        Assert.Matches("^[0-9a-f]{64}$", anonymous.Name);
        service.Create(new VolumeCreateRequest { Name = "named" });
        service.Create(new VolumeCreateRequest { Name = "busy" });
        users.Using["busy"] = ["c1"];

        Assert.Equal([anonymous.Name], service.Prune(FilterArgs.Empty, new ApiVersion(1, 47)).VolumesDeleted);
        Assert.Null(service.Prune(FilterArgs.Empty, new ApiVersion(1, 47)).VolumesDeleted);
        Assert.Equal(["named"], service.Prune(FilterArgs.Parse("{\"all\":[\"true\"]}"), new ApiVersion(1, 47)).VolumesDeleted);
        service.Create(new VolumeCreateRequest { Name = "old" });
        // Before API 1.42 prune removed every unused volume, as dockerd 20.10 did.
        Assert.Equal(["old"], service.Prune(FilterArgs.Empty, new ApiVersion(1, 41)).VolumesDeleted);
        Assert.Equal(["busy"], service.List(FilterArgs.Empty).Volumes.Select(v => v.Name));
    }

    [Fact]
    public void Remove_refuses_volumes_in_use_and_force_ignores_unknown_ones()
    {
        var service = Open();
        service.Create(new VolumeCreateRequest { Name = "held" });
        users.Using["held"] = ["abc", "def"];
        var e = Assert.Throws<BerthException>(() => service.Remove("held", force: false));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal("remove held: volume is in use - [abc, def]", e.Message);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => service.Remove("nosuch", force: false)).Kind);
        service.Remove("nosuch", force: true);
        users.Using.Clear();
        service.Remove("held", force: false);
        Assert.False(Directory.Exists(Path.Combine(root, "held")));
    }

    [Fact]
    public void List_filters_by_name_label_driver_and_dangling()
    {
        var service = Open();
        service.Create(new VolumeCreateRequest { Name = "alpha", Labels = new() { ["tier"] = "db" } });
        service.Create(new VolumeCreateRequest { Name = "beta" });
        users.Using["beta"] = ["c"];
        string[] Names(string json) => service.List(FilterArgs.Parse(json)).Volumes.Select(v => v.Name).ToArray();
        Assert.Equal(["alpha"], Names("{\"name\":[\"alp\"]}"));
        Assert.Equal(["alpha"], Names("{\"label\":[\"tier=db\"]}"));
        Assert.Equal(["alpha", "beta"], Names("{\"driver\":[\"local\"]}"));
        Assert.Equal(["alpha"], Names("{\"dangling\":[\"true\"]}"));
        Assert.Equal(["beta"], Names("{\"dangling\":[\"false\"]}"));
    }

    private sealed class FakeUsers : IVolumeUsers
    {
        public Dictionary<string, IReadOnlyList<string>> Using { get; } = [];
        public IReadOnlyList<string> ContainersUsing(string volumeName) => Using.GetValueOrDefault(volumeName) ?? [];
    }
}
