using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Testing;

/// <summary>
/// The real app over real HTTP (in-process server) on the test class's own PostgreSQL database,
/// with the demo data loaded and a clock the test can move.
/// </summary>
public class AllianceApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The key the test app signs smart-zone click tokens with (tests forge tokens with other keys).</summary>
    public const string TestTokenKey = "dGVzdC1vbmx5LWNwYy1jbGljay10b2tlbi1rZXktMDEyMzQ1Njc4OQ==";

    private TestDatabase? database;

    /// <summary>The app's clock. Tests move it; it starts at a fixed time unless <see cref="RealServer"/> (a browser keeps real-time cookies).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Serve on a real Kestrel port (for a browser) instead of the in-memory test server.</summary>
    public bool RealServer { get; }

    /// <summary>The address the real server listens on (RealServer only).</summary>
    public Uri BaseUrl { get; private set; } = new("http://localhost/");

    public AllianceApp() : this(realServer: false)
    {
    }

    protected AllianceApp(bool realServer)
    {
        RealServer = realServer;
        Clock = new FakeTimeProvider(realServer ? DateTimeOffset.UtcNow : new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
    }

    public TestDatabase Database => database ?? throw new InvalidOperationException("Not started");

    /// <summary>
    /// Run as another node on this (started) app's database instead of a database of its own, which this one
    /// neither creates nor drops (set <see cref="Seed"/> false: the first node loaded the demo data).
    /// </summary>
    public AllianceApp? SameDatabaseAs { get; init; }

    private readonly string node = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Where this app spools clicks while its database is away (one directory per node).</summary>
    public string SpoolDirectory => Path.Combine(Path.GetTempPath(), "alliance-spool-" + Database.Name + (SameDatabaseAs is null ? "" : "-" + node));

    /// <summary>Settings applied after the test defaults (a test host's own configuration).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Loads seeds/ at start-up, as ./build.sh run does.</summary>
    public bool Seed { get; init; } = true;

    public virtual async Task InitializeAsync()
    {
        database = SameDatabaseAs?.Database ?? await TestDatabase.CreateAsync();
        // Start now, so seeding happens before the first test.
        if (RealServer)
        {
            UseKestrel(0);
            StartServer();
            var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            BaseUrl = new Uri(addresses.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        }
        else
        {
            _ = Server;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Alliance", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStart", "false");
        builder.UseSetting("Database:SeedOnStart", Seed ? "true" : "false");
        builder.UseSetting("Clicks:IpHashSalt", "test-click-ip-hash-salt-0123456789");
        builder.UseSetting("Clicks:SpoolDirectory", SpoolDirectory); // one spool per app: each replays into its own database
        builder.UseSetting("Cpc:TokenKey", TestTokenKey);
        // Each host's silo is a cluster of its own: test hosts of one run must not share (or fight over) ports.
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("OrderLifecycle:Enabled", "false");
        builder.UseSetting("Mail:BackgroundEnabled", "false"); // tests run NotificationMailer and SmtpDelivery themselves
        builder.UseSetting("SiteFetch:AllowPrivateAddresses", "true"); // tests verify against a local test site
        builder.UseSetting("PublicSite:Origin", "http://localhost");
        // Every request of the in-process server comes from one (unknown) address: the limits must not get in the
        // way of ordinary tests. The rate-limit tests lower them in a host of their own.
        builder.UseSetting("RateLimits:AccountPostsPerMinutePerIp", "1000000");
        builder.UseSetting("RateLimits:ApiCallsPerMinutePerKey", "1000000");
        builder.UseSetting("RateLimits:ApiCallsPerMinutePerIp", "1000000");
        builder.UseSetting("RateLimits:SignInBurstPerAccount", "1000000");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddSingleton<IStartupFilter, TestClientAddress>();
        });
    }

    /// <summary>A TCP port nothing listens on now (the system's choice, so parallel hosts do not pick the same).</summary>
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A DbContext on the test's database, for arranging and asserting.</summary>
    public AllianceDbContext NewDb() =>
        new(new DbContextOptionsBuilder<AllianceDbContext>().UseAlliance(Database.ConnectionString).Options);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (database is not null)
        {
            if (Directory.Exists(SpoolDirectory)) Directory.Delete(SpoolDirectory, recursive: true);
            if (SameDatabaseAs is null) await database.DisposeAsync();
        }
    }
}
