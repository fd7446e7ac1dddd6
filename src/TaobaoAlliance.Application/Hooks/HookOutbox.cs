using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Hooks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Hooks;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Hooks;

/// <summary>
/// Writes postbacks and webhooks into the outbox (<c>hook_messages</c>) on the caller's context, inside the caller's
/// transaction: the message commits with its event or not at all. Each event site makes one call here. Nothing is
/// written for a site or shop without an endpoint (or, for webhooks, without the event chosen).
/// </summary>
public sealed class HookOutbox(AllianceDbContext db, TimeProvider clock, IOptionsMonitor<HookOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// The values a postback's macros are filled with. THE one place the sub-ids are read: the click's sub1…sub5, as the
    /// commission carries them (PostbackTemplate.Render URL-encodes them into the URL).
    /// </summary>
    public static PostbackValues PostbackValuesOf(Commission c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.ClickId, c.Sub1, c.Sub2, c.Sub3, c.Sub4, c.Sub5, c.OrderId, WebmasterEarns(c), StateName(c.State));
    }

    /// <summary>An order was paid: <c>order.attributed</c> when a click won it, <c>commission.created</c> for each commission.</summary>
    public async Task OrderPaidAsync(Order order, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(order);
        var commissions = db.Commissions.Local.Where(c => c.OrderId == order.Id).ToList();
        var endpoints = await EndpointsAsync(order.ShopId, commissions, ct);
        if (endpoints.Count == 0) return;
        if (order.AttributedClickId is { } clickId && Webhook(endpoints, HookEvents.OrderAttributed) is { } webhook)
        {
            Add(webhook, HookEvents.OrderAttributed, webhook.Url, new
            {
                Event = HookEvents.OrderAttributed, OccurredAt = clock.GetUtcNow(), order.ShopId, OrderId = order.Id, order.ExternalOrderId,
                ClickId = clickId, PaidFen = order.Lines.Sum(l => l.PaidFen), order.PaidAt,
            });
        }
        AddCommissions(order, commissions, CommissionChange.Created, endpoints);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Commissions of one order changed (settled, refunded, voided): a postback each, and the shop's webhook.</summary>
    public async Task CommissionsChangedAsync(Order order, IReadOnlyCollection<Commission> commissions, CommissionChange change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(commissions);
        if (commissions.Count == 0) return;
        var endpoints = await EndpointsAsync(order.ShopId, commissions, ct);
        if (endpoints.Count == 0) return;
        AddCommissions(order, commissions, change, endpoints);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A refund changed these commissions: reversed before settlement, clawed back after (partly or wholly; the
    /// state tells which).
    /// </summary>
    public async Task CommissionsRefundedAsync(Order order, IReadOnlyCollection<Commission> commissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commissions);
        var clawedBack = commissions.Where(c => c.State is CommissionState.Settled or CommissionState.ClawedBack).ToList();
        var reversed = commissions.Except(clawedBack).ToList();
        await CommissionsChangedAsync(order, reversed, CommissionChange.Reversed, ct);
        await CommissionsChangedAsync(order, clawedBack, CommissionChange.ClawedBack, ct);
    }

    /// <summary>What a batch of paid clicks did to the campaign and the seller's wallet.</summary>
    public sealed record CampaignBatch(long CampaignId, long ShopId, long SellerId, DateOnly Day, Money WalletBefore, Money WalletAfter, string? StoppedBy);

    /// <summary>
    /// After a batch of paid clicks, in its transaction: <c>wallet.low</c> when the wallet crossed the threshold in this
    /// batch, <c>campaign.stopped</c> when a click found the budget or the wallet spent (once a day and reason). At most
    /// one set-based INSERT, and none in a batch that crossed nothing: the charge path stays as it was.
    /// </summary>
    public async Task CampaignBatchAsync(CampaignBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var threshold = new Money(options.CurrentValue.WalletLowFen);
        var now = clock.GetUtcNow();
        var events = new List<(string Event, object Body, string? Key)>();
        if (batch.WalletBefore >= threshold && batch.WalletAfter < threshold)
        {
            events.Add((HookEvents.WalletLow, new
            {
                Event = HookEvents.WalletLow, OccurredAt = now, batch.SellerId, BalanceFen = batch.WalletAfter.Fen, ThresholdFen = threshold.Fen,
            }, null));
        }
        if (batch.StoppedBy is { } reason)
        {
            events.Add((HookEvents.CampaignStopped, StoppedBody(batch.CampaignId, batch.ShopId, reason, now, batch.Day),
                $"campaign.stopped:{batch.CampaignId}:{batch.Day:yyyy-MM-dd}:{reason}"));
        }
        if (events.Count > 0) await InsertWebhooksAsync(batch.ShopId, batch.SellerId, events, now, ct);
    }

    /// <summary>
    /// The seller paused a campaign: <c>campaign.stopped</c> with the reason <c>paused</c>, added to the context so the
    /// caller's SaveChanges writes it with the pause.
    /// </summary>
    public async Task CampaignPausedAsync(long campaignId, long shopId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var endpoints = await db.HookEndpoints.AsNoTracking().Where(e => e.Kind == HookKind.Webhook && e.ShopId == shopId).ToListAsync(ct);
        if (Webhook(endpoints, HookEvents.CampaignStopped) is { } webhook)
        {
            Add(webhook, HookEvents.CampaignStopped, webhook.Url, StoppedBody(campaignId, shopId, "paused", now, ChinaTime.DayOf(now)));
        }
    }

    private static object StoppedBody(long campaignId, long shopId, string reason, DateTimeOffset at, DateOnly day) => new
    {
        Event = HookEvents.CampaignStopped, OccurredAt = at, ShopId = shopId, CampaignId = campaignId, Reason = reason, ChinaDay = day,
    };

    private async Task InsertWebhooksAsync(long shopId, long sellerId, List<(string Event, object Body, string? Key)> events, DateTimeOffset now, CancellationToken ct)
    {
        var names = events.Select(e => e.Event).ToArray();
        var bodies = events.Select(e => JsonSerializer.Serialize(e.Body, Json)).ToArray();
        var keys = events.Select(e => e.Key).ToArray();
        var expires = now.AddHours(options.CurrentValue.GiveUpAfterHours);
        // wallet.low goes to every shop of the seller that chose it (the wallet is the seller's); the rest to the campaign's shop.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO hook_messages (endpoint_id, event, url, body, dedupe_key, state, attempts, created_at, next_attempt_at, expires_at)
            SELECT e.id, m.event, e.url, m.body, m.dedupe_key, 'Pending', 0, {now}, {now}, {expires}
            FROM unnest({names}::text[], {bodies}::text[], {keys}::text[]) AS m(event, body, dedupe_key)
            JOIN hook_endpoints e ON e.kind = 'Webhook' AND m.event = ANY(e.events)
             AND (CASE WHEN m.event = 'wallet.low' THEN e.shop_id IN (SELECT id FROM shops WHERE seller_id = {sellerId}) ELSE e.shop_id = {shopId} END)
            ON CONFLICT (endpoint_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            """, ct);
    }

    private async Task<List<HookEndpoint>> EndpointsAsync(long shopId, IReadOnlyCollection<Commission> commissions, CancellationToken ct)
    {
        var siteIds = commissions.Select(c => (long?)c.SiteId).Distinct().ToList();
        return await db.HookEndpoints.AsNoTracking()
            .Where(e => (e.Kind == HookKind.Postback && siteIds.Contains(e.SiteId)) || (e.Kind == HookKind.Webhook && e.ShopId == shopId))
            .ToListAsync(ct);
    }

    private static HookEndpoint? Webhook(List<HookEndpoint> endpoints, string @event) =>
        endpoints.FirstOrDefault(e => e.Kind == HookKind.Webhook && e.Events.Contains(@event));

    private void AddCommissions(Order order, IReadOnlyCollection<Commission> commissions, CommissionChange change, List<HookEndpoint> endpoints)
    {
        var now = clock.GetUtcNow();
        var postbackEvent = change switch
        {
            CommissionChange.Created => HookEvents.CommissionCreated,
            CommissionChange.Confirmed => HookEvents.CommissionConfirmed,
            CommissionChange.Reversed => HookEvents.CommissionReversed,
            _ => HookEvents.CommissionClawedBack,
        };
        var webhook = Webhook(endpoints, HookEvents.CommissionStateChanged);
        foreach (var c in commissions)
        {
            if (endpoints.FirstOrDefault(e => e.Kind == HookKind.Postback && e.SiteId == c.SiteId) is { } postback)
            {
                var values = PostbackValuesOf(c);
                Add(postback, postbackEvent, PostbackTemplate.Render(postback.Url, values), new
                {
                    Event = postbackEvent, OccurredAt = now, c.SiteId, CommissionId = c.Id, values.OrderId, values.ClickId,
                    values.Sub1, values.Sub2, values.Sub3, values.Sub4, values.Sub5, values.CommissionFen, values.State,
                });
            }
            if (webhook is not null)
            {
                Add(webhook, HookEvents.CommissionStateChanged, webhook.Url, new
                {
                    Event = HookEvents.CommissionStateChanged, OccurredAt = now, order.ShopId, OrderId = order.Id, order.ExternalOrderId,
                    CommissionId = c.Id, Change = postbackEvent, State = StateName(c.State), CommissionFen = c.Effective().Commission.Fen,
                });
            }
        }
    }

    private void Add(HookEndpoint endpoint, string @event, string url, object body)
    {
        var now = clock.GetUtcNow();
        db.HookMessages.Add(new HookMessage
        {
            EndpointId = endpoint.Id,
            Event = @event,
            Url = url,
            Body = JsonSerializer.Serialize(body, Json),
            State = HookMessageState.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            ExpiresAt = now.AddHours(options.CurrentValue.GiveUpAfterHours),
        });
    }

    /// <summary>What the webmaster earns on the commission now (their share and any subsidy), in fen.</summary>
    private static long WebmasterEarns(Commission c)
    {
        var now = c.Effective();
        return now.Webmaster.Fen + now.Subsidy.Fen;
    }

    /// <summary>The state as the messages write it: pending, settled, reversed, clawed_back, voided.</summary>
    public static string StateName(CommissionState state) => state switch
    {
        CommissionState.ClawedBack => "clawed_back",
        _ => state.ToString().ToLowerInvariant(),
    };
}
