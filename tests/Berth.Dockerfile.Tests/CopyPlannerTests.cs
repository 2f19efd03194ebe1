using System.Formats.Tar;
using System.IO.Compression;
using Berth.Api.Errors;

namespace Berth.Dockerfile.Tests;

/// <summary>Checksums and layouts recorded from dockerd 20.10 with the same context (see docs/oracle/dockerd-build.md); the tests run as root, as the daemon does.</summary>
public sealed class CopyPlannerTests : IDisposable
{
    private const string ATxt = "file:a596f0888def06c3cad1442667ede22d419985a1c8a3155b838b650c4cf52ecc";
    private const string Dir = "dir:09bb7afc17370ceb84bb3509e8a304805d0792b085bd944167a115e8da40daf8";

    private readonly TempContext _context = new TempContext()
        .File("a.txt", "a\n").File("b.txt", "b\n")
        .Dir("dir").Dir("dir/sub").File("dir/sub/c", "c\n", (UnixFileMode)0b110_000_000).Link("dir/sublink", "sub")
        .Link("link", "a.txt").Link("dirlink", "dir").Link("abslink", "/etc/passwd").Link("loop", "loop");

    public void Dispose() => _context.Dispose();

    private CopyRequest Request(string destination, params string[] sources) =>
        new(_context.Root, sources, destination, DestinationIsExistingDirectory: false, null, null, null, ExtractArchives: false, Ignore: null);

    private static async Task<List<(string Name, TarEntryType Type, int Uid, int Gid, int Mode, string Content)>> TarOf(CopyPlan plan)
    {
        var buffer = new MemoryStream();
        await plan.WriteTarAsync(buffer, CancellationToken.None);
        buffer.Position = 0;
        var entries = new List<(string, TarEntryType, int, int, int, string)>();
        var reader = new TarReader(buffer);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var content = entry.DataStream is { } data ? await new StreamReader(data).ReadToEndAsync()
                : entry.EntryType == TarEntryType.SymbolicLink ? "-> " + entry.LinkName : "";
            entries.Add((entry.Name, entry.EntryType, entry.Uid, entry.Gid, (int)entry.Mode, content));
        }
        return entries;
    }

    [Theory]
    [InlineData("a.txt", ATxt)]
    [InlineData("/a.txt", ATxt)]
    [InlineData("./a.txt", ATxt)]
    [InlineData("link", ATxt)]
    [InlineData("dir/../a.txt", ATxt)]
    [InlineData("dir", Dir)]
    [InlineData("dirlink", Dir)]
    [InlineData("./dir/sub/../sub", "dir:44d0cc0147b8aaf627f1ef8e948628a842260e5605e9fb63dc7d57c14f99c0ff")]
    [InlineData("*.txt", "multi:59e3963f5e7d6137120d6afcd1a6ca6a02dfe35f6ed41d7b8cbee2bf80896577")]
    public async Task Checksums_are_dockerds(string source, string checksum) =>
        Assert.Equal(checksum, (await CopyPlanner.PlanAsync(Request("/dest/", source), CancellationToken.None)).Checksum);

    [Fact]
    public async Task Touching_a_file_keeps_the_checksum_and_changing_it_does_not()
    {
        File.SetLastWriteTimeUtc(Path.Combine(_context.Root, "dir/sub/c"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(Dir, (await CopyPlanner.PlanAsync(Request("/d/", "dir"), CancellationToken.None)).Checksum);
        File.AppendAllText(Path.Combine(_context.Root, "dir/sub/c"), "more");
        Assert.NotEqual(Dir, (await CopyPlanner.PlanAsync(Request("/d/", "dir"), CancellationToken.None)).Checksum);
        File.SetUnixFileMode(Path.Combine(_context.Root, "a.txt"), (UnixFileMode)0b111_101_101);
        Assert.NotEqual(ATxt, (await CopyPlanner.PlanAsync(Request("/d/", "a.txt"), CancellationToken.None)).Checksum);
    }

    [Theory]
    [InlineData("../b.txt", "/d/", "COPY failed: forbidden path outside the build context: ../b.txt ()")]
    [InlineData("dir/../../b.txt", "/d/", "COPY failed: forbidden path outside the build context: dir/../../b.txt ()")]
    [InlineData("missing", "/d/", "COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist")]
    [InlineData("abslink", "/d/", "COPY failed: file not found in build context or excluded by .dockerignore: stat abslink: file does not exist")]
    [InlineData("*.none", "/d/", "COPY failed: no source files were specified")]
    [InlineData("loop", "/d/", "COPY failed: forbidden path outside the build context: loop ()")]
    [InlineData("*.txt", "/d", "When using COPY with more than one source file, the destination must be a directory and end with a /")]
    public async Task Refused_sources_use_dockerds_wording(string source, string destination, string message)
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyPlanner.PlanAsync(Request(destination, source), CancellationToken.None));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task Sources_excluded_by_dockerignore_are_not_there()
    {
        var request = Request("/d/", "dir") with { Ignore = DockerIgnore.Parse("dir/sub/c\n*.txt\n") };
        var plan = await CopyPlanner.PlanAsync(request, CancellationToken.None);
        Assert.DoesNotContain(await TarOf(plan), e => e.Name.EndsWith("/c", StringComparison.Ordinal));
        Assert.NotEqual(Dir, plan.Checksum);
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyPlanner.PlanAsync(request with { Sources = ["a.txt"] }, CancellationToken.None));
        Assert.Equal("COPY failed: file not found in build context or excluded by .dockerignore: stat a.txt: file does not exist", e.Message);
        await Assert.ThrowsAsync<BerthException>(() => CopyPlanner.PlanAsync(request with { Sources = ["link"] }, CancellationToken.None));
    }

    [Fact]
    public async Task An_excluded_directory_with_re_included_files_is_there_but_not_checksummed_as_sent()
    {
        using var context = new TempContext().Dir("dir", (UnixFileMode)0b111_000_000).Dir("dir/sub").File("dir/sub/c", "c\n").File("dir/d", "d\n");
        var request = new CopyRequest(context.Root, ["dir"], "/d/", false, null, null, null, false, DockerIgnore.Parse("dir\n!dir/sub/c\n"));
        var plan = await CopyPlanner.PlanAsync(request, default);
        Assert.Equal("dir:0b3396b9339c66460a0100d8f7a755f471d700b527b1b0ca0dc77225c29992dd", plan.Checksum);
        Assert.Equal(["d", "d/sub", "d/sub/c"], (await TarOf(plan)).Select(e => e.Name));
    }

    [Fact]
    public async Task A_file_lands_at_the_destination_or_under_it_by_its_name()
    {
        Assert.Equal([("f1", TarEntryType.RegularFile, 0, 0, 0b110_100_100, "a\n")], await TarOf(await CopyPlanner.PlanAsync(Request("/f1", "a.txt"), default)));
        Assert.Equal("newdir/a.txt", (await TarOf(await CopyPlanner.PlanAsync(Request("/newdir/", "a.txt"), default))).Single().Name);
        var intoExisting = Request("/etc", "a.txt") with { DestinationIsExistingDirectory = true };
        Assert.Equal("etc/a.txt", (await TarOf(await CopyPlanner.PlanAsync(intoExisting, default))).Single().Name);
        // A top-level symlink is followed, and named as the link.
        Assert.Equal(("s/link", "a\n"), (await TarOf(await CopyPlanner.PlanAsync(Request("/s/", "link"), default))).Select(e => (e.Name, e.Content)).Single());
    }

    [Fact]
    public async Task A_directory_copies_its_contents_with_inner_symlinks_as_links()
    {
        var entries = await TarOf(await CopyPlanner.PlanAsync(Request("/r/", "dir"), default));
        Assert.Equal([
            ("r", TarEntryType.Directory, 0, 0, 0b111_101_101, ""),
            ("r/sub", TarEntryType.Directory, 0, 0, 0b111_101_101, ""),
            ("r/sub/c", TarEntryType.RegularFile, 0, 0, 0b110_000_000, "c\n"),
            ("r/sublink", TarEntryType.SymbolicLink, 0, 0, 0b111_111_111, "-> sub"),
        ], entries);
        var existing = Request("/r/", "dirlink") with { DestinationIsExistingDirectory = true };
        Assert.Equal(["r/sub", "r/sub/c", "r/sublink"], (await TarOf(await CopyPlanner.PlanAsync(existing, default))).Select(e => e.Name));
    }

    [Fact]
    public async Task Chown_owns_everything_copied_and_a_files_new_parents_but_not_a_directorys()
    {
        var file = Request("/p1/p2/f", "a.txt") with { Uid = 7, Gid = 8, TargetDirectoryExists = path => path == "/" };
        Assert.Equal([("p1", 7, 8), ("p1/p2", 7, 8), ("p1/p2/f", 7, 8)],
            (await TarOf(await CopyPlanner.PlanAsync(file, default))).Select(e => (e.Name, e.Uid, e.Gid)));
        var dir = Request("/q1/q2/", "dir") with { Uid = 7, Gid = 8, TargetDirectoryExists = path => path == "/" };
        Assert.Equal([("q1/q2", 7, 8), ("q1/q2/sub", 7, 8), ("q1/q2/sub/c", 7, 8), ("q1/q2/sublink", 7, 8)],
            (await TarOf(await CopyPlanner.PlanAsync(dir, default))).Select(e => (e.Name, e.Uid, e.Gid)));
        var existing = Request("/r/", "dir") with { Uid = 5, Gid = 6, DestinationIsExistingDirectory = true };
        Assert.All(await TarOf(await CopyPlanner.PlanAsync(existing, default)), e => Assert.Equal((5, 6), (e.Uid, e.Gid)));
    }

    [Fact]
    public async Task Chmod_and_preserved_owners()
    {
        var chmod = Request("/x", "a.txt") with { Mode = 0b111_000_000 };
        Assert.Equal(0b111_000_000, (await TarOf(await CopyPlanner.PlanAsync(chmod, default))).Single().Mode);
        File.SetUnixFileMode(Path.Combine(_context.Root, "b.txt"), (UnixFileMode)0b110_110_110);
        var preserve = Request("/x", "b.txt") with { PreserveOwnership = true };
        Assert.Equal((0, 0, 0b110_110_110), (await TarOf(await CopyPlanner.PlanAsync(preserve, default))).Select(e => (e.Uid, e.Gid, e.Mode)).Single());
    }

    [Fact]
    public async Task Wildcards_match_with_gos_rules_over_the_whole_context()
    {
        var plan = await CopyPlanner.PlanAsync(Request("/v/", "*.txt", "d?r/s[a-u]b/*"), default);
        Assert.Equal(["v/a.txt", "v/b.txt", "v/c"], (await TarOf(plan)).Select(e => e.Name));
    }

    [Fact]
    public async Task Add_extracts_local_archives_with_their_own_owners_and_copies_other_files()
    {
        var tar = Path.Combine(_context.Root, "x.tar");
        await using (var file = File.Create(tar))
        await using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "d/") { Uid = 3, Gid = 4, Mode = (UnixFileMode)0b111_101_101 });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "d/x") { Uid = 3, Gid = 4, Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream("x\n"u8.ToArray()) });
        }
        await using (var gz = new GZipStream(File.Create(Path.Combine(_context.Root, "x.tgz")), CompressionLevel.Fastest))
        await using (var source = File.OpenRead(tar))
            await source.CopyToAsync(gz);
        await using (var single = new GZipStream(File.Create(Path.Combine(_context.Root, "single.gz")), CompressionLevel.Fastest))
            await single.WriteAsync("not a tar"u8.ToArray());

        var add = Request("/g/sub/", "x.tgz") with { ExtractArchives = true, CommandName = "ADD", Uid = 9, Gid = 9 };
        Assert.Equal([("g/sub", 0, 0), ("g/sub/d", 3, 4), ("g/sub/d/x", 3, 4)], (await TarOf(await CopyPlanner.PlanAsync(add, default))).Select(e => (e.Name, e.Uid, e.Gid)));
        var plain = Request("/p", "x.tar") with { ExtractArchives = true, CommandName = "ADD", DestinationIsExistingDirectory = true };
        Assert.Equal(["p/d", "p/d/x"], (await TarOf(await CopyPlanner.PlanAsync(plain, default))).Select(e => e.Name));
        var notTar = Request("/s/", "single.gz") with { ExtractArchives = true, CommandName = "ADD" };
        Assert.Equal(["s/single.gz"], (await TarOf(await CopyPlanner.PlanAsync(notTar, default))).Select(e => e.Name));
        var copy = Request("/c/", "x.tar");
        Assert.Equal(["c/x.tar"], (await TarOf(await CopyPlanner.PlanAsync(copy, default))).Select(e => e.Name));
        var missing = await Assert.ThrowsAsync<BerthException>(() => CopyPlanner.PlanAsync(add with { Sources = ["nope"] }, default));
        Assert.StartsWith("ADD failed: file not found", missing.Message);
    }

    [Theory]
    [InlineData("/app", "x", "/app/x")]
    [InlineData("/app", "x/", "/app/x/")]
    [InlineData(null, "x", "/x")]
    [InlineData("/app", "/abs", "/abs")]
    [InlineData("/app", ".", "/app")]
    [InlineData("/app", "./", "/app/")]
    public void Destinations_are_relative_to_the_working_directory(string? workdir, string requested, string expected) =>
        Assert.Equal(expected, CopyPlanner.NormalizeDestination(workdir, requested));
}

/// <summary>Hard links recorded from dockerd 20.10: the CLI sends later names as links to the first, and a copied directory keeps them.</summary>
public sealed class CopyPlannerHardLinkTests : IAsyncLifetime
{
    private readonly TempContext _context = new TempContext().File("a.txt", "a\n").Dir("dir");

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "h", "dir/h2", "dir/h3" })
        {
            using var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(_context.Root, "a.txt"), Path.Combine(_context.Root, name)]);
            await ln.WaitForExitAsync();
            Assert.Equal(0, ln.ExitCode);
        }
    }

    public Task DisposeAsync()
    {
        _context.Dispose();
        return Task.CompletedTask;
    }

    private CopyRequest Request(string destination, string source) =>
        new(_context.Root, [source], destination, false, null, null, null, false, null);

    [Theory]
    [InlineData("a.txt", "file:a596f0888def06c3cad1442667ede22d419985a1c8a3155b838b650c4cf52ecc")]
    [InlineData("h", "file:4560a135807e25489d2d0d2d526a9a999debfa3b43d1bcb514658cd6df4f090f")]
    [InlineData("dir", "dir:3dbb875a772442cc7ee34e8009c3554ed2ec38261c794cbd93521d1a70475f0e")]
    public async Task Later_names_are_checksummed_as_links(string source, string checksum) =>
        Assert.Equal(checksum, (await CopyPlanner.PlanAsync(Request("/x", source), default)).Checksum);

    [Fact]
    public async Task A_copied_directory_keeps_its_hard_links()
    {
        var buffer = new MemoryStream();
        await (await CopyPlanner.PlanAsync(Request("/d/", "dir"), default)).WriteTarAsync(buffer, default);
        buffer.Position = 0;
        var reader = new System.Formats.Tar.TarReader(buffer);
        var entries = new List<(string, System.Formats.Tar.TarEntryType, string)>();
        while (await reader.GetNextEntryAsync() is { } entry) entries.Add((entry.Name, entry.EntryType, entry.LinkName));
        Assert.Equal([
            ("d", System.Formats.Tar.TarEntryType.Directory, ""),
            ("d/h2", System.Formats.Tar.TarEntryType.RegularFile, ""),
            ("d/h3", System.Formats.Tar.TarEntryType.HardLink, "d/h2"),
        ], entries);
    }
}

/// <summary>Whole-context and wildcard copies recorded from dockerd 20.10 (the Dockerfile below was in the context, so it is in the checksums).</summary>
public sealed class CopyPlannerWholeContextTests : IDisposable
{
    private const string Dockerfile = "FROM scratch\nCOPY . /all/\nCOPY dir/ /ds/\nCOPY d* /dstar/\nCOPY dir/* /dirstar/\nCOPY / /root/\n";

    private readonly TempContext _context = new TempContext()
        .File("Dockerfile", Dockerfile).File("a.txt", "a\n").Dir("dir").Dir("dir/sub").File("dir/sub/c", "c\n")
        .Link("dir/sublink", "sub").Link("dirlink", "dir");

    public void Dispose() => _context.Dispose();

    [Theory]
    [InlineData(".", "dir:31c2b7d130d7fd7b15b7b770890f581f1ce494ecb8a3f2bf9a88fe5096e36c62")]
    [InlineData("/", "dir:31c2b7d130d7fd7b15b7b770890f581f1ce494ecb8a3f2bf9a88fe5096e36c62")]
    [InlineData("dir/", "dir:37498509350590ab3d9b76eab4bc6f2b441425c03a8db26900b30a012e7c29ce")]
    [InlineData("d*", "multi:bf68a8de63d5eeb92ac70d70c78bd7802b2d085f051e673355b75649d3ab7a30")]
    [InlineData("dir/*", "multi:7734126a4ca575d1a96c039a241eff8c454fa665a86fecb643a49a339f37aa4a")]
    public async Task Checksums_are_dockerds(string source, string checksum)
    {
        var request = new CopyRequest(_context.Root, [source], "/x/", false, null, null, null, false, null);
        Assert.Equal(checksum, (await CopyPlanner.PlanAsync(request, default)).Checksum);
    }

    [Fact]
    public async Task Wildcard_directories_copy_their_contents()
    {
        var request = new CopyRequest(_context.Root, ["dir/*"], "/dirstar/", false, null, null, null, false, null);
        var buffer = new MemoryStream();
        await (await CopyPlanner.PlanAsync(request, default)).WriteTarAsync(buffer, default);
        buffer.Position = 0;
        var reader = new System.Formats.Tar.TarReader(buffer);
        var names = new List<string>();
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        Assert.Equal(["dirstar", "dirstar/c", "dirstar/c"], names);
    }
}

/// <summary>COPY --from checksums recorded from dockerd 20.10 (a stage holding /a.txt and /d/c, copied into the next stage).</summary>
public sealed class CopyPlannerFromImageTests : IDisposable
{
    private readonly TempContext _stage = new TempContext().File("a.txt", "a\n").Dir("d").File("d/c", "c\n");

    public void Dispose() => _stage.Dispose();

    [Theory]
    [InlineData("/a.txt", "file:727e0ae7f23c37758783ac7c6f22eb82c2637815ab27b3a5d36d8c7dfdd4e734")]
    [InlineData("/d", "dir:5d2f0fb6f340be859a4d5ad7d82a94629fdaedb9766b9bf18d000bb0f414ff74")]
    public async Task Checksums_include_file_types_and_the_hosts_owner_names(string source, string checksum)
    {
        var request = new CopyRequest(_stage.Root, [source], "/x/", false, null, null, null, false, null) { FromImage = true, PreserveOwnership = true };
        Assert.Equal(checksum, (await CopyPlanner.PlanAsync(request, default)).Checksum);
    }

    [Theory]
    [InlineData("/nope", "COPY failed: stat nope: file does not exist")]
    [InlineData("../x", "COPY failed: forbidden path outside the build context: ../x ()")]
    public async Task Refused_sources_name_no_build_context(string source, string message)
    {
        var request = new CopyRequest(_stage.Root, [source], "/x/", false, null, null, null, false, null) { FromImage = true };
        Assert.Equal(message, (await Assert.ThrowsAsync<BerthException>(() => CopyPlanner.PlanAsync(request, default))).Message);
    }
}
