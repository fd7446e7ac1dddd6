using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Tests.Pages.Account;

namespace TaobaoAlliance.Web.Tests.Pages.Store;

/// <summary>Checkout: one order per shop, priced from the database, placed once.</summary>
public sealed class CheckoutTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Checkout_of_two_shops_places_one_order_per_shop_sharing_a_checkout_id_priced_from_the_database()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await using var db = app.NewDb();
        var other = await db.Items.Where(i => i.ShopId != 1 && i.IsListed).OrderBy(i => i.Id).Select(i => new { i.Id, i.ShopId }).FirstAsync();
        await browser.AddToCartAsync(14, 2);
        await browser.AddToCartAsync(23, 1);
        await browser.AddToCartAsync(other.Id, 3);
        var prices = await db.Items.Where(i => i.Id == 14 || i.Id == 23 || i.Id == other.Id).ToDictionaryAsync(i => i.Id, i => i.PriceFen);

        // A tampered form: whatever prices or totals it claims, the database's prices are what is charged.
        using var response = await browser.SubmitAsync("/cart", "/cart?handler=Checkout",
            new Dictionary<string, string> { ["paidFen"] = "1", ["price"] = "1" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/orders");
        var userId = await UserIdAsync(browser);
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => o.BuyerUserId == userId).OrderBy(o => o.ShopId).ToListAsync();
        orders.Select(o => o.ShopId).Should().Equal(1, other.ShopId);
        orders.Select(o => o.CheckoutId).Distinct().Should().ContainSingle().Which.Should().NotBeNull();
        orders.Should().OnlyContain(o => o.Source == OrderSource.Storefront && o.State == OrderState.Paid && o.BuyerRef == userId.ToString()
            && o.PaidAt == app.Clock.GetUtcNow());
        orders.Select(o => o.ExternalOrderId).Should().OnlyHaveUniqueItems().And.OnlyContain(id => id.StartsWith("SF", StringComparison.Ordinal));
        orders[0].Lines.OrderBy(l => l.ItemId).Select(l => (l.ItemId, l.Quantity, l.PaidFen))
            .Should().Equal((14L, 2, prices[14] * 2), (23L, 1, prices[23]));
        orders[1].Lines.Select(l => (l.ItemId, l.Quantity, l.PaidFen)).Should().Equal((other.Id, 3, prices[other.Id] * 3));
        (await db.CartLines.CountAsync(c => c.UserId == userId)).Should().Be(0, "the cart is emptied");
        var page = await browser.PageAsync("/orders");
        page.Should().Contain("Your 2 orders have been placed, one per shop.").And.Contain(orders[0].ExternalOrderId).And.Contain(orders[1].ExternalOrderId);
    }

    [Fact]
    public async Task Checkout_with_an_empty_cart_writes_nothing()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await browser.AddToCartAsync(14, 1);
        var cart = await browser.PageAsync("/cart");
        using (var remove = await browser.SubmitAsync("/cart", "/cart?handler=Remove")) remove.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var checkout = BrowserSession.Forms(cart).Single(f => f.Action == "/cart?handler=Checkout");
        await using var db = app.NewDb();
        var ordersBefore = await db.Orders.CountAsync();
        var eventsBefore = await db.OrderEvents.CountAsync();

        // The checkout form of the page as it was before the cart was emptied.
        using var response = await browser.PostRawAsync(checkout.Action, checkout.Fields);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Your cart is empty.");
        (await db.Orders.CountAsync()).Should().Be(ordersBefore);
        (await db.OrderEvents.CountAsync()).Should().Be(eventsBefore);
    }

    [Fact]
    public async Task Posting_the_same_checkout_form_twice_places_the_orders_once()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await browser.AddToCartAsync(14, 1);
        var checkout = BrowserSession.Forms(await browser.PageAsync("/cart")).Single(f => f.Action == "/cart?handler=Checkout");

        using var first = await browser.PostRawAsync(checkout.Action, checkout.Fields);
        await browser.AddToCartAsync(23, 1);
        using var second = await browser.PostRawAsync(checkout.Action, checkout.Fields);

        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        second.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await browser.PageAsync("/orders")).Should().Contain("This order was already placed.");
        var userId = await UserIdAsync(browser);
        await using var db = app.NewDb();
        (await db.Orders.CountAsync(o => o.BuyerUserId == userId)).Should().Be(1);
        (await db.CartLines.Where(c => c.UserId == userId).Select(c => c.ItemId).ToListAsync())
            .Should().Equal([23L], "what was added after the first checkout stays in the cart");
    }

    [Fact]
    public async Task Checkout_is_refused_when_a_price_changed_since_the_cart_was_shown()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await browser.AddToCartAsync(37, 1);
        var checkout = BrowserSession.Forms(await browser.PageAsync("/cart")).Single(f => f.Action == "/cart?handler=Checkout");
        await using var db = app.NewDb();
        await db.Items.Where(i => i.Id == 37).ExecuteUpdateAsync(s => s.SetProperty(i => i.PriceFen, i => i.PriceFen + 100));

        using var response = await browser.PostRawAsync(checkout.Action, checkout.Fields);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Prices in your cart have changed.");
        var userId = await UserIdAsync(browser);
        (await db.Orders.AnyAsync(o => o.BuyerUserId == userId)).Should().BeFalse();
        (await db.CartLines.CountAsync(c => c.UserId == userId)).Should().Be(1);
    }

    [Fact]
    public async Task Checkout_is_refused_while_an_item_in_the_cart_is_no_longer_for_sale()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await browser.AddToCartAsync(38, 1);
        await using var db = app.NewDb();
        await db.Items.Where(i => i.Id == 38).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsListed, false));
        try
        {
            using var response = await browser.SubmitAsync("/cart", "/cart?handler=Checkout");

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).Should().Contain("is no longer for sale");
            var userId = await UserIdAsync(browser);
            (await db.Orders.AnyAsync(o => o.BuyerUserId == userId)).Should().BeFalse();
        }
        finally
        {
            await db.Items.Where(i => i.Id == 38).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsListed, true));
        }
    }

    private async Task<long> UserIdAsync(BrowserSession browser)
    {
        await using var db = app.NewDb();
        return await db.Users.Where(u => u.Email == browser.Email).Select(u => u.Id).SingleAsync();
    }
}
