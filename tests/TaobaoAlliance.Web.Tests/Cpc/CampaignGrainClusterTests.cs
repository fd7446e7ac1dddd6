using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>
/// Three silos on the test's PostgreSQL (Microsoft.Orleans.TestingHost), each taking a third of a campaign's clicks:
/// the campaign's one grain still decides them one after another, and the budget holds to the fen.
/// </summary>
public sealed class CampaignGrainClusterTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string ConnectionStringKey = "ConnectionStrings:Alliance";

    [Fact]
    public async Task Two_thousand_clicks_spread_over_three_silos_on_a_budget_of_exactly_37_clicks_charge_exactly_37()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1_000));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 37 * 5);
        var zone = await world.NewSmartZoneAsync();
        var walletBefore = await world.WalletAsync(seller.SellerId);
        var builder = new TestClusterBuilder(3);
        builder.Properties[ConnectionStringKey] = app.Database.ConnectionString;
        builder.AddSiloBuilderConfigurator<ChargingSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var nodes = cluster.Silos.Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services.GetRequiredService<IGrainFactory>()).ToList();
            nodes.Should().HaveCount(3);
            var results = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => nodes[i % 3].GetGrain<ICampaignGrain>(campaign).ChargeAsync(new PaidClick(
                Guid.CreateVersion7(), world.Now, zone.Id, zone.SiteId, zone.ZoneId, seller.ItemIds[0], seller.ShopId, Guid.NewGuid(),
                BitConverter.GetBytes(i), "UA", null, 500, 300, Guid.CreateVersion7(), 5))));

            results.Should().AllSatisfy(r => r.Status.Should().Be(CampaignChargeStatus.Decided));
            results.Count(r => r.Outcome == CpcChargeOutcome.Charged).Should().Be(37);
            results.Count(r => r.Outcome == CpcChargeOutcome.OverBudget).Should().Be(2_000 - 37);
            var charges = await world.ChargesAsync(campaign);
            charges.Should().HaveCount(2_000);
            charges.Where(c => c.Outcome == CpcChargeOutcome.Charged).Sum(c => c.PriceFen).Should().Be(185);
            (walletBefore - await world.WalletAsync(seller.SellerId)).Should().Be(new Money(185));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>What a silo needs to run the campaign grain: the database, the ledger writer, the settings.</summary>
    private sealed class ChargingSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]!;
            siloBuilder.Services.AddDbContext<AllianceDbContext>(o => o.UseAlliance(connectionString));
            siloBuilder.Services.AddSingleton(TimeProvider.System);
            siloBuilder.Services.AddSingleton<LedgerAccountIds>();
            siloBuilder.Services.AddScoped<LedgerWriter>();
            siloBuilder.Services.AddScoped<CampaignChargeWriter>();
            siloBuilder.Services.AddOptions<AllianceOptions>();
        }
    }
}
