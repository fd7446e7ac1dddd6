using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Web.Tests.Infrastructure;

/// <summary>
/// The real app over real HTTP (in-process server) on the test class's own PostgreSQL database,
/// with the demo data loaded and a clock the test can move.
/// </summary>
public sealed class AllianceApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? database;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    public TestDatabase Database => database ?? throw new InvalidOperationException("Not started");

    /// <summary>Loads seeds/ at start-up, as ./build.sh run does.</summary>
    public bool Seed { get; init; } = true;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        _ = Server; // start now, so seeding happens before the first test
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Alliance", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStart", "false");
        builder.UseSetting("Database:SeedOnStart", Seed ? "true" : "false");
        builder.UseSetting("Clicks:IpHashSalt", "test-click-ip-hash-salt-0123456789");
        builder.UseSetting("OrderLifecycle:Enabled", "false");
        builder.UseSetting("SiteFetch:AllowPrivateAddresses", "true"); // tests verify against a local test site
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    /// <summary>A DbContext on the test's database, for arranging and asserting.</summary>
    public AllianceDbContext NewDb() =>
        new(new DbContextOptionsBuilder<AllianceDbContext>().UseAlliance(Database.ConnectionString).Options);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }
}
