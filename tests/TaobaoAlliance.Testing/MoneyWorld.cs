using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Testing;

/// <summary>A webmaster of a test's own, with an approved site and one zone.</summary>
public sealed record TestWebmaster(long Id, long UserId, long SiteId, long ZoneId);

/// <summary>
/// Arranges the money tests on the real app and database: fresh webmasters, clicks at chosen times,
/// order events through the real processor, and balances read from the real ledger.
/// </summary>
public sealed class MoneyWorld(AllianceApp app)
{
    public DateTimeOffset Now => app.Clock.GetUtcNow();

    /// <param name="payoutMethod">Give the webmaster an Alipay payout method (encrypted as the page does), so payouts can be requested.</param>
    public async Task<TestWebmaster> NewWebmasterAsync(bool payoutMethod = true)
    {
        await using var db = app.NewDb();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var user = new AllianceUser { UserName = $"wm-{tag}@test.local", Email = $"wm-{tag}@test.local", DisplayName = tag, CreatedAt = Now };
        db.Users.Add(user);
        var webmaster = new Webmaster { User = user, CreatedAt = Now };
        db.Webmasters.Add(webmaster);
        var site = new Site
        {
            Webmaster = webmaster, Name = "Site " + tag, Url = $"https://{tag}.example.com", CategoryId = 3,
            State = SiteState.Approved, VerificationToken = tag, CreatedAt = Now,
        };
        site.Zones.Add(new AdZone { Name = "Zone", CreatedAt = Now });
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        if (payoutMethod)
        {
            var protector = TaobaoAlliance.Web.Payouts.PayoutAccounts.Protector(app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
            var account = $"{tag}@alipay.test";
            db.PayoutMethods.Add(new TaobaoAlliance.Data.Payouts.PayoutMethod
            {
                WebmasterId = webmaster.Id, Kind = TaobaoAlliance.Data.Payouts.PayoutMethodKind.Alipay, HolderName = "Test " + tag,
                ProtectedAccount = TaobaoAlliance.Web.Payouts.PayoutAccounts.Protect(protector, account),
                MaskedAccount = TaobaoAlliance.Web.Payouts.PayoutAccounts.Mask(TaobaoAlliance.Data.Payouts.PayoutMethodKind.Alipay, account), UpdatedAt = Now,
            });
            await db.SaveChangesAsync();
        }
        return new(webmaster.Id, user.Id, site.Id, site.Zones[0].Id);
    }

    /// <summary>A new buyer account (so self-purchase can be told apart from a stranger's purchase).</summary>
    public async Task<long> NewBuyerAsync()
    {
        await using var db = app.NewDb();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var user = new AllianceUser { UserName = $"b-{tag}@test.local", Email = $"b-{tag}@test.local", DisplayName = tag, CreatedAt = Now };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>Records a click as the click path would, with the item's and shop's rates at that moment unless given.</summary>
    public async Task<Guid> ClickAsync(TestWebmaster webmaster, Guid visitor, long itemId, DateTimeOffset at,
        bool valid = true, int? itemRateBp = null)
    {
        await using var db = app.NewDb();
        var item = await db.Items.Where(i => i.Id == itemId)
            .Select(i => new { i.ShopId, i.CommissionRateBp, i.Shop.GeneralRateBp }).SingleAsync();
        var click = new Click
        {
            Id = Guid.CreateVersion7(at),
            OccurredAt = at,
            WebmasterId = webmaster.Id,
            SiteId = webmaster.SiteId,
            ZoneId = webmaster.ZoneId,
            ItemId = itemId,
            ShopId = item.ShopId,
            VisitorId = visitor,
            IpHash = new byte[32],
            UserAgent = "Mozilla/5.0 (test)",
            IsValid = valid,
            InvalidReason = valid ? null : "bot_user_agent",
            ItemRateBp = itemRateBp ?? item.CommissionRateBp ?? item.GeneralRateBp,
            ShopRateBp = item.GeneralRateBp,
        };
        db.Clicks.Add(click);
        await db.SaveChangesAsync();
        return click.Id;
    }

    public static OrderEventLine Line(long itemId, int quantity, long paidFen) => new(itemId, quantity, paidFen);

    public static OrderEventCommand Paid(long shopId, string orderId, DateTimeOffset at, Guid? visitor, params OrderEventLine[] lines) =>
        new(shopId, orderId, OrderEventCommand.Paid, at, "buyer-ref", lines, OrderSource.OrdersApi, VisitorId: visitor);

    public static OrderEventCommand Confirmed(long shopId, string orderId, DateTimeOffset at) =>
        new(shopId, orderId, OrderEventCommand.Confirmed, at, "buyer-ref", [], OrderSource.OrdersApi);

    public static OrderEventCommand Refunded(long shopId, string orderId, DateTimeOffset at, params OrderEventLine[] lines) =>
        new(shopId, orderId, OrderEventCommand.Refunded, at, "buyer-ref", lines, OrderSource.OrdersApi);

    public async Task<OrderEventResult> ProcessAsync(OrderEventCommand command)
    {
        var outcome = await TryProcessAsync(command);
        outcome.Refusal.Should().BeNull(outcome.Detail);
        return outcome.Result!;
    }

    public async Task<OrderEventOutcome> TryProcessAsync(OrderEventCommand command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderEventProcessor>().ProcessAsync(command);
    }

    public async Task<LifecycleRun> RunOrderLifeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderLifecycle>().RunOnceAsync();
    }

    public async Task<T> WithPayoutsAsync<T>(Func<PayoutService, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<PayoutService>());
    }

    public async Task<Money> BalanceAsync(AccountRef account)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerWriter>().BalanceAsync(account);
    }

    public async Task<long> SellerOfShopAsync(long shopId)
    {
        await using var db = app.NewDb();
        return await db.Shops.Where(s => s.Id == shopId).Select(s => s.SellerId).SingleAsync();
    }

    /// <summary>The whole ledger's sum: always zero when every entry balances.</summary>
    public async Task<long> LedgerSumAsync()
    {
        await using var db = app.NewDb();
        return await db.JournalLines.SumAsync(l => l.AmountFen);
    }

    /// <summary>Two items of one shop and one item of another, with their prices and rates.</summary>
    public async Task<(ItemInfo Clicked, ItemInfo SameShop, ItemInfo OtherShop)> ItemsAsync(long shopId = 1, long otherShopId = 2)
    {
        await using var db = app.NewDb();
        var same = await db.Items.Where(i => i.ShopId == shopId).OrderBy(i => i.Id).Take(2)
            .Select(i => new ItemInfo(i.Id, i.ShopId, i.PriceFen, i.CommissionRateBp ?? i.Shop.GeneralRateBp, i.Shop.GeneralRateBp)).ToListAsync();
        var other = await db.Items.Where(i => i.ShopId == otherShopId).OrderBy(i => i.Id)
            .Select(i => new ItemInfo(i.Id, i.ShopId, i.PriceFen, i.CommissionRateBp ?? i.Shop.GeneralRateBp, i.Shop.GeneralRateBp)).FirstAsync();
        return (same[0], same[1], other);
    }

    public static string NewOrderId() => "T" + Guid.NewGuid().ToString("N")[..12];
}

public sealed record ItemInfo(long Id, long ShopId, long PriceFen, int RateBp, int ShopRateBp);
