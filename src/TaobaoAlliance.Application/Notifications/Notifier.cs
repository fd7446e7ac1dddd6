using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Notifications;

namespace TaobaoAlliance.Application.Notifications;

/// <summary>Settings of notifications (section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>A seller is told once when a CPC charge takes the wallet below this many fen [¥100].</summary>
    [Range(1, long.MaxValue)]
    public long WalletLowFen { get; set; } = 10_000;
}

/// <summary>
/// The one way to raise a notification: each event site makes one call, inside the transaction of the event (the row
/// is an INSERT on the context's connection and transaction), so a notice exists exactly when its event committed.
/// Rows carry a kind and arguments; the words are chosen when read, in the reader's language (Web's NotificationTexts).
/// Recipients are named by webmaster or seller id; the user is found by the same statement, so a call costs one round trip.
/// </summary>
public sealed class Notifier(AllianceDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task SiteDecidedAsync(long webmasterId, long siteId, string site, string state, string? reason, CancellationToken ct) =>
        WebmasterAsync(webmasterId, NotificationKind.SiteDecision, new { siteId, site, state, reason }, null, ct);

    public Task PlanDecidedAsync(long webmasterId, long planId, string plan, string state, CancellationToken ct) =>
        WebmasterAsync(webmasterId, NotificationKind.PlanDecision, new { planId, plan, state }, null, ct);

    public Task PayoutDecidedAsync(long webmasterId, long payoutId, long amountFen, string state, string? reason, CancellationToken ct) =>
        WebmasterAsync(webmasterId, NotificationKind.PayoutDecision, new { payoutId, amountFen, state, reason }, null, ct);

    /// <summary>A refund or a void gave back webmaster money: <paramref name="clawback"/> when it was already settled.</summary>
    public Task CommissionReversedAsync(long webmasterId, long orderId, string order, long amountFen, bool clawback, bool voided, CancellationToken ct) =>
        WebmasterAsync(webmasterId, NotificationKind.CommissionReversed, new { orderId, order, amountFen, clawback, voided }, null, ct);

    /// <summary>
    /// One settlement run's confirmed commissions as one notice per webmaster (<paramref name="runKey"/> names the run): a
    /// batch adds its counts and amounts to the run's notice, so thousands of commissions make one row per webmaster, in one statement.
    /// </summary>
    public async Task CommissionsSettledAsync(IReadOnlyDictionary<long, (int Count, long AmountFen)> byWebmaster, string runKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(byWebmaster);
        if (byWebmaster.Count == 0) return;
        var ids = byWebmaster.Keys.ToArray();
        var counts = ids.Select(id => byWebmaster[id].Count).ToArray();
        var amounts = ids.Select(id => byWebmaster[id].AmountFen).ToArray();
        var kind = nameof(NotificationKind.CommissionConfirmed);
        var groupKey = "settle:" + runKey;
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications AS n (user_id, kind, arguments, group_key, created_at, email_state)
            SELECT w.user_id, {kind}, jsonb_build_object('count', a.count, 'amountFen', a.amount_fen), {groupKey}::text, {now}, 'Pending'
            FROM unnest({ids}::bigint[], {counts}::int[], {amounts}::bigint[]) AS a(webmaster_id, count, amount_fen)
            JOIN webmasters w ON w.id = a.webmaster_id
            ON CONFLICT (user_id, kind, group_key) WHERE group_key IS NOT NULL DO UPDATE SET arguments = jsonb_build_object(
                'count', (n.arguments->>'count')::int + (excluded.arguments->>'count')::int,
                'amountFen', (n.arguments->>'amountFen')::bigint + (excluded.arguments->>'amountFen')::bigint)
            """, ct);
    }

    /// <summary>
    /// What one batch of CPC charges means for the seller: a notice when it took the wallet across the low mark
    /// (from at or above to below), and one a day per campaign and cause when it refused a click for its budget or wallet
    /// (<paramref name="refused"/>). Nothing crossed: no statement at all, so the hot path pays nothing per click.
    /// </summary>
    public async Task CpcBatchAsync(long sellerId, long campaignId, string campaign, DateOnly day,
        Money walletBefore, Money walletAfter, long walletLowFen, CpcChargeOutcome? refused, CancellationToken ct)
    {
        if (walletBefore.Fen >= walletLowFen && walletAfter.Fen < walletLowFen)
            await SellerAsync(sellerId, NotificationKind.WalletLow, new { balanceFen = walletAfter.Fen, thresholdFen = walletLowFen }, null, ct);
        if (refused is CpcChargeOutcome.OverBudget or CpcChargeOutcome.WalletEmpty)
        {
            var reason = refused.ToString();
            await SellerAsync(sellerId, NotificationKind.CampaignStopped, new { campaignId, campaign, reason, day },
                $"campaign:{campaignId}:{day:yyyy-MM-dd}:{reason}", ct);
        }
    }

    /// <summary>An admin delisted one of the seller's items: both titles (the notice reads in the seller's language), the reason code and note.</summary>
    public Task ItemDelistedAsync(long sellerId, long itemId, long shopId, string titleZh, string titleEn, string reason, string note, CancellationToken ct) =>
        SellerAsync(sellerId, NotificationKind.ItemDelisted, new { itemId, shopId, titleZh, titleEn, reason, note }, null, ct);

    /// <summary>An admin relisted it; <paramref name="listed"/> says whether it is on sale again (the seller may have unlisted it meanwhile).</summary>
    public Task ItemRelistedAsync(long sellerId, long itemId, long shopId, string titleZh, string titleEn, bool listed, CancellationToken ct) =>
        SellerAsync(sellerId, NotificationKind.ItemRelisted, new { itemId, shopId, titleZh, titleEn, listed }, null, ct);

    private Task WebmasterAsync(long webmasterId, NotificationKind kind, object arguments, string? groupKey, CancellationToken ct) =>
        InsertAsync(seller: false, webmasterId, kind, arguments, groupKey, ct);

    private Task SellerAsync(long sellerId, NotificationKind kind, object arguments, string? groupKey, CancellationToken ct) =>
        InsertAsync(seller: true, sellerId, kind, arguments, groupKey, ct);

    private async Task InsertAsync(bool seller, long id, NotificationKind kind, object arguments, string? groupKey, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(arguments, Json);
        var kindName = kind.ToString();
        var now = clock.GetUtcNow();
        FormattableString sql;
        if (seller)
        {
            sql = $"""
              INSERT INTO notifications (user_id, kind, arguments, group_key, created_at, email_state)
              SELECT user_id, {kindName}, {json}::jsonb, {groupKey}::text, {now}, 'Pending' FROM sellers WHERE id = {id}
              ON CONFLICT (user_id, kind, group_key) WHERE group_key IS NOT NULL DO NOTHING
              """;
        }
        else
        {
            sql = $"""
              INSERT INTO notifications (user_id, kind, arguments, group_key, created_at, email_state)
              SELECT user_id, {kindName}, {json}::jsonb, {groupKey}::text, {now}, 'Pending' FROM webmasters WHERE id = {id}
              ON CONFLICT (user_id, kind, group_key) WHERE group_key IS NOT NULL DO NOTHING
              """;
        }
        await db.Database.ExecuteSqlAsync(sql, ct);
    }
}

/// <summary>Registers the notifier and its options (called from <c>AddAllianceApplication</c>).</summary>
public static class NotificationRegistration
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Notifier>();
        return services;
    }
}
