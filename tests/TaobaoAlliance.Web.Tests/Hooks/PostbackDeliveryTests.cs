using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Data.Hooks;
using TaobaoAlliance.Web.Api;

namespace TaobaoAlliance.Web.Tests.Hooks;

/// <summary>
/// The outbox's promise end to end: a postback whose receiver fails twice is tried a third time, signed as documented,
/// and a restart between the tries (the app disposed, a new one started on the same database) loses nothing.
/// </summary>
public sealed class PostbackDeliveryTests
{
    private static readonly Dictionary<string, string?> NoSender = new() { ["Hooks:DeliveryEnabled"] = "false" };
    private static readonly Dictionary<string, string?> QuickSender = new() { ["Hooks:PollMilliseconds"] = "50" };

    // The receiver is a real Kestrel listener (HookReceiver) and the sender runs in the background of each node, as in
    // production; only the schedule's clock is the test's.
    [Fact]
    public async Task A_postback_that_fails_twice_gets_its_third_try_signed_and_a_restart_in_between_loses_nothing()
    {
        // The database's owner sends nothing: it stands for the database across the restart of the sending node.
        var owner = new AllianceApp { Settings = NoSender };
        await ((IAsyncLifetime)owner).InitializeAsync();
        await using var receiver = await HookReceiver.StartAsync(n => n <= 2 ? 500 : 200);
        try
        {
            var world = new MoneyWorld(owner);
            var webmaster = await world.NewWebmasterAsync();
            string secret;
            await using (var scope = owner.Services.CreateAsyncScope())
            {
                var saved = await scope.ServiceProvider.GetRequiredService<HookSettings>().SaveAsync(HookKind.Postback, webmaster.SiteId, webmaster.UserId,
                    new Uri(receiver.BaseUrl, "pb").ToString() + "?cid={click_id}&amount={commission_fen}&state={state}&s1={sub1}", null, default);
                saved.Saved.Should().BeTrue();
                secret = saved.NewSecret!;
            }
            var (item, _, _) = await world.ItemsAsync();
            var visitor = Guid.NewGuid();
            var clickId = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-1));
            var order = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, MoneyWorld.NewOrderId(), world.Now, visitor, MoneyWorld.Line(item.Id, 1, item.PriceFen)));
            var message = await MessageAsync(owner);
            message.Event.Should().Be(HookEvents.CommissionCreated);
            message.State.Should().Be(HookMessageState.Pending);

            // The first node tries twice and fails twice…
            var first = new AllianceApp { SameDatabaseAs = owner, Seed = false, Settings = QuickSender };
            await ((IAsyncLifetime)first).InitializeAsync();
            await receiver.WaitForAsync(1);
            (await WaitForAttemptAsync(owner, 1)).LastStatus.Should().Be(500);
            first.Clock.Advance(TimeSpan.FromMinutes(5));
            await receiver.WaitForAsync(2);
            var afterTwo = await WaitForAttemptAsync(owner, 2);
            afterTwo.State.Should().Be(HookMessageState.Pending);
            afterTwo.LastStatus.Should().Be(500);
            afterTwo.NextAttemptAt.Should().BeAfter(first.Clock.GetUtcNow(), "the next try waits, by the schedule in the table");
            // …and is gone (a restart): nothing is left in its memory.
            await ((IAsyncLifetime)first).DisposeAsync();
            receiver.Received.Should().HaveCount(2);

            // A new node on the same database finds the message and its schedule, and the third try is taken.
            var second = new AllianceApp { SameDatabaseAs = owner, Seed = false, Settings = QuickSender };
            await ((IAsyncLifetime)second).InitializeAsync();
            try
            {
                second.Clock.Advance(TimeSpan.FromMinutes(30));
                await receiver.WaitForAsync(3);
                var delivered = await WaitForAsync(owner, m => m.State == HookMessageState.Delivered);
                delivered.Attempts.Should().Be(3);
                delivered.LastStatus.Should().Be(200);

                var third = receiver.Received.ElementAt(2);
                ShopSignatures.Verify(third.Body, secret, third.Signature, second.Clock.GetUtcNow(), acceptBodyOnly: false)
                    .Should().BeTrue("the receiver checks the signature with the site's secret");
                ShopSignatures.Verify(third.Body, "another-secret", third.Signature, second.Clock.GetUtcNow(), acceptBodyOnly: false).Should().BeFalse();
                third.Event.Should().Be(HookEvents.CommissionCreated);
                third.Delivery.Should().Be(message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                third.PathAndQuery.Should().StartWith($"/pb?cid={clickId}&amount=").And.Contain("&state=pending&s1=");
                using var body = JsonDocument.Parse(third.Body);
                body.RootElement.GetProperty("event").GetString().Should().Be("commission.created");
                body.RootElement.GetProperty("order_id").GetInt64().Should().Be(order.OrderId);
                body.RootElement.GetProperty("click_id").GetGuid().Should().Be(clickId);
                body.RootElement.GetProperty("commission_fen").GetInt64().Should().Be(order.Lines[0].WebmasterFen + order.Lines[0].SubsidyFen);
                Encoding.UTF8.GetString(third.Body).Should().Be(message.Body, "the body sent is the one written with the event");
                receiver.Received.Select(r => r.Body).Should().AllSatisfy(b => b.Should().Equal(third.Body), "every try sends the same message");
                receiver.Received.Select(r => r.Delivery).Should().AllBe(third.Delivery, "the receiver can tell a repeat by the delivery id");

                // A delivered message is never sent again by the schedule, however far the clock runs (past the lease and the day).
                second.Clock.Advance(TimeSpan.FromDays(2));
                (await second.Services.GetRequiredService<HookDelivery>().RunOnceAsync(default)).Tried.Should().Be(0);
                (await MessageAsync(owner)).State.Should().Be(HookMessageState.Delivered);
                receiver.Received.Should().HaveCount(3);

                // "Send again" (the delivery log's button) queues it once more: a fourth request, and delivered again.
                await using (var scope = second.Services.CreateAsyncScope())
                {
                    (await scope.ServiceProvider.GetRequiredService<HookSettings>().SendAgainAsync(HookKind.Postback, webmaster.SiteId, message.Id, default))
                        .Should().BeTrue();
                }
                await receiver.WaitForAsync(4);
                var resent = await WaitForAsync(owner, m => m.State == HookMessageState.Delivered && m.Attempts == 1);
                resent.LastStatus.Should().Be(200);
                receiver.Received.Should().HaveCount(4);
                receiver.Received.Last().Body.Should().Equal(third.Body);
            }
            finally
            {
                await ((IAsyncLifetime)second).DisposeAsync();
            }
        }
        finally
        {
            await ((IAsyncLifetime)owner).DisposeAsync();
        }
    }

    private static async Task<HookMessage> MessageAsync(AllianceApp app)
    {
        await using var db = app.NewDb();
        return await db.HookMessages.AsNoTracking().SingleAsync();
    }

    private static Task<HookMessage> WaitForAttemptAsync(AllianceApp app, int attempts) =>
        WaitForAsync(app, m => m.Attempts == attempts && m.LastStatus != null && m.NextAttemptAt < m.LastAttemptAt!.Value.AddSeconds(100));

    /// <summary>
    /// Waits until the message's row satisfies <paramref name="done"/>: the sender writes the result a moment after the
    /// receiver answered. (A claimed try has its next try a lease ahead until its result is written.)
    /// </summary>
    private static async Task<HookMessage> WaitForAsync(AllianceApp app, Func<HookMessage, bool> done)
    {
        HookMessage message = null!;
        for (var i = 0; i < 600; i++)
        {
            message = await MessageAsync(app);
            if (done(message)) return message;
            await Task.Delay(50);
        }
        done(message).Should().BeTrue($"the message reached the expected state; it is {message.State} after {message.Attempts} tries");
        return message;
    }
}
