using System.Net;
using System.Text;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;
using Berth.Images.Registry;
using Berth.Images.Registry.Auth;
using Berth.Images.Registry.Transport;

namespace Berth.Images.Tests;

public sealed class RegistryAuthTests
{
    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void X_Registry_Auth_is_base64url_json_with_or_without_padding()
    {
        var credentials = RegistryCredentials.FromHeader(Base64Url("""{"username":"alice","password":"s3cr?t>>","serveraddress":"r:5000"}"""));
        Assert.Equal("alice", credentials.Username);
        Assert.Equal("s3cr?t>>", credentials.Password);
        Assert.Equal("r:5000", credentials.ServerAddress);
        Assert.Equal("user alice", credentials.ToString());
        var padded = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"identitytoken":"tok"}""")).Replace('+', '-').Replace('/', '_');
        Assert.Equal("tok", RegistryCredentials.FromHeader(padded).IdentityToken);
    }

    [Fact]
    public void The_legacy_auth_field_fills_username_and_password()
    {
        var credentials = RegistryCredentials.FromHeader(Base64Url($$"""{"auth":"{{Convert.ToBase64String("bob:pw:x"u8)}}"}"""));
        Assert.Equal("bob", credentials.Username);
        Assert.Equal("pw:x", credentials.Password);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("e30")]
    [InlineData("WzFd")]
    public void Missing_or_undecodable_headers_mean_anonymous(string? header) => Assert.True(RegistryCredentials.FromHeader(header).IsAnonymous);

    [Fact]
    public void Challenges_are_parsed_with_quoted_values()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"");
        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example.com/token", challenge.Parameter("realm"));
        Assert.Equal("registry.example.com", challenge.Parameter("service"));
        Assert.Equal("repository:a/b:pull,push", challenge.Parameter("scope"));
        Assert.Equal("x\"y", AuthChallenge.Parse("Basic", "realm=\"x\\\"y\"").Parameter("realm"));
    }

    [Theory]
    [InlineData("GET", "http://r/v2/a/b/manifests/v1", "repository:a/b:pull")]
    [InlineData("HEAD", "http://r/v2/library/busybox/blobs/sha256:00", "repository:library/busybox:pull")]
    [InlineData("POST", "http://r/v2/team/app/blobs/uploads/", "repository:team/app:pull,push")]
    [InlineData("PUT", "http://r/v2/x/manifests/latest", "repository:x:pull,push")]
    [InlineData("GET", "http://r/v2/", null)]
    public void Scopes_follow_the_repository_and_method(string method, string url, string? scope) =>
        Assert.Equal(scope, RegistryScope.For(new HttpRequestMessage(new HttpMethod(method), url)));

    [Fact]
    public void Tokens_without_a_lifetime_last_sixty_seconds()
    {
        var now = DateTimeOffset.UtcNow;
        var token = BearerToken.From(new TokenResponse { AccessToken = "t" }, now)!;
        Assert.Equal("t", token.Value);
        Assert.Equal(now.AddSeconds(60), token.Expires);
        Assert.Null(BearerToken.From(new TokenResponse(), now));
        Assert.Equal(now.AddSeconds(300), BearerToken.From(new TokenResponse { Token = "t", ExpiresIn = 300 }, now)!.Expires);
    }

    [Theory]
    [InlineData("", "docker.io")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("http://127.0.0.1:5000/v2/", "127.0.0.1:5000")]
    [InlineData("myregistry:5000", "myregistry:5000")]
    public void Login_server_addresses_name_a_registry(string serverAddress, string domain) => Assert.Equal(domain, RegistryLogin.DomainOf(serverAddress));

    [Fact]
    public async Task Basic_challenges_are_answered_with_the_clients_credentials()
    {
        await using var server = new LoopbackHttpServer(async context =>
        {
            var expected = "Basic " + Convert.ToBase64String("alice:secret"u8);
            if (context.Request.Headers["Authorization"] != expected)
            {
                context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"test\"");
                await LoopbackHttpServer.WriteAsync(context, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
                return;
            }
            await LoopbackHttpServer.WriteAsync(context, 200, "{}");
        });
        using var transport = new RegistryTransport(new RegistrySettings(), TimeProvider.System, resolve: (_, _) => Task.FromResult<IPAddress[]>([]));
        var endpoint = new RegistryEndpoint(new Uri($"http://{server.Host}/"), SkipTlsVerify: true, IsMirror: false);
        var alice = new RegistryCredentials { Username = "alice", Password = "secret" };

        var ping = await new RegistryClient(transport.ClientFor(endpoint), alice).PingAsync(endpoint.BaseUri, authenticate: true, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, ping.Status);

        var anonymous = new RegistryClient(transport.ClientFor(endpoint));
        var reference = ImageReference.ParseNormalized($"{server.Host}/a/b:v1");
        var e = await Assert.ThrowsAsync<BerthException>(() => anonymous.GetManifestAsync(endpoint.Repository("a/b"), reference, CancellationToken.None));
        Assert.Equal($"Get \"http://{server.Host}/v2/a/b/manifests/v1\": no basic auth credentials", e.Message);

        var wrong = new RegistryClient(transport.ClientFor(endpoint), alice with { Password = "wrong" });
        e = await Assert.ThrowsAsync<BerthException>(() => wrong.GetManifestAsync(endpoint.Repository("a/b"), reference, CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);
        Assert.Equal("unauthorized: authentication required", e.Message);
    }

    [Fact]
    public async Task Bearer_tokens_are_fetched_once_per_scope_and_sent_up_front()
    {
        var tokenRequests = new List<string>();
        var registryRequests = 0;
        LoopbackHttpServer? server = null;
        server = new LoopbackHttpServer(async context =>
        {
            var path = context.Request.Url!.AbsolutePath;
            if (path == "/token")
            {
                lock (tokenRequests) tokenRequests.Add(context.Request.Url.Query + " " + context.Request.Headers["Authorization"]);
                var scope = context.Request.QueryString["scope"];
                await LoopbackHttpServer.WriteAsync(context, 200, $$"""{"token":"token-for-{{scope}}","expires_in":300}""");
                return;
            }
            Interlocked.Increment(ref registryRequests);
            var wanted = $"Bearer token-for-repository:a/b:pull";
            if (context.Request.Headers["Authorization"] != wanted)
            {
                context.Response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{server!.Host}/token\",service=\"test\",scope=\"repository:a/b:pull\"");
                await LoopbackHttpServer.WriteAsync(context, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
                return;
            }
            await LoopbackHttpServer.WriteAsync(context, 200, "config", "application/octet-stream");
        });
        await using (server)
        {
            using var transport = new RegistryTransport(new RegistrySettings(), TimeProvider.System, resolve: (_, _) => Task.FromResult<IPAddress[]>([]));
            var endpoint = new RegistryEndpoint(new Uri($"http://{server.Host}/"), SkipTlsVerify: true, IsMirror: false);
            var client = new RegistryClient(transport.ClientFor(endpoint), new RegistryCredentials { Username = "alice", Password = "secret" });
            var digest = Digest.Sha256("config"u8);
            for (var i = 0; i < 3; i++)
                Assert.Equal("config"u8.ToArray(), await client.GetSmallBlobAsync(endpoint.Repository("a/b"), digest, 1024, CancellationToken.None));

            var fetched = Assert.Single(tokenRequests);
            Assert.Contains("service=test", fetched);
            Assert.Contains("scope=repository%3Aa%2Fb%3Apull", fetched);
            Assert.Contains("Basic " + Convert.ToBase64String("alice:secret"u8), fetched);
            // The first request learnt the challenge; the other two carried the cached token from the start.
            Assert.Equal(4, registryRequests);
        }
    }
}
