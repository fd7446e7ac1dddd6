using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Hooks;

namespace TaobaoAlliance.Web.Tests.Hooks;

/// <summary>The app with the sender off, so messages stay in the outbox as their events wrote them.</summary>
public sealed class OutboxOnlyApp : AllianceApp
{
    public OutboxOnlyApp() => Settings = new Dictionary<string, string?> { ["Hooks:DeliveryEnabled"] = "false" };
}

/// <summary>Each event writes its postback and webhook in its own transaction: committed together, or rolled back together.</summary>
public sealed class HookTriggerTests(OutboxOnlyApp app) : IClassFixture<OutboxOnlyApp>
{
    private readonly MoneyWorld world = new(app);

    private sealed record Setup(TestWebmaster Webmaster, ItemInfo Item, long PostbackId, long WebhookId);

    /// <summary>A new webmaster with a postback, and a webhook on the clicked item's shop choosing every event.</summary>
    private async Task<Setup> SetUpAsync()
    {
        var webmaster = await world.NewWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<HookSettings>();
        (await settings.SaveAsync(HookKind.Postback, webmaster.SiteId, webmaster.UserId, "https://tracker.example/pb?cid={click_id}&st={state}", null, default))
            .Saved.Should().BeTrue();
        await using var db = app.NewDb();
        if (!await db.HookEndpoints.AnyAsync(e => e.ShopId == item.ShopId))
        {
            (await settings.SaveAsync(HookKind.Webhook, item.ShopId, webmaster.UserId, "https://shop.example/hook", HookEvents.Webhook, default)).Saved.Should().BeTrue();
        }
        var postback = await db.HookEndpoints.Where(e => e.SiteId == webmaster.SiteId).Select(e => e.Id).SingleAsync();
        var webhook = await db.HookEndpoints.Where(e => e.ShopId == item.ShopId).Select(e => e.Id).SingleAsync();
        return new(webmaster, item, postback, webhook);
    }

    private async Task<List<HookMessage>> MessagesAsync(long endpointId, long afterId = 0)
    {
        await using var db = app.NewDb();
        return await db.HookMessages.AsNoTracking().Where(m => m.EndpointId == endpointId && m.Id > afterId).OrderBy(m => m.Id).ToListAsync();
    }

    private async Task<long> LastMessageIdAsync()
    {
        await using var db = app.NewDb();
        return await db.HookMessages.MaxAsync(m => (long?)m.Id) ?? 0;
    }

    private async Task<(string OrderId, Guid ClickId)> PaidAsync(Setup s, int quantity = 2)
    {
        var visitor = Guid.NewGuid();
        var clickId = await world.ClickAsync(s.Webmaster, visitor, s.Item.Id, world.Now.AddHours(-1));
        var orderId = MoneyWorld.NewOrderId();
        await world.ProcessAsync(MoneyWorld.Paid(s.Item.ShopId, orderId, world.Now, visitor, MoneyWorld.Line(s.Item.Id, quantity, s.Item.PriceFen * quantity)));
        return (orderId, clickId);
    }

    private static string Field(HookMessage m, string name) => JsonDocument.Parse(m.Body).RootElement.GetProperty(name).ToString();

    [Fact]
    public async Task A_paid_order_writes_commission_created_for_the_webmaster_and_order_attributed_and_state_changed_for_the_seller()
    {
        var s = await SetUpAsync();
        var (orderId, clickId) = await PaidAsync(s);

        var postbacks = await MessagesAsync(s.PostbackId);
        postbacks.Should().ContainSingle().Which.Event.Should().Be(HookEvents.CommissionCreated);
        postbacks[0].Url.Should().Be($"https://tracker.example/pb?cid={clickId}&st=pending");
        Field(postbacks[0], "state").Should().Be("pending");
        var webhooks = (await MessagesAsync(s.WebhookId)).Where(m => m.Body.Contains(orderId, StringComparison.Ordinal)).ToList();
        webhooks.Select(m => m.Event).Should().BeEquivalentTo([HookEvents.OrderAttributed, HookEvents.CommissionStateChanged]);
        webhooks.Should().AllSatisfy(m => m.Url.Should().Be("https://shop.example/hook"));
    }

    [Fact]
    public async Task A_postback_url_carries_the_url_encoded_sub_ids_of_the_click_its_commission_came_from()
    {
        var webmaster = await world.NewWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<HookSettings>().SaveAsync(HookKind.Postback, webmaster.SiteId, webmaster.UserId,
                "https://tracker.example/pb?cid={click_id}&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}", null, default)).Saved.Should().BeTrue();
        }
        var visitor = Guid.NewGuid();
        var clickId = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-1));
        await using (var db = app.NewDb())
        {
            // The click path keeps sub-ids as the shopper's query string gave them (SubIds.Lenient): spaces, & and = included.
            (await db.Clicks.Where(c => c.Id == clickId).ExecuteUpdateAsync(u => u
                .SetProperty(c => c.Sub1, "spring sale").SetProperty(c => c.Sub2, "a&b=c").SetProperty(c => c.Sub3, "中文")
                .SetProperty(c => c.Sub5, "v/2?"))).Should().Be(1);
        }
        await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, MoneyWorld.Line(item.Id, 1, item.PriceFen)));

        await using var check = app.NewDb();
        var postbackId = await check.HookEndpoints.Where(e => e.SiteId == webmaster.SiteId).Select(e => e.Id).SingleAsync();
        var postbacks = await MessagesAsync(postbackId);
        postbacks.Should().ContainSingle().Which.Url.Should().Be(
            $"https://tracker.example/pb?cid={clickId}&s1=spring%20sale&s2=a%26b%3Dc&s3=%E4%B8%AD%E6%96%87&s4=&s5=v%2F2%3F");
        (Field(postbacks[0], "sub1"), Field(postbacks[0], "sub2"), Field(postbacks[0], "sub5")).Should().Be(("spring sale", "a&b=c", "v/2?"));
    }

    [Fact]
    public async Task Settlement_writes_commission_confirmed_and_refunds_write_reversed_before_and_clawed_back_after()
    {
        var s = await SetUpAsync();
        var (refundedEarly, _) = await PaidAsync(s);
        var mark = await LastMessageIdAsync();
        await world.ProcessAsync(MoneyWorld.Refunded(s.Item.ShopId, refundedEarly, world.Now, MoneyWorld.Line(s.Item.Id, 1, s.Item.PriceFen)));
        var reversed = await MessagesAsync(s.PostbackId, mark);
        reversed.Should().ContainSingle().Which.Event.Should().Be(HookEvents.CommissionReversed);
        Field(reversed[0], "state").Should().Be("pending", "half the line is refunded: the commission stays pending, for less");

        var (settles, _) = await PaidAsync(s);
        await world.ProcessAsync(MoneyWorld.Confirmed(s.Item.ShopId, settles, world.Now));
        // The seller's wallet pays the commission at settlement.
        (await world.BalanceAsync(TaobaoAlliance.Attribution.Ledger.AccountRef.Wallet(await world.SellerOfShopAsync(s.Item.ShopId))))
            .Should().BeGreaterThan(Money.Zero);
        app.Clock.Advance(TimeSpan.FromDays(8));
        mark = await LastMessageIdAsync();
        await world.RunOrderLifeAsync();
        var confirmed = await MessagesAsync(s.PostbackId, mark);
        confirmed.Select(m => m.Event).Should().Contain(HookEvents.CommissionConfirmed);
        confirmed.Where(m => m.Event == HookEvents.CommissionConfirmed).Should().AllSatisfy(m => Field(m, "state").Should().Be("settled"));

        mark = await LastMessageIdAsync();
        await world.ProcessAsync(MoneyWorld.Refunded(s.Item.ShopId, settles, world.Now, MoneyWorld.Line(s.Item.Id, 2, s.Item.PriceFen * 2)));
        var clawed = await MessagesAsync(s.PostbackId, mark);
        clawed.Should().ContainSingle().Which.Event.Should().Be(HookEvents.CommissionClawedBack);
        Field(clawed[0], "state").Should().Be("clawed_back");
        Field(clawed[0], "commission_fen").Should().Be("0");
        (await MessagesAsync(s.WebhookId, mark)).Should().ContainSingle().Which.Event.Should().Be(HookEvents.CommissionStateChanged);
    }

    [Fact]
    public async Task An_event_rolled_back_after_its_messages_were_written_leaves_no_message()
    {
        var s = await SetUpAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(s.Webmaster, visitor, s.Item.Id, world.Now.AddHours(-1));
        var orderId = "ROLLBACK-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = app.NewDb())
        {
            // The processor's last write before its commit records the event's result: failing it rolls back the whole event,
            // after the outbox was written in it.
            await db.Database.ExecuteSqlRawAsync("""
                CREATE OR REPLACE FUNCTION test_fail_rollback_orders() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.external_order_id LIKE 'ROLLBACK-%' THEN RAISE EXCEPTION 'rolled back by the test'; END IF; RETURN NEW; END $$;
                DROP TRIGGER IF EXISTS test_fail_rollback ON order_events;
                CREATE TRIGGER test_fail_rollback BEFORE UPDATE ON order_events FOR EACH ROW EXECUTE FUNCTION test_fail_rollback_orders();
                """);
        }
        var mark = await LastMessageIdAsync();
        try
        {
            var process = () => world.TryProcessAsync(MoneyWorld.Paid(s.Item.ShopId, orderId, world.Now, visitor, MoneyWorld.Line(s.Item.Id, 1, s.Item.PriceFen)));
            await process.Should().ThrowAsync<Exception>();
        }
        finally
        {
            await using var db = app.NewDb();
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER test_fail_rollback ON order_events");
        }
        await using (var db = app.NewDb())
        {
            (await db.Orders.AnyAsync(o => o.ExternalOrderId == orderId)).Should().BeFalse("the event was rolled back");
        }
        (await MessagesAsync(s.PostbackId, mark)).Should().BeEmpty();
        (await MessagesAsync(s.WebhookId, mark)).Should().BeEmpty();

        // The same event once the failure is gone commits with its messages.
        await world.ProcessAsync(MoneyWorld.Paid(s.Item.ShopId, orderId, world.Now, visitor, MoneyWorld.Line(s.Item.Id, 1, s.Item.PriceFen)));
        (await MessagesAsync(s.PostbackId, mark)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_batch_of_paid_clicks_writes_wallet_low_only_when_it_crosses_the_threshold_and_campaign_stopped_once_a_day()
    {
        var s = await SetUpAsync();
        var sellerId = await world.SellerOfShopAsync(s.Item.ShopId);
        var day = ChinaTime.DayOf(world.Now);
        async Task BatchAsync(long before, long after, string? stoppedBy)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaobaoAlliance.Data.AllianceDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<HookOutbox>().CampaignBatchAsync(
                new(77, s.Item.ShopId, sellerId, day, new Money(before), new Money(after), stoppedBy), default);
            await transaction.CommitAsync();
        }
        var mark = await LastMessageIdAsync();
        await BatchAsync(50_000, 20_000, null); // above ¥100 before and after: nothing
        (await MessagesAsync(s.WebhookId, mark)).Should().BeEmpty();
        await BatchAsync(20_000, 9_999, null); // crosses ¥100
        (await MessagesAsync(s.WebhookId, mark)).Select(m => m.Event).Should().Equal(HookEvents.WalletLow);
        await BatchAsync(9_999, 5_000, "budget"); // already low: no second wallet.low; the budget ran out
        await BatchAsync(5_000, 5_000, "budget"); // the same day's stop again: told once
        (await MessagesAsync(s.WebhookId, mark)).Select(m => m.Event).Should().Equal(HookEvents.WalletLow, HookEvents.CampaignStopped);
    }
}
