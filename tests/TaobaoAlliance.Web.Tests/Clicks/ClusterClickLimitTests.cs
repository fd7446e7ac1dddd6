using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;
using TaobaoAlliance.Application;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Hosting;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>
/// The per-IP click limit of a cluster: three silos on the test's PostgreSQL, each hosting the application's click path
/// as a web node does, with the cluster's count (what <c>Orleans:Clustering=Redis</c> registers).
/// </summary>
public sealed class ClusterClickLimitTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string SpoolRootKey = "Test:SpoolRoot";

    [Fact]
    public async Task A_shopper_spread_over_three_nodes_gets_the_limit_of_valid_clicks_not_three_times_it()
    {
        var link = await app.NewLinkAsync();
        var limit = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AllianceOptions>>().Value.MaxClicksPerMinutePerIpPerSite;
        var spoolRoot = Path.Combine(Path.GetTempPath(), "alliance-silo-spools-" + Guid.NewGuid().ToString("N"));
        var builder = new TestClusterBuilder(3);
        builder.Properties["ConnectionStrings:Alliance"] = app.Database.ConnectionString;
        builder.Properties[SpoolRootKey] = spoolRoot;
        builder.AddSiloBuilderConfigurator<ClickPathSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var nodes = cluster.Silos.Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services).ToList();
            var shopper = new ClickRequest(IPAddress.Parse("203.0.113.77"), ClickTesting.Chrome, null, IsHead: false, VisitorId: null);

            // Three times the limit at once, a third through each node.
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 3 * limit).Select(async i =>
            {
                await using var scope = nodes[i % 3].CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<ClickRecorder>().FollowShortLinkAsync(shopper, link.Code, CancellationToken.None);
            }));

            outcomes.Should().AllSatisfy(o => o!.ClickId.Should().NotBeNull());
            var clicks = await app.ClicksOnSiteAsync(link.SiteId);
            clicks.Should().HaveCount(3 * limit);
            clicks.Count(c => c.IsValid).Should().Be(limit);
            clicks.Where(c => !c.IsValid).Should().AllSatisfy(c => c.InvalidReason.Should().Be("ip_rate_limit"));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            if (Directory.Exists(spoolRoot)) Directory.Delete(spoolRoot, recursive: true);
        }
    }

    [Fact]
    public async Task When_the_cluster_s_count_does_not_answer_the_node_s_own_count_still_limits_and_every_click_is_answered()
    {
        var builder = new TestClusterBuilder(1);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var grains = ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services.GetRequiredService<IGrainFactory>();
        await cluster.StopAllSilosAsync(); // nothing left to answer a grain call
        await cluster.DisposeAsync();
        var counts = new ClusterRecentClicks(grains, new RecentClicks(),
            Microsoft.Extensions.Options.Options.Create(new ClickOptions { ClusterCountTimeoutMilliseconds = 100 }), NullLogger<ClusterRecentClicks>.Instance);
        var ipHash = Guid.NewGuid().ToByteArray();
        var at = DateTimeOffset.UtcNow;

        var answers = new List<int>();
        for (var i = 0; i < 12; i++) answers.Add(await counts.CountThenRecordAsync(siteId: 1, ipHash, at.AddSeconds(i), cap: 11));

        answers.Should().Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "this node counted every click itself");
    }

    [Fact]
    public void One_node_counts_in_its_memory_and_a_Redis_cluster_node_asks_the_cluster()
    {
        RecentClicksFor(clustering: null).Should().Be<RecentClicks>("one node needs no grain call per click");
        RecentClicksFor(clustering: "Redis").Should().Be<ClusterRecentClicks>();
    }

    /// <summary>What the app's own registration (Orleans hosting, then the application) resolves the click path's counter to.</summary>
    private static Type RecentClicksFor(string? clustering)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Clustering"] = clustering,
            ["ConnectionStrings:Redis"] = "127.0.0.1:1",
            ["ConnectionStrings:Alliance"] = "Host=127.0.0.1;Port=1",
        });
        builder.AddAllianceOrleans();
        builder.Services.AddAllianceApplication(builder.Configuration);
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IRecentClicks>().GetType();
    }

    /// <summary>
    /// A node without HTTP: the click path as the application registers it (recorder, targets, group-commit writer, spool)
    /// with the cluster's click count.
    /// </summary>
    private sealed class ClickPathSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            var connectionString = configuration["ConnectionStrings:Alliance"]!;
            var spool = Path.Combine(configuration[SpoolRootKey]!, Guid.NewGuid().ToString("N")); // one spool per node
            var services = siloBuilder.Services;
            services.AddDbContext<AllianceDbContext>(o => o.UseAlliance(connectionString));
            services.AddSingleton(TimeProvider.System);
            services.AddMetrics();
            services.AddOptions<AllianceOptions>();
            services.AddOptions<ClickOptions>().Configure(o =>
            {
                o.IpHashSalt = "test-click-ip-hash-salt-0123456789"; // as AllianceApp: one address is one IP hash on every node
                o.SpoolDirectory = spool;
                // This test is about the count: the first calls of cold silos on a busy machine can miss the default
                // deadline, and would then (rightly) be counted per node.
                o.ClusterCountTimeoutMilliseconds = 10_000;
            });
            services.AddKeyedSingleton(ClickWriter.DataSourceKey, (_, _) => NpgsqlDataSource.Create(connectionString));
            services.AddSingleton<ClickMetrics>();
            services.AddSingleton<ClickSpool>();
            services.AddHostedService(provider => provider.GetRequiredService<ClickSpool>());
            services.AddSingleton<ClickWriter>();
            services.AddHostedService(provider => provider.GetRequiredService<ClickWriter>());
            services.AddSingleton<ClickTargets>();
            services.AddScoped<ClickRecorder>();
            services.AddClusterWideClickLimit();
        }
    }
}
