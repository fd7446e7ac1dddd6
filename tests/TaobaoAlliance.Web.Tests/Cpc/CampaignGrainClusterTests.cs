using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Microsoft.EntityFrameworkCore;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>
/// Three silos on the test's PostgreSQL (Microsoft.Orleans.TestingHost), each taking a third of a campaign's clicks:
/// the campaign's one grain still decides them one after another, and the budget and the wallet hold to the fen, even
/// when the silo hosting the grain dies.
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
        await using var silos = await ThreeSilosAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i =>
            silos.Nodes[i % 3].GetGrain<ICampaignGrain>(campaign).ChargeAsync(Click(world, seller, zone, priceFen: 5))));

        results.Should().AllSatisfy(r => r.Status.Should().Be(CampaignChargeStatus.Decided));
        results.Count(r => r.Outcome == CpcChargeOutcome.Charged).Should().Be(37);
        results.Count(r => r.Outcome == CpcChargeOutcome.OverBudget).Should().Be(2_000 - 37);
        var charges = await world.ChargesAsync(campaign);
        charges.Should().HaveCount(2_000);
        charges.Where(c => c.Outcome == CpcChargeOutcome.Charged).Sum(c => c.PriceFen).Should().Be(185);
        (walletBefore - await world.WalletAsync(seller.SellerId)).Should().Be(new Money(185));
    }

    [Fact]
    public async Task A_one_yuan_wallet_shared_by_two_campaigns_over_three_silos_pays_exactly_what_it_holds()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1));
        long[] campaigns = [await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 10_000), await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 10_000)];
        var zone = await world.NewSmartZoneAsync();
        await using var silos = await ThreeSilosAsync();

        // 7 fen a click: 14 clicks take 98 fen, and the 2 fen left cannot pay a fifteenth.
        var results = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i =>
            silos.Nodes[i % 3].GetGrain<ICampaignGrain>(campaigns[i % 2]).ChargeAsync(Click(world, seller, zone, priceFen: 7))));

        results.Should().AllSatisfy(r => r.Status.Should().Be(CampaignChargeStatus.Decided));
        results.Count(r => r.Outcome == CpcChargeOutcome.Charged).Should().Be(14);
        results.Count(r => r.Outcome == CpcChargeOutcome.WalletEmpty).Should().Be(2_000 - 14);
        var charged = (await world.ChargesAsync(campaigns[0])).Concat(await world.ChargesAsync(campaigns[1]))
            .Where(c => c.Outcome == CpcChargeOutcome.Charged).ToList();
        charged.Sum(c => c.PriceFen).Should().Be(98);
        (await world.WalletAsync(seller.SellerId)).Should().Be(new Money(2), "never one fen over what the wallet held");
    }

    [Fact]
    public async Task Killing_the_silo_that_hosts_a_campaign_mid_stream_loses_no_acknowledged_charge_and_never_overspends()
    {
        const int budgetClicks = 150;
        const long price = 5;
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1_000));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: budgetClicks * price);
        var zone = await world.NewSmartZoneAsync();
        var walletBefore = await world.WalletAsync(seller.SellerId);
        await using var silos = await ThreeSilosAsync();
        var sent = new List<(PaidClick Click, CampaignChargeResult? Result)>();

        // Each call either answers or fails (its silo gone); none may hang the test.
        async Task WaveAsync(IReadOnlyList<IGrainFactory> through, int count)
        {
            var wave = Enumerable.Range(0, count).Select(i => (Click: Click(world, seller, zone, price), Node: through[i % through.Count])).ToList();
            var answers = await Task.WhenAll(wave.Select(async w =>
            {
                try
                {
                    return await w.Node.GetGrain<ICampaignGrain>(campaign).ChargeAsync(w.Click).WaitAsync(TimeSpan.FromSeconds(60));
                }
#pragma warning disable CA1031 // A call through or to the killed silo fails: not acknowledged, which is what is counted.
                catch (Exception)
#pragma warning restore CA1031
                {
                    return null;
                }
            }));
            sent.AddRange(wave.Select((w, i) => (w.Click, answers[i])));
        }

        var host = await silos.PlaceOffThePrimaryAsync(campaign, node => WaveAsync([node], 1));
        var victim = silos.Cluster.GetSiloForAddress(host)!;
        var survivors = silos.Cluster.Silos.Where(s => s != victim).Select(Services).Select(p => p.GetRequiredService<IGrainFactory>()).ToList();

        await WaveAsync(silos.Nodes, 60);
        // The next wave is in flight, through every node, when the campaign's silo dies.
        await Task.WhenAll(WaveAsync(silos.Nodes, 60), silos.Cluster.KillSiloAsync(victim));
        var beforeRecovery = sent.Count;
        for (var wave = 0; wave < 40 && !sent.Any(s => s.Result?.Outcome == CpcChargeOutcome.OverBudget); wave++)
        {
            await WaveAsync(survivors, 30);
        }

        var charges = (await world.ChargesAsync(campaign)).ToDictionary(c => c.ClickId);
        var acknowledged = sent.Where(s => s.Result?.Status == CampaignChargeStatus.Decided).ToList();
        acknowledged.Should().AllSatisfy(a => charges.Should().ContainKey(a.Click.ClickId).WhoseValue.Outcome.Should().Be(a.Result!.Outcome));
        await using (var db = app.NewDb())
        {
            var acknowledgedIds = acknowledged.Select(a => a.Click.ClickId).ToList();
            (await db.Clicks.CountAsync(c => acknowledgedIds.Contains(c.Id))).Should().Be(acknowledged.Count, "every acknowledged click has its row");
            // Each charged batch's ledger entry is named by its first charged impression; together they take from the
            // wallet exactly what the charge rows say was charged.
            var paidKeys = charges.Values.Where(c => c.Outcome == CpcChargeOutcome.Charged).Select(c => $"cpc:{c.ImpressionId:N}").ToList();
            var entries = await db.JournalEntries.Where(e => paidKeys.Contains(e.IdempotencyKey)).Select(e => e.Id).ToListAsync();
            var walletId = await db.LedgerAccounts.Where(a => a.Kind == AccountKind.SellerWallet && a.SellerId == seller.SellerId).Select(a => a.Id).SingleAsync();
            (await db.JournalLines.Where(l => entries.Contains(l.EntryId) && l.AccountId == walletId).SumAsync(l => l.AmountFen))
                .Should().Be(-charges.Values.Where(c => c.Outcome == CpcChargeOutcome.Charged).Sum(c => c.PriceFen), "every charge is in the ledger, once");
        }
        sent.Skip(beforeRecovery).Should().Contain(s => s.Result != null && s.Result.Outcome == CpcChargeOutcome.Charged,
            "the campaign's grain came back on another silo and charged again");
        var spent = charges.Values.Where(c => c.Outcome == CpcChargeOutcome.Charged).Sum(c => c.PriceFen);
        spent.Should().Be(budgetClicks * price, "the stream ran on until the budget was spent, and not one fen over");
        (walletBefore - await world.WalletAsync(seller.SellerId)).Should().Be(new Money(spent));
        var newHost = await silos.HostOfAsync(campaign);
        newHost.Should().NotBe(host);
    }

    private static PaidClick Click(CpcWorld world, TestSeller seller, TestWebmaster zone, long priceFen) => new(
        Guid.CreateVersion7(), world.Now, zone.Id, zone.SiteId, zone.ZoneId, seller.ItemIds[0], seller.ShopId, Guid.NewGuid(),
        Guid.NewGuid().ToByteArray(), "UA", null, 500, 300, Guid.CreateVersion7(), priceFen);

    private static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    private async Task<Silos> ThreeSilosAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.Properties[ConnectionStringKey] = app.Database.ConnectionString;
        builder.AddSiloBuilderConfigurator<ChargingSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new Silos(cluster);
    }

    /// <summary>Three silos of one cluster; <see cref="Nodes"/> are their grain factories, as each web node calls grains.</summary>
    private sealed class Silos(TestCluster cluster) : IAsyncDisposable
    {
        public TestCluster Cluster => cluster;

        public IReadOnlyList<IGrainFactory> Nodes { get; } = [.. cluster.Silos.Select(Services).Select(p => p.GetRequiredService<IGrainFactory>())];

        public async Task<SiloAddress?> HostOfAsync(long campaignId)
        {
            var grains = Services(cluster.Primary!).GetRequiredService<IGrainFactory>();
            return await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<ICampaignGrain>(campaignId));
        }

        /// <summary>
        /// Activates the campaign's grain (by <paramref name="activate"/>, called through a node) on a silo other than the
        /// primary, which holds the test cluster's membership table and must live on. Returns where it is. The call goes
        /// through the other silos in turn: Orleans' default placement prefers the calling silo while the cluster is idle.
        /// </summary>
        public async Task<SiloAddress> PlaceOffThePrimaryAsync(long campaignId, Func<IGrainFactory, Task> activate)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                await activate(Nodes[1 + attempt % (Nodes.Count - 1)]);
                var host = await HostOfAsync(campaignId);
                if (host is not null && host != cluster.Primary!.SiloAddress) return host;
                await Nodes[0].GetGrain<ICampaignGrain>(campaignId).DeactivateAsync();
                for (var i = 0; i < 200 && await HostOfAsync(campaignId) is not null; i++) await Task.Delay(25);
            }
            throw new InvalidOperationException("The campaign's grain was placed on the primary silo twenty times");
        }

        public async ValueTask DisposeAsync()
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
            siloBuilder.Services.AddNotifications();
            siloBuilder.Services.AddScoped<HookOutbox>(); // the writer's wallet-low and campaign-stopped webhooks (sent by the web nodes)
            siloBuilder.Services.AddOptions<HookOptions>();
            siloBuilder.Services.AddSingleton<AdCampaigns>(); // the writer tells it when money moved; nothing here serves ads
            siloBuilder.Services.AddOptions<AllianceOptions>();
            siloBuilder.Services.AddOptions<CpcOptions>();
            // As OrleansHosting tunes a small cluster: a killed silo is declared dead in seconds, and calls to it give up.
            siloBuilder.Configure<ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(2);
                membership.NumMissedProbesLimit = 2;
                membership.NumVotesForDeathDeclaration = 1;
            });
            siloBuilder.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(10));
        }
    }
}
