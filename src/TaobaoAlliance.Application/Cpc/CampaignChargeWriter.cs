using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using TaobaoAlliance.Application.Clicks;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// The campaign grain's database work: one transaction decides and writes a batch of one campaign's clicks of one
/// China day — their click rows, <c>cpc_charges</c> rows and ledger entries, and the day's and campaign's counters.
/// </summary>
public sealed class CampaignChargeWriter(
    AllianceDbContext db,
    LedgerWriter ledger,
    HookOutbox hooks,
    AdCampaigns adCampaigns,
    Notifier notifier,
    IOptionsMonitor<NotificationOptions> notificationOptions,
    IOptionsMonitor<AllianceOptions> options)
{
    /// <summary>
    /// Clicks reach the grain a moment after they happened, and not quite in time order: reading (and keeping) a
    /// little more than the window costs nothing and never misses a charge that still counts.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromHours(1);

    /// <summary>The campaign's charged clickers of the free-repeat window before <paramref name="from"/>, from PostgreSQL.</summary>
    public async Task<RecentClickers> RecentClickersAsync(long campaignId, DateTimeOffset from)
    {
        var since = from.AddHours(-options.CurrentValue.CpcRepeatClickFreeHours) - Slack;
        var firstDay = ChinaTime.DayOf(since);
        var charged = await db.CpcCharges
            .Where(c => c.CampaignId == campaignId && c.Day >= firstDay && c.ChargedAt > since && c.Outcome == CpcChargeOutcome.Charged)
            // A charge is written with its click, at the click's time: that time names the click's day partition.
            .Join(db.Clicks.Where(k => k.OccurredAt > since), c => new { Id = c.ClickId, At = c.ChargedAt }, k => new { k.Id, At = k.OccurredAt },
                (c, k) => new { k.VisitorId, k.IpHash, k.UserAgent, k.OccurredAt })
            .ToListAsync(CancellationToken.None);
        var clickers = new RecentClickers();
        foreach (var c in charged) clickers.Charged(c.VisitorId, c.IpHash, c.UserAgent, c.OccurredAt);
        return clickers;
    }

    /// <summary>
    /// Decides each click in order and commits them all, or nothing (it throws). The day's budget row and the seller's
    /// wallet are locked and read once for the batch: what they hold is the truth whatever other nodes, the seller's
    /// budget edits, settlement or the seller's other campaigns did before; <paramref name="clickers"/> learns each
    /// charge as it is decided, so a repeat inside the batch is seen too.
    /// </summary>
    public async Task<IReadOnlyList<CampaignChargeResult>> WriteAsync(long campaignId, DateOnly day, IReadOnlyList<PaidClick> clicks, RecentClickers clickers)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        ArgumentNullException.ThrowIfNull(clickers);
        var o = options.CurrentValue;
        var window = TimeSpan.FromHours(o.CpcRepeatClickFreeHours);
        clickers.Forget(clicks.Min(c => c.OccurredAt) - window - Slack);
        var ct = CancellationToken.None; // the clicks are written even if their shoppers have gone
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
            .Select(c => new { c.State, c.StartsAt, c.EndsAt, c.DailyBudgetFen, c.ShopId, c.Shop.SellerId, c.Name })
            .SingleAsync(ct);
        // The day's row, made on the day's first batch, is locked (the no-op update) and read in one statement.
        var budgetLeft = new Money((await db.Database.SqlQuery<long>($"""
            INSERT INTO campaign_daily_spends AS s (campaign_id, day, spent_fen, budget_fen, clicks) VALUES ({campaignId}, {day}, 0, {campaign.DailyBudgetFen}, 0)
            ON CONFLICT (campaign_id, day) DO UPDATE SET spent_fen = s.spent_fen
            RETURNING s.budget_fen - s.spent_fen AS "Value"
            """).ToListAsync(ct)).Single());
        // The unique index on impression_id is the truth about replays, across days and activations (a token stays valid
        // for an hour after midnight): one lookup for the batch.
        var impressions = clicks.Select(c => c.ImpressionId).ToArray();
        var paid = (await db.CpcCharges.Where(c => impressions.Contains(c.ImpressionId)).Select(c => c.ImpressionId).ToListAsync(ct)).ToHashSet();

        // A click row's validity depends only on replays: the rows go in before the wallet is locked, so the seller's
        // other campaigns wait on it for as short a time as possible. One statement, so the click rollups' statement
        // trigger runs once, not once a click.
        var replayed = clicks.Select(c => !paid.Add(c.ImpressionId)).ToList();
        var rows = clicks.Zip(replayed, (click, isReplay) =>
        {
            var row = ClickRow(click, campaignId);
            if (isReplay) (row.IsValid, row.InvalidReason) = (false, InvalidClickReasons.CpcTokenReplayed);
            return row;
        }).ToList();
        await using (var insert = ClickRows.InsertCommand((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction()))
        {
            ClickRows.Bind(insert, rows);
            await insert.ExecuteNonQueryAsync(ct);
        }
        // Locked after the budget row, as the one-click path did: the wallet is the seller's, shared by its campaigns.
        var walletLeft = await ledger.LockedBalanceAsync(AccountRef.Wallet(campaign.SellerId), ct);

        var results = new List<CampaignChargeResult>(clicks.Count);
        var charges = new List<CpcCharge>(clicks.Count);
        var paidClicks = new List<PaidCpcClick>();
        Guid? batchKey = null; // the first charged impression names the batch's ledger entry
        var (spent, charged) = (Money.Zero, 0);
        CpcChargeOutcome? refused = null; // the first click refused for the budget or the wallet, for the seller's notice
        foreach (var (click, isReplay) in clicks.Zip(replayed))
        {
            if (isReplay)
            {
                results.Add(CampaignChargeResult.Replayed);
                continue;
            }
            var running = CpcCharging.IsRunning(campaign.State == CampaignState.Active, campaign.StartsAt, campaign.EndsAt, click.OccurredAt);
            var price = new Money(click.PriceFen);
            var outcome = CpcCharging.Decide(running,
                repeatClicker: running && clickers.IsRepeat(click.VisitorId, click.IpHash, click.UserAgent, click.OccurredAt - window),
                price, budgetLeft - spent);
            // The wallet comes last, as the ledger's guard did for one click: a click the wallet cannot pay uses no budget.
            if (outcome == CpcChargeOutcome.Charged && price > walletLeft - spent) outcome = CpcChargeOutcome.WalletEmpty;
            if (outcome is CpcChargeOutcome.OverBudget or CpcChargeOutcome.WalletEmpty) refused ??= outcome;
            var share = Money.Zero;
            if (outcome == CpcChargeOutcome.Charged)
            {
                share = price.Times(new Rate(o.CpcWebmasterShareBp));
                paidClicks.Add(new PaidCpcClick(click.WebmasterId, price, share));
                batchKey ??= click.ImpressionId;
                clickers.Charged(click.VisitorId, click.IpHash, click.UserAgent, click.OccurredAt);
                spent += price;
                charged++;
            }
            else
            {
                price = Money.Zero;
            }
            charges.Add(new CpcCharge
            {
                CampaignId = campaignId,
                ClickId = click.ClickId,
                ImpressionId = click.ImpressionId,
                ZoneId = click.ZoneId,
                WebmasterId = click.WebmasterId,
                PriceFen = price.Fen,
                WebmasterShareFen = share.Fen,
                PlatformMarginFen = price.Fen - share.Fen,
                Outcome = outcome,
                Day = day,
                ChargedAt = click.OccurredAt,
            });
            results.Add(new CampaignChargeResult(CampaignChargeStatus.Decided, outcome, price.Fen, share.Fen));
        }

        // One ledger entry for the batch's charges; the ledger's guard checks it again under the same lock: a wrong
        // decision fails the batch, never the wallet.
        if (batchKey is { } key) await ledger.PostManyAsync([Postings.CpcClicks(key, campaignId, campaign.SellerId, paidClicks)], [AccountKind.SellerWallet], ct);
        await InsertChargesAsync(charges, ct);
        var decided = results.Count(r => r.Status == CampaignChargeStatus.Decided);
        await db.Database.ExecuteSqlAsync(
            $"UPDATE campaign_daily_spends SET spent_fen = spent_fen + {spent.Fen}, clicks = clicks + {decided} WHERE campaign_id = {campaignId} AND day = {day}", ct);
        // At most two small statements, and only when this batch crossed the wallet's low mark or stopped the campaign.
        await notifier.CpcBatchAsync(campaign.SellerId, campaignId, campaign.Name, day, walletLeft, walletLeft - spent,
            notificationOptions.CurrentValue.WalletLowFen, refused, ct);
        // Only a paid click feeds the quality score: free repeats would let a clicker lower the campaign's next price.
        if (charged > 0)
        {
            await db.Campaigns.Where(c => c.Id == campaignId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Clicks, c => c.Clicks + charged), ct);
        }
        // Wallet low / campaign stopped: nothing unless this batch crossed the threshold or met the budget's or wallet's end.
        var stoppedBy = results.Any(r => r.Status == CampaignChargeStatus.Decided && r.Outcome == CpcChargeOutcome.OverBudget) ? "budget"
            : results.Any(r => r.Status == CampaignChargeStatus.Decided && r.Outcome == CpcChargeOutcome.WalletEmpty) ? "wallet" : null;
        await hooks.CampaignBatchAsync(new(campaignId, campaign.ShopId, campaign.SellerId, day, walletLeft, walletLeft - spent, stoppedBy), ct);
        await transaction.CommitAsync(ct);
        // Written with SQL, not SaveChanges, so AdStateInvalidation does not see it: this node's next ad must see the spend.
        if (charges.Count > 0) adCampaigns.DropState();
        return results;
    }

    /// <summary>The batch's <c>cpc_charges</c> rows in one statement.</summary>
    private async Task InsertChargesAsync(List<CpcCharge> charges, CancellationToken ct)
    {
        if (charges.Count == 0) return;
        var campaignId = charges.Select(c => c.CampaignId).ToArray();
        var clickId = charges.Select(c => c.ClickId).ToArray();
        var impressionId = charges.Select(c => c.ImpressionId).ToArray();
        var zoneId = charges.Select(c => c.ZoneId).ToArray();
        var webmasterId = charges.Select(c => c.WebmasterId).ToArray();
        var priceFen = charges.Select(c => c.PriceFen).ToArray();
        var shareFen = charges.Select(c => c.WebmasterShareFen).ToArray();
        var marginFen = charges.Select(c => c.PlatformMarginFen).ToArray();
        var outcome = charges.Select(c => c.Outcome.ToString()).ToArray(); // stored by name, as EF Core's conversion does
        var day = charges.Select(c => c.Day).ToArray();
        var chargedAt = charges.Select(c => c.ChargedAt.UtcDateTime).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO cpc_charges (campaign_id, click_id, impression_id, zone_id, webmaster_id, price_fen, webmaster_share_fen,
                                     platform_margin_fen, outcome, day, charged_at)
            SELECT * FROM unnest({campaignId}::bigint[], {clickId}::uuid[], {impressionId}::uuid[], {zoneId}::bigint[], {webmasterId}::bigint[],
                                 {priceFen}::bigint[], {shareFen}::bigint[], {marginFen}::bigint[], {outcome}::text[], {day}::date[], {chargedAt}::timestamptz[])
            """, ct);
    }

    private static Click ClickRow(PaidClick click, long campaignId) => new()
    {
        Id = click.ClickId,
        OccurredAt = click.OccurredAt,
        WebmasterId = click.WebmasterId,
        SiteId = click.SiteId,
        ZoneId = click.ZoneId,
        ItemId = click.ItemId,
        ShopId = click.ShopId,
        VisitorId = click.VisitorId,
        IpHash = click.IpHash,
        UserAgent = click.UserAgent,
        Referrer = click.Referrer,
        IsValid = true,
        ItemRateBp = click.ItemRateBp,
        ShopRateBp = click.ShopRateBp,
        CampaignId = campaignId,
        Sub1 = click.Sub1,
        Sub2 = click.Sub2,
        Sub3 = click.Sub3,
        Sub4 = click.Sub4,
        Sub5 = click.Sub5,
    };
}
