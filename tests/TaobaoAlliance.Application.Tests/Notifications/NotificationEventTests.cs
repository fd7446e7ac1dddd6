using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Application.Fraud;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Notifications;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Application.Tests.Notifications;

/// <summary>The money events that notify a webmaster: one summary per settlement run, and a notice per refund.</summary>
public sealed class NotificationEventTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    private async Task<List<Notification>> NotificationsAsync(long userId, NotificationKind kind)
    {
        await using var db = app.NewDb();
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId && n.Kind == kind).ToListAsync();
    }

    /// <summary>A paid order of ¥100 at 10 % for <paramref name="webmaster"/>: ¥9 to the webmaster.</summary>
    private async Task<(long ShopId, string OrderId, long ItemId)> PaidOrderAsync(TestWebmaster webmaster)
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 1_000);
        var orderId = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now, visitor, Line(item.Id, 1, 10_000)));
        return (item.ShopId, orderId, item.Id);
    }

    [Fact]
    public async Task A_settlement_run_tells_each_webmaster_once_with_the_count_and_total_of_their_commissions()
    {
        var webmaster = await world.NewWebmasterAsync();
        for (var i = 0; i < 3; i++)
        {
            var (shopId, orderId, _) = await PaidOrderAsync(webmaster);
            await world.ProcessAsync(Confirmed(shopId, orderId, world.Now));
        }
        (await NotificationsAsync(webmaster.UserId, NotificationKind.CommissionConfirmed)).Should().BeEmpty("nothing is settled yet");

        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();

        var notice = (await NotificationsAsync(webmaster.UserId, NotificationKind.CommissionConfirmed)).Should().ContainSingle(
            "one summary per webmaster per run, not one per commission").Subject;
        using var arguments = JsonDocument.Parse(notice.Arguments);
        arguments.RootElement.GetProperty("count").GetInt32().Should().Be(3);
        arguments.RootElement.GetProperty("amountFen").GetInt64().Should().Be(2_700, "3 × ¥9 moved to available");
        notice.ReadAt.Should().BeNull();
        notice.EmailState.Should().Be(NotificationEmailState.Pending);

        await world.RunOrderLifeAsync();
        (await NotificationsAsync(webmaster.UserId, NotificationKind.CommissionConfirmed)).Should().ContainSingle("a run that settles nothing says nothing");
    }

    [Fact]
    public async Task A_refund_before_settlement_tells_the_webmaster_what_was_reversed()
    {
        var webmaster = await world.NewWebmasterAsync();
        var (shopId, orderId, itemId) = await PaidOrderAsync(webmaster);

        await world.ProcessAsync(Refunded(shopId, orderId, world.Now, Line(itemId, 1, 10_000)));

        var notice = (await NotificationsAsync(webmaster.UserId, NotificationKind.CommissionReversed)).Should().ContainSingle().Subject;
        using var arguments = JsonDocument.Parse(notice.Arguments);
        arguments.RootElement.GetProperty("order").GetString().Should().Be(orderId);
        arguments.RootElement.GetProperty("amountFen").GetInt64().Should().Be(900);
        arguments.RootElement.GetProperty("clawback").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_refused_order_event_writes_no_notification()
    {
        var webmaster = await world.NewWebmasterAsync();
        var (shopId, orderId, itemId) = await PaidOrderAsync(webmaster);

        var outcome = await world.TryProcessAsync(Refunded(shopId, orderId, world.Now, Line(itemId, 2, 10_000)));

        outcome.Refusal.Should().NotBeNull("more units than were bought");
        (await NotificationsAsync(webmaster.UserId, NotificationKind.CommissionReversed)).Should().BeEmpty("the notice commits with its event or not at all");
    }

    [Fact]
    public async Task A_sellers_decision_on_a_plan_application_tells_the_webmaster_once()
    {
        var webmaster = await world.NewWebmasterAsync();
        var sellerId = await world.SellerOfShopAsync(6);
        long planId;
        await using (var db = app.NewDb())
        {
            var plan = new TargetedPlan { ShopId = 6, Name = "Spring VIP " + Guid.NewGuid().ToString("N")[..6], RateBp = 2_000, StartsAt = world.Now.AddDays(-1), IsActive = true };
            db.TargetedPlans.Add(plan);
            await db.SaveChangesAsync();
            planId = plan.Id;
            db.TargetedPlanMembers.Add(new TargetedPlanMember { PlanId = planId, WebmasterId = webmaster.Id, State = PlanMembershipState.Applied, AppliedAt = world.Now });
            await db.SaveChangesAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var plans = scope.ServiceProvider.GetRequiredService<TargetedPlans>();
            var sellerUserId = await scope.ServiceProvider.GetRequiredService<AllianceDbContext>().Sellers.Where(s => s.Id == sellerId).Select(s => s.UserId).SingleAsync();
            (await plans.DecideAsync(sellerId, sellerUserId, planId, webmaster.Id, PlanMembershipState.Approved, CancellationToken.None)).Should().Be(PlanDecisionOutcome.Decided);
            (await plans.DecideAsync(sellerId, sellerUserId, planId, webmaster.Id, PlanMembershipState.Rejected, CancellationToken.None)).Should().Be(PlanDecisionOutcome.AlreadyDecided);
        }

        var notice = (await NotificationsAsync(webmaster.UserId, NotificationKind.PlanDecision)).Should().ContainSingle("a second click changes nothing").Subject;
        using var arguments = JsonDocument.Parse(notice.Arguments);
        arguments.RootElement.GetProperty("planId").GetInt64().Should().Be(planId);
        arguments.RootElement.GetProperty("state").GetString().Should().Be("Approved");
    }

    [Fact]
    public async Task A_voided_commission_tells_the_webmaster_what_was_taken_back()
    {
        var webmaster = await world.NewWebmasterAsync();
        await PaidOrderAsync(webmaster);
        long commissionId;
        await using (var db = app.NewDb())
        {
            commissionId = await db.Commissions.Where(c => c.WebmasterId == webmaster.Id).Select(c => c.Id).SingleAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<CommissionVoider>().VoidAsync(commissionId, webmaster.UserId, "Self-purchase")).Refusal.Should().BeNull();
        }

        var notice = (await NotificationsAsync(webmaster.UserId, NotificationKind.CommissionReversed)).Should().ContainSingle().Subject;
        using var arguments = JsonDocument.Parse(notice.Arguments);
        arguments.RootElement.GetProperty("voided").GetBoolean().Should().BeTrue();
        arguments.RootElement.GetProperty("amountFen").GetInt64().Should().Be(900);
    }
}
