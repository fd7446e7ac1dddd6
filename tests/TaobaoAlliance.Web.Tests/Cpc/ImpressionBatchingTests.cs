using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>Ad views are counted in memory and written in batches; none is lost by a flush or a clean stop.</summary>
public sealed class ImpressionBatchingTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task N_ad_views_then_a_flush_add_exactly_N_impressions()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000, impressions: 7);
        var zone = await world.NewSmartZoneAsync();

        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => world.ServeAsync(zone.ZoneId)));
        await world.FlushImpressionsAsync();

        (await ImpressionsAsync(app, campaign)).Should().Be(7 + 25);
    }

    [Fact]
    public async Task A_flush_that_fails_keeps_its_counts_for_the_next_flush()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
        var counter = new ImpressionCounter();
        for (var i = 0; i < 3; i++) counter.Count(campaign);
        var nowhere = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { Database = "no_such_database_" + Guid.NewGuid().ToString("N")[..8] };
        await using var unreachable = new ServiceCollection()
            .AddDbContext<AllianceDbContext>(o => o.UseAlliance(nowhere.ConnectionString))
            .BuildServiceProvider();

        var failing = new ImpressionFlusher(counter, app.Services.GetRequiredService<AdCampaigns>(), unreachable.GetRequiredService<IServiceScopeFactory>(), Options.Create(new CpcOptions()), NullLogger<ImpressionFlusher>.Instance);
        var failed = async () => await failing.FlushAsync();
        await failed.Should().ThrowAsync<PostgresException>();
        counter.Pending(campaign).Should().Be(3);
        using var working = new ImpressionFlusher(counter, app.Services.GetRequiredService<AdCampaigns>(), app.Services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new CpcOptions()), NullLogger<ImpressionFlusher>.Instance);
        await working.FlushAsync();
        failing.Dispose();

        (await ImpressionsAsync(app, campaign)).Should().Be(3);
        counter.Pending(campaign).Should().Be(0);
    }

    [Fact]
    public async Task A_clean_stop_writes_the_impressions_not_yet_flushed()
    {
        var own = new SlowFlushApp();
        await ((IAsyncLifetime)own).InitializeAsync();
        try
        {
            var world = await CpcWorld.CreateAsync(own);
            var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
            var zone = await world.NewSmartZoneAsync();
            for (var i = 0; i < 5; i++) (await world.ServeAsync(zone.ZoneId)).Should().NotBeNull();

            (await ImpressionsAsync(own, campaign)).Should().Be(0, "views are counted in memory, not written one by one");
            await own.DisposeAsync(); // stops the host, keeps the database

            (await ImpressionsAsync(own, campaign)).Should().Be(5);
        }
        finally
        {
            await ((IAsyncLifetime)own).DisposeAsync();
        }
    }

    /// <summary>Flushes only once a minute: within a test, only the flush at shutdown writes.</summary>
    private sealed class SlowFlushApp : AllianceApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Cpc:ImpressionFlushMilliseconds", "60000");
        }
    }

    private static async Task<long> ImpressionsAsync(AllianceApp app, long campaignId)
    {
        await using var db = app.NewDb();
        return await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Impressions).SingleAsync();
    }
}
