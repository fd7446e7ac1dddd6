using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Clicks;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Web.Tests.Clicks;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Cpc;

public sealed record TestSeller(long SellerId, long ShopId, long[] ItemIds);

/// <summary>
/// Arranges smart-zone auctions on the real app: each world has a category of its own, so only the
/// campaigns a test creates (not the demo ones) compete for its zones.
/// </summary>
public sealed partial class CpcWorld(AllianceApp app)
{
    public int CategoryId { get; private set; }

    public DateTimeOffset Now => app.Clock.GetUtcNow();

    public static async Task<CpcWorld> CreateAsync(AllianceApp app)
    {
        var world = new CpcWorld(app);
        await using var db = app.NewDb();
        var id = Random.Shared.Next(10_000, int.MaxValue);
        db.Categories.Add(new Category { Id = id, Slug = $"test-{id}", NameZh = "测试", NameEn = "Test" });
        await db.SaveChangesAsync();
        world.CategoryId = id;
        return world;
    }

    /// <summary>A seller with one shop of two listed items in this world's category and a wallet holding <paramref name="wallet"/>.</summary>
    public async Task<TestSeller> NewSellerAsync(Money wallet)
    {
        await using var db = app.NewDb();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var user = new AllianceUser { UserName = $"s-{tag}@test.local", Email = $"s-{tag}@test.local", DisplayName = tag, CreatedAt = Now };
        var seller = new Seller { User = user, CreatedAt = Now };
        var shop = new Shop { Seller = seller, Slug = "shop-" + tag, NameZh = "店" + tag, NameEn = "Shop " + tag, GeneralRateBp = 300, CreatedAt = Now };
        for (var i = 0; i < 2; i++)
        {
            shop.Items.Add(new Item
            {
                CategoryId = CategoryId, TitleZh = $"商品{i} {tag}", TitleEn = $"Item {i} {tag}", PriceFen = 10_000, CommissionRateBp = 500,
                ImageUrl = "/img/items/food-snacks.svg", CreatedAt = Now, UpdatedAt = Now,
            });
        }
        db.Shops.Add(shop);
        await db.SaveChangesAsync();
        if (wallet > Money.Zero) await DepositAsync(seller.Id, wallet);
        return new TestSeller(seller.Id, shop.Id, [.. shop.Items.Select(i => i.Id)]);
    }

    public async Task DepositAsync(long sellerId, Money amount)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaobaoAlliance.Data.AllianceDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<LedgerWriter>().PostAsync(Postings.Deposit(sellerId, amount, "test-deposit:" + Guid.NewGuid()));
        await transaction.CommitAsync();
    }

    public async Task<long> NewCampaignAsync(TestSeller seller, long bidFen, long dailyBudgetFen, long impressions = 0, long clicks = 0,
        CampaignState state = CampaignState.Active)
    {
        await using var db = app.NewDb();
        var campaign = new Campaign
        {
            ShopId = seller.ShopId, Name = "Campaign " + Guid.NewGuid().ToString("N")[..6], BidFen = bidFen, DailyBudgetFen = dailyBudgetFen,
            State = state, StartsAt = Now.AddDays(-1), Impressions = impressions, Clicks = clicks, CreatedAt = Now.AddDays(-1),
        };
        campaign.Items.AddRange(seller.ItemIds.Select(id => new CampaignItem { ItemId = id }));
        campaign.Categories.Add(new CampaignCategory { CategoryId = CategoryId });
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        return campaign.Id;
    }

    /// <summary>A new webmaster whose approved site is in this world's category, with one smart zone.</summary>
    public async Task<TestWebmaster> NewSmartZoneAsync(SiteState state = SiteState.Approved, bool smart = true)
    {
        var webmaster = await new MoneyWorld(app).NewWebmasterAsync();
        await using var db = app.NewDb();
        await db.Sites.Where(s => s.Id == webmaster.SiteId).ExecuteUpdateAsync(s => s.SetProperty(x => x.CategoryId, CategoryId).SetProperty(x => x.State, state));
        await db.AdZones.Where(z => z.Id == webmaster.ZoneId).ExecuteUpdateAsync(s => s.SetProperty(z => z.IsSmart, smart));
        return webmaster;
    }

    /// <summary>Asks the zone for an ad; the click token of the ad, or null when the zone shows none.</summary>
    public async Task<string?> ServeAsync(long zoneId)
    {
        using var client = app.Shopper();
        var response = await client.GetAsync($"/z/{zoneId}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var match = ClickHref().Match(await response.Content.ReadAsStringAsync());
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Follows an ad's click URL as a shopper: a new visitor from a new address unless <paramref name="visitor"/>
    /// or <paramref name="ip"/> is given.
    /// </summary>
    public async Task<HttpResponseMessage> ClickAsync(string token, Guid? visitor = null, string? ip = null, string? userAgent = null, string query = "")
    {
        using var client = app.Shopper();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/z/click/{token}{query}");
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (visitor is { } v) request.Headers.Add("Cookie", $"{VisitorCookie.Name}={v:N}");
        request.Headers.Add(TestClientAddress.Header, ip ?? TestClientAddress.Fresh());
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Click tokens of <paramref name="count"/> distinct impressions at exactly <paramref name="priceFen"/>, signed with the
    /// app's key as the ad server signs them (an auction's price drifts with the campaign's impressions; budget tests want a fixed one).
    /// </summary>
    public List<string> Tickets(long campaignId, long zoneId, long itemId, long priceFen, int count)
    {
        var signer = app.Services.GetRequiredService<ClickTokens>();
        return [.. Enumerable.Range(0, count).Select(_ => signer.Issue(
            new ClickTicket(campaignId, zoneId, itemId, Guid.CreateVersion7(), new Money(priceFen), Now.AddMinutes(30))))];
    }

    /// <summary>How many click rows carry the campaign.</summary>
    public async Task<int> ClickRowsAsync(long campaignId)
    {
        await using var db = app.NewDb();
        return await db.Clicks.CountAsync(c => c.CampaignId == campaignId);
    }

    /// <summary>Writes the impressions the app has counted in memory, as its flusher does every second: then campaigns.impressions is exact.</summary>
    public Task FlushImpressionsAsync() => app.Services.GetRequiredService<ImpressionFlusher>().FlushAsync();

    public async Task<List<CpcCharge>> ChargesAsync(long campaignId)
    {
        await using var db = app.NewDb();
        return await db.CpcCharges.Where(c => c.CampaignId == campaignId).ToListAsync();
    }

    public async Task<Money> WalletAsync(long sellerId) => await new MoneyWorld(app).BalanceAsync(AccountRef.Wallet(sellerId));

    [GeneratedRegex("href=\"/z/click/([A-Za-z0-9_-]+)\"")]
    private static partial Regex ClickHref();
}
