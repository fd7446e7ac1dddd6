using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Subsidies;
using TaobaoAlliance.Application.Orders;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Application.Tests.Orders;

/// <summary>One test per rule of attribution and commission in product.md, on the real database.</summary>
public sealed class AttributionRuleTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);
    private static readonly TimeSpan Window = TimeSpan.FromDays(15);

    [Fact]
    public async Task Order_just_inside_the_window_earns()
    {
        var (item, _, _) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        var paidAt = world.Now;
        var click = await world.ClickAsync(webmaster, visitor, item.Id, paidAt - Window);

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), paidAt, visitor, Line(item.Id, 1, 10_000)));

        result.AttributedClickId.Should().Be(click);
        result.Lines.Single().CommissionFen.Should().Be(new Money(10_000).Times(new Rate(item.RateBp)).Fen);
    }

    [Fact]
    public async Task Order_just_outside_the_window_earns_nothing()
    {
        var (item, _, _) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        var paidAt = world.Now;
        await world.ClickAsync(webmaster, visitor, item.Id, paidAt - Window - TimeSpan.FromSeconds(1));

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), paidAt, visitor, Line(item.Id, 1, 10_000)));

        result.AttributedClickId.Should().BeNull();
        result.Lines.Single().CommissionState.Should().BeNull();
        result.AttributionNote.Should().Contain("No click");
    }

    [Fact]
    public async Task A_click_after_payment_does_not_count()
    {
        var (item, _, _) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(1));

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));

        result.AttributedClickId.Should().BeNull();
    }

    [Fact]
    public async Task Last_click_wins_over_earlier_ones()
    {
        var (item, _, _) = await world.ItemsAsync();
        var first = await world.NewWebmasterAsync();
        var last = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(first, visitor, item.Id, world.Now.AddDays(-3));
        var winning = await world.ClickAsync(last, visitor, item.Id, world.Now.AddHours(-2));

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));

        result.AttributedClickId.Should().Be(winning);
        await using var db = app.NewDb();
        (await db.Commissions.Where(c => c.OrderId == result.OrderId).Select(c => c.WebmasterId).SingleAsync()).Should().Be(last.Id);
    }

    [Fact]
    public async Task Invalid_clicks_never_win()
    {
        var (item, _, _) = await world.ItemsAsync();
        var honest = await world.NewWebmasterAsync();
        var bot = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        var valid = await world.ClickAsync(honest, visitor, item.Id, world.Now.AddDays(-1));
        await world.ClickAsync(bot, visitor, item.Id, world.Now.AddMinutes(-5), valid: false);

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));

        result.AttributedClickId.Should().Be(valid);
        result.AttributionNote.Should().Contain("later invalid click");

        var onlyInvalidVisitor = Guid.NewGuid();
        await world.ClickAsync(bot, onlyInvalidVisitor, item.Id, world.Now.AddMinutes(-5), valid: false);
        var none = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, onlyInvalidVisitor, Line(item.Id, 1, 10_000)));
        none.AttributedClickId.Should().BeNull();
        none.Lines.Single().CommissionFen.Should().Be(0);
    }

    [Fact]
    public async Task An_explicit_click_id_beats_the_visitor_cookie_even_for_a_returning_customer()
    {
        var (item, _, _) = await world.ItemsAsync();
        var viaStore = await world.NewWebmasterAsync();
        var viaCookie = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        var storeClick = await world.ClickAsync(viaStore, Guid.NewGuid(), item.Id, world.Now.AddDays(-2));
        await world.ClickAsync(viaCookie, visitor, item.Id, world.Now.AddHours(-1)); // later, but only by cookie

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000))
            with { ClickId = storeClick });

        result.AttributedClickId.Should().Be(storeClick);
    }

    [Fact]
    public async Task Same_shop_other_item_earns_the_shop_general_rate()
    {
        var (clicked, sameShop, _) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, clicked.Id, world.Now.AddHours(-1));

        var result = await world.ProcessAsync(MoneyWorld.Paid(clicked.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor,
            Line(clicked.Id, 1, 10_000), Line(sameShop.Id, 2, 20_000)));

        var other = result.Lines.Single(l => l.ItemId == sameShop.Id);
        other.CommissionFen.Should().Be(new Money(20_000).Times(new Rate(sameShop.ShopRateBp)).Fen);
        other.Explanation.Should().Contain("general rate");
        result.Lines.Single(l => l.ItemId == clicked.Id).CommissionFen.Should().Be(new Money(10_000).Times(new Rate(clicked.RateBp)).Fen);
    }

    [Fact]
    public async Task Other_shop_items_earn_nothing()
    {
        var (clicked, _, otherShop) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, clicked.Id, world.Now.AddHours(-1));

        var result = await world.ProcessAsync(MoneyWorld.Paid(otherShop.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(otherShop.Id, 1, 50_000)));

        result.Lines.Single().CommissionState.Should().BeNull();
        result.AttributionNote.Should().Contain("other shops earn nothing");
        await using var db = app.NewDb();
        (await db.Commissions.CountAsync(c => c.OrderId == result.OrderId)).Should().Be(0);
    }

    [Fact]
    public async Task A_rate_change_after_the_click_does_not_change_the_commission()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 3);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-1), itemRateBp: 1_200);
        await using (var db = app.NewDb())
        {
            await db.Items.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CommissionRateBp, 3_000));
            await db.Shops.Where(s => s.Id == item.ShopId).ExecuteUpdateAsync(s => s.SetProperty(x => x.GeneralRateBp, 100));
        }

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));

        result.Lines.Single().CommissionFen.Should().Be(1_200, "12 % of ¥100 was the rate in force at click time");
    }

    [Fact]
    public async Task Fee_is_ten_percent_and_amounts_round_half_away_from_zero_per_line()
    {
        var (clicked, _, _) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, clicked.Id, world.Now.AddHours(-1), itemRateBp: 100);

        // 2,450 fen × 1 % = 24.5 → 25 fen; fee 10 % of 25 = 2.5 → 3; webmaster 22. Per line, not per order.
        var result = await world.ProcessAsync(MoneyWorld.Paid(clicked.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor,
            Line(clicked.Id, 1, 2_450)));

        var line = result.Lines.Single();
        (line.CommissionFen, line.PlatformFeeFen, line.WebmasterFen).Should().Be((25L, 3L, 22L));
    }

    [Fact]
    public async Task Self_purchase_earns_nothing_and_is_flagged()
    {
        var (item, _, _) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-1));

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000))
            with { BuyerUserId = webmaster.UserId });

        result.FraudFlag.Should().Be("self_purchase");
        result.Lines.Single().CommissionFen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Should().Be(Money.Zero);
    }

    [Fact]
    public async Task A_subsidy_adds_a_platform_funded_bonus_and_stops_at_its_cap()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 4);
        long programmeId;
        await using (var db = app.NewDb())
        {
            var programme = new SubsidyProgramme
            {
                Name = "Growth bonus", BonusBp = 5_000, StartsAt = world.Now.AddDays(-1), EndsAt = world.Now.AddDays(1), CapFen = 700,
            };
            db.SubsidyProgrammes.Add(programme);
            await db.SaveChangesAsync();
            programmeId = programme.Id;
        }
        var webmaster = await world.NewWebmasterAsync();
        var sellerId = await world.SellerOfShopAsync(item.ShopId);
        var dueBefore = await world.BalanceAsync(AccountRef.CommissionDue(sellerId));

        var results = new List<OrderEventResult>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var visitor = Guid.NewGuid();
            await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-1), itemRateBp: 1_000);
            // ¥100 × 10 % = ¥10 commission, ¥9 webmaster share; +50 % bonus = ¥4.50 wanted.
            results.Add(await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000))));
        }

        results[0].Lines.Single().SubsidyFen.Should().Be(450);
        results[1].Lines.Single().SubsidyFen.Should().Be(250, "only ¥2.50 of the ¥7 cap was left");
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(900 + 450 + 900 + 250);
        (await world.BalanceAsync(AccountRef.CommissionDue(sellerId)) - dueBefore).Fen.Should().Be(-2_000,
            "the seller owes the commission only; the subsidy is the platform's");
        await using var check = app.NewDb();
        (await check.SubsidyProgrammes.SingleAsync(p => p.Id == programmeId)).SpentFen.Should().Be(700);
    }

    [Fact]
    public async Task The_decision_is_explained_and_stored()
    {
        var (item, _, _) = await world.ItemsAsync();
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        var click = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-3));

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));

        await using var db = app.NewDb();
        var order = await db.Orders.SingleAsync(o => o.Id == result.OrderId);
        order.AttributedClickId.Should().Be(click);
        order.AttributionNote.Should().Contain(click.ToString()).And.Contain("last valid click");
        (await db.Commissions.SingleAsync(c => c.OrderId == order.Id)).Explanation.Should().Contain("clicked item").And.Contain("platform fee");
    }
}
