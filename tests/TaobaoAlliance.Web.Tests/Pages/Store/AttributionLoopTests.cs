using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Web.Tests.Pages.Account;

namespace TaobaoAlliance.Web.Tests.Pages.Store;

/// <summary>
/// The shopper's whole loop on the built-in storefront: an ad click, then a purchase in the same
/// browser, attributed to that click through the visitor cookie and earning commission.
/// </summary>
public sealed class AttributionLoopTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string DemoLinkCode = "gF7kQ2xA"; // webmaster1's link to item 14 of shop 1

    [Fact]
    public async Task A_purchase_after_a_click_through_an_ad_link_is_attributed_to_it_and_earns_commission()
    {
        // An anonymous shopper follows the ad, lands on the item, then signs up to buy it.
        using var buyer = new BrowserSession(app);

        using var click = await buyer.GetAsync("/c/" + DemoLinkCode);

        click.StatusCode.Should().Be(HttpStatusCode.Redirect, "the click path answers a redirect to the item");
        click.Headers.Location!.PathAndQuery().Should().StartWith("/item/14");
        (await buyer.PageAsync(click.Headers.Location!.PathAndQuery())).Should().Contain("Add to cart");
        var visitorId = Guid.Parse(buyer.Cookie("alliance_vid") ?? throw new InvalidOperationException("no visitor cookie"));
        var clickRow = await ClickOfAsync(visitorId);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await buyer.SignUpAsync($"shopper-{Guid.NewGuid():N}@example.test", "Shopper!pass1");

        await BuyItem14Async(buyer, visitorId, clickRow);
    }

    [Fact]
    public async Task A_purchase_after_a_recorded_click_of_the_same_visitor_is_attributed_to_it()
    {
        // The click row written as the click path writes it, so this holds whatever the click endpoint does.
        using var buyer = await BrowserSession.NewBuyerAsync(app);
        var visitorId = Guid.NewGuid();
        buyer.SetCookie("alliance_vid", visitorId.ToString("N"));
        await using (var db = app.NewDb())
        {
            var link = await db.Links.AsNoTracking().Include(l => l.Item).ThenInclude(i => i.Shop).SingleAsync(l => l.Code == DemoLinkCode);
            var at = app.Clock.GetUtcNow().AddHours(-1);
            db.Clicks.Add(new Click
            {
                Id = Guid.CreateVersion7(at), OccurredAt = at, LinkId = link.Id, WebmasterId = link.WebmasterId, SiteId = link.SiteId,
                ZoneId = link.ZoneId, ItemId = link.ItemId, ShopId = link.Item.ShopId, VisitorId = visitorId,
                IpHash = SHA256.HashData("127.0.0.1"u8), UserAgent = BrowserSession.UserAgent, IsValid = true,
                ItemRateBp = link.Item.CommissionRateBp ?? link.Item.Shop.GeneralRateBp, ShopRateBp = link.Item.Shop.GeneralRateBp,
            });
            await db.SaveChangesAsync();
        }

        await BuyItem14Async(buyer, visitorId, await ClickOfAsync(visitorId));
    }

    private async Task BuyItem14Async(BrowserSession buyer, Guid visitorId, Click click)
    {
        await buyer.AddToCartAsync(14, 2);
        using var checkout = await buyer.SubmitAsync("/cart", "/cart?handler=Checkout");
        checkout.StatusCode.Should().Be(HttpStatusCode.Redirect);

        await using var db = app.NewDb();
        var userId = await db.Users.Where(u => u.Email == buyer.Email).Select(u => u.Id).SingleAsync();
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.BuyerUserId == userId);
        order.VisitorId.Should().Be(visitorId);
        order.AttributedClickId.Should().Be(click.Id);
        var line = order.Lines.Single();
        var commission = await db.Commissions.AsNoTracking().SingleAsync(c => c.OrderLineId == line.Id);
        commission.ClickId.Should().Be(click.Id);
        commission.WebmasterId.Should().Be(click.WebmasterId);
        commission.State.Should().Be(CommissionState.Pending);
        commission.RateBp.Should().Be(click.ItemRateBp, "the clicked item earns its own rate");
        commission.CommissionFen.Should().Be((long)Math.Round(line.PaidFen * (decimal)click.ItemRateBp / 10_000m, MidpointRounding.AwayFromZero));
    }

    /// <summary>The visitor's click, once written (the click path may write it a moment after answering).</summary>
    private async Task<Click> ClickOfAsync(Guid visitorId)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = app.NewDb();
            if (await db.Clicks.AsNoTracking().SingleOrDefaultAsync(c => c.VisitorId == visitorId) is { } click) return click;
            if (attempt == 50) throw new InvalidOperationException($"No click of visitor {visitorId} was recorded");
            await Task.Delay(100);
        }
    }
}
