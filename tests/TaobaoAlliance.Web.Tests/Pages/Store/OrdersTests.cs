using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Tests.Pages.Account;

namespace TaobaoAlliance.Web.Tests.Pages.Store;

/// <summary>My orders: a buyer's own orders only, confirming receipt and asking for refunds.</summary>
public sealed class OrdersTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_buyer_sees_only_their_own_orders_newest_first()
    {
        using var alice = await BrowserSession.NewBuyerAsync(app);
        using var bob = await BrowserSession.NewBuyerAsync(app);
        var aliceOrder = await BuyAsync(alice, (14, 1));
        var bobFirst = await BuyAsync(bob, (23, 1));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var bobSecond = await BuyAsync(bob, (37, 2));

        var page = await OrdersPage(bob);

        page.Should().Contain(bobFirst.ExternalOrderId).And.Contain(bobSecond.ExternalOrderId).And.NotContain(aliceOrder.ExternalOrderId);
        page.IndexOf(bobSecond.ExternalOrderId, StringComparison.Ordinal).Should().BeLessThan(page.IndexOf(bobFirst.ExternalOrderId, StringComparison.Ordinal));
        (await OrdersPage(alice)).Should().Contain(aliceOrder.ExternalOrderId).And.NotContain(bobFirst.ExternalOrderId);

        static Task<string> OrdersPage(BrowserSession browser) => browser.PageAsync("/orders");
    }

    [Fact]
    public async Task Confirming_or_refunding_another_buyers_order_answers_404_and_changes_nothing()
    {
        using var alice = await BrowserSession.NewBuyerAsync(app);
        using var mallory = await BrowserSession.NewBuyerAsync(app);
        var order = await BuyAsync(alice, (14, 2));
        await using var db = app.NewDb();
        var eventsBefore = await db.OrderEvents.CountAsync(e => e.ExternalOrderId == order.ExternalOrderId);

        using var confirm = await mallory.PostAsync("/orders?handler=Confirm", Fields(("orderId", order.Id)), "/orders");
        using var refund = await mallory.PostAsync("/orders?handler=Refund", Fields(("orderId", order.Id), ("itemId", 14), ("quantity", 1), ("confirmed", "true")), "/orders");

        confirm.StatusCode.Should().Be(HttpStatusCode.NotFound);
        refund.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var after = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == order.Id);
        after.State.Should().Be(OrderState.Paid);
        after.ConfirmedAt.Should().BeNull();
        after.Lines.Single().RefundedQuantity.Should().Be(0);
        (await db.OrderEvents.CountAsync(e => e.ExternalOrderId == order.ExternalOrderId)).Should().Be(eventsBefore);
    }

    [Fact]
    public async Task Confirming_receipt_moves_the_order_to_Confirmed()
    {
        using var buyer = await BrowserSession.NewBuyerAsync(app);
        var order = await BuyAsync(buyer, (14, 1));

        using var response = await buyer.SubmitAsync("/orders", "/orders?p=1&handler=Confirm", pick: f => f.Fields["orderId"] == order.Id.ToString());

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using var db = app.NewDb();
        var after = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        after.State.Should().Be(OrderState.Confirmed);
        after.ConfirmedAt.Should().Be(app.Clock.GetUtcNow());
        var page = await buyer.PageAsync("/orders");
        page.Should().Contain("Receipt confirmed").And.NotContain("?handler=Confirm", "a confirmed order cannot be confirmed again");
    }

    [Fact]
    public async Task Confirming_an_order_that_is_no_longer_paid_is_refused_with_a_message()
    {
        using var buyer = await BrowserSession.NewBuyerAsync(app);
        var order = await BuyAsync(buyer, (14, 1));
        using (var first = await buyer.PostAsync("/orders?handler=Confirm", Fields(("orderId", order.Id)), "/orders"))
        {
            first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        using var again = await buyer.PostAsync("/orders?handler=Confirm", Fields(("orderId", order.Id)), "/orders");

        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).Should().Contain("is not waiting for delivery");
    }

    [Fact]
    public async Task A_partial_refund_asks_for_confirmation_then_updates_the_refunded_quantity()
    {
        using var buyer = await BrowserSession.NewBuyerAsync(app);
        var order = await BuyAsync(buyer, (14, 2), (23, 1));
        await using var db = app.NewDb();
        var price = await db.Items.Where(i => i.Id == 14).Select(i => i.PriceFen).SingleAsync();

        using var asked = await buyer.SubmitAsync("/orders", "/orders?p=1&handler=Refund", new Dictionary<string, string> { ["quantity"] = "1" },
            pick: f => f.Fields["orderId"] == order.Id.ToString() && f.Fields["itemId"] == "14");

        asked.StatusCode.Should().Be(HttpStatusCode.OK);
        var confirmation = await asked.Content.ReadAsStringAsync();
        confirmation.Should().Contain("Confirm the refund").And.Contain("cannot be taken back");
        (await db.OrderLines.AsNoTracking().SingleAsync(l => l.OrderId == order.Id && l.ItemId == 14)).RefundedQuantity
            .Should().Be(0, "nothing is refunded before the buyer confirms");
        var confirmForm = BrowserSession.Forms(confirmation).Single(f => f.Fields.TryGetValue("confirmed", out var c) && c == "true");
        using var response = await buyer.PostRawAsync(confirmForm.Action, confirmForm.Fields);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var after = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == order.Id);
        var line = after.Lines.Single(l => l.ItemId == 14);
        (line.Quantity, line.RefundedQuantity, line.RefundedFen).Should().Be((2, 1, price));
        after.Lines.Single(l => l.ItemId == 23).RefundedQuantity.Should().Be(0);
        after.State.Should().Be(OrderState.Paid, "most of the order still stands");
        (await buyer.PageAsync("/orders")).Should().Contain("Refunded 1 ×");
    }

    [Fact]
    public async Task Refunding_more_than_remains_is_refused_and_refunding_all_of_it_refunds_the_order()
    {
        using var buyer = await BrowserSession.NewBuyerAsync(app);
        var order = await BuyAsync(buyer, (14, 2));
        using (var first = await buyer.PostAsync("/orders?handler=Refund", Fields(("orderId", order.Id), ("itemId", 14), ("quantity", 1), ("confirmed", "true")), "/orders"))
        {
            first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        using var tooMany = await buyer.PostAsync("/orders?handler=Refund", Fields(("orderId", order.Id), ("itemId", 14), ("quantity", 2)), "/orders");
        using var zero = await buyer.PostAsync("/orders?handler=Refund", Fields(("orderId", order.Id), ("itemId", 14), ("quantity", 0)), "/orders");

        tooMany.StatusCode.Should().Be(HttpStatusCode.OK);
        (await tooMany.Content.ReadAsStringAsync()).Should().Contain("at most 1 of that line");
        zero.StatusCode.Should().Be(HttpStatusCode.OK);
        (await zero.Content.ReadAsStringAsync()).Should().Contain("Enter a quantity of at least 1.");
        await using var db = app.NewDb();
        (await db.OrderLines.SingleAsync(l => l.OrderId == order.Id)).RefundedQuantity.Should().Be(1);

        using var rest = await buyer.PostAsync("/orders?handler=Refund", Fields(("orderId", order.Id), ("itemId", 14), ("quantity", 1), ("confirmed", "true")), "/orders");

        rest.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var after = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == order.Id);
        after.Lines.Single().RefundedQuantity.Should().Be(2);
        after.State.Should().Be(OrderState.Refunded);
    }

    /// <summary>Puts the items in the buyer's cart, checks out, and returns the one order placed.</summary>
    private async Task<Order> BuyAsync(BrowserSession buyer, params (long ItemId, int Quantity)[] lines)
    {
        foreach (var (itemId, quantity) in lines) await buyer.AddToCartAsync(itemId, quantity);
        using var checkout = await buyer.SubmitAsync("/cart", "/cart?handler=Checkout");
        checkout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using var db = app.NewDb();
        var userId = await db.Users.Where(u => u.Email == buyer.Email).Select(u => u.Id).SingleAsync();
        return await db.Orders.AsNoTracking().Where(o => o.BuyerUserId == userId).OrderByDescending(o => o.Id).FirstAsync();
    }

    private static Dictionary<string, string> Fields(params (string Name, object Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => Convert.ToString(f.Value, System.Globalization.CultureInfo.InvariantCulture)!);
}
