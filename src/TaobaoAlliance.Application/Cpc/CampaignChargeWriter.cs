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
    /// Decides each click in order and commits them all, or nothing (it throws). What the batch may spend comes from
    /// <paramref name="mode"/> (see <see cref="ChargeMode"/>), less what <paramref name="flying"/>, the campaign's other
    /// batches between their decisions and their commit, have decided to spend; the batch's own decided spend goes into
    /// <paramref name="flight"/> before anything is written, for the batches deciding beside it. <paramref name="clickers"/>
    /// learns each charge as soon as the batch is decided, so a repeat in the batch, or in a batch beside it, is seen too.
    /// </summary>
    /// <exception cref="ChargeGuessFailedException">A <see cref="ChargeMode.Guessed"/> batch guessed wrong: nothing is written.</exception>
    public async Task<IReadOnlyList<CampaignChargeResult>> WriteAsync(long campaignId, DateOnly day, IReadOnlyList<PaidClick> clicks,
        RecentClickers clickers, ChargeMode mode, ChargeFlight flight, IReadOnlyCollection<ChargeFlight> flying)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        ArgumentNullException.ThrowIfNull(clickers);
        ArgumentNullException.ThrowIfNull(flight);
        ArgumentNullException.ThrowIfNull(flying);
        var o = options.CurrentValue;
        var window = TimeSpan.FromHours(o.CpcRepeatClickFreeHours);
        var exact = mode == ChargeMode.Exact;
        clickers.Forget(clicks.Min(c => c.OccurredAt) - window - Slack);
        var ct = CancellationToken.None; // the clicks are written even if their shoppers have gone
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // The campaign as it is now (a pause or a new budget applies from the next batch), with the day's budget left and the
        // seller's wallet as last committed: the guess, or nothing more than the row to create if the day has none.
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
            .Select(c => new
            {
                c.State, c.StartsAt, c.EndsAt, c.DailyBudgetFen, c.ShopId, c.Shop.SellerId, c.Name,
                DayLeftFen = db.CampaignDailySpends.Where(s => s.CampaignId == campaignId && s.Day == day).Select(s => (long?)(s.BudgetFen - s.SpentFen)).FirstOrDefault(),
                WalletFen = db.LedgerAccounts.Where(a => a.Kind == AccountKind.SellerWallet && a.SellerId == c.Shop.SellerId).Select(a => a.BalanceFen).FirstOrDefault(),
            })
            .SingleAsync(ct);
        var wallet = AccountRef.Wallet(campaign.SellerId);
        Money budgetLeft, walletLeft;
        if (exact)
        {
            // The day's row, made on the day's first batch, is locked (the no-op update) and read in one statement; then the
            // wallet and every account the batch may pay, in id order as the ledger locks them.
            budgetLeft = new Money((await db.Database.SqlQuery<long>($"""
                INSERT INTO campaign_daily_spends AS s (campaign_id, day, spent_fen, budget_fen, clicks) VALUES ({campaignId}, {day}, 0, {campaign.DailyBudgetFen}, 0)
                ON CONFLICT (campaign_id, day) DO UPDATE SET spent_fen = s.spent_fen
                RETURNING s.budget_fen - s.spent_fen AS "Value"
                """).ToListAsync(ct)).Single());
            walletLeft = await ledger.LockedBalanceAsync(wallet, [.. clicks.Select(c => AccountRef.CpcPending(c.WebmasterId))], ct);
        }
        else
        {
            budgetLeft = new Money(campaign.DayLeftFen ?? campaign.DailyBudgetFen);
            walletLeft = new Money(campaign.WalletFen ?? 0);
        }

        // The unique index on impression_id is the truth about replays, across days and activations (a token stays valid
        // for an hour after midnight): one lookup for the batch. An impression in a batch beside this one is a replay too.
        var impressions = clicks.Select(c => c.ImpressionId).ToArray();
        var paid = (await db.CpcCharges.Where(c => impressions.Contains(c.ImpressionId)).Select(c => c.ImpressionId).ToListAsync(ct)).ToHashSet();
        paid.UnionWith(flying.Where(f => f != flight).SelectMany(f => f.Impressions).Where(impressions.Contains));

        // A click row's validity depends only on replays: the rows go in before any shared row is locked. One statement,
        // so the click rollups' statement trigger runs once, not once a click.
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

        // From here to the end of the decisions nothing is awaited: the batches beside this one cannot change in between.
        var spentBeside = flying.Where(f => f != flight).Aggregate(Money.Zero, (sum, f) => sum + f.Spent);
        budgetLeft -= spentBeside;
        walletLeft -= spentBeside;
        var results = new List<CampaignChargeResult>(clicks.Count);
        var charges = new List<CpcCharge>(clicks.Count);
        var paidClicks = new List<PaidCpcClick>();
        var charged = new RecentClickers();
        Guid? batchKey = null; // the first charged impression names the batch's ledger entry
        var (spent, chargedCount) = (Money.Zero, 0);
        CpcChargeOutcome? refused = null; // the first click refused for the budget or the wallet, for the seller's notice
        foreach (var (click, isReplay) in clicks.Zip(replayed))
        {
            if (isReplay)
            {
                results.Add(CampaignChargeResult.Replayed);
                continue;
            }
            var running = CpcCharging.IsRunning(campaign.State == CampaignState.Active, campaign.StartsAt, campaign.EndsAt, click.OccurredAt);
            var since = click.OccurredAt - window;
            var price = new Money(click.PriceFen);
            var outcome = CpcCharging.Decide(running,
                repeatClicker: running && (clickers.IsRepeat(click.VisitorId, click.IpHash, click.UserAgent, since)
                    || charged.IsRepeat(click.VisitorId, click.IpHash, click.UserAgent, since)),
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
                charged.Charged(click.VisitorId, click.IpHash, click.UserAgent, click.OccurredAt);
                spent += price;
                chargedCount++;
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
        // A guess may refuse what the truth would pay (it counts the batches beside it as spent even once committed):
        // only the locked truth refuses a click for money.
        if (!exact && refused is not null) throw new ChargeGuessFailedException(learned: null);
        flight.Spent = spent;
        clickers.Add(charged);

        await InsertChargesAsync(charges, ct);
        var decided = results.Count(r => r.Status == CampaignChargeStatus.Decided);
        var walletBefore = walletLeft + spentBeside;
        try
        {
            // The shared rows last, each batch in the same order (the day's budget row, the campaign, the ledger's accounts
            // in id order), so they are locked for as short a time as possible and never in a circle. The budget row's check
            // (spent within budget) and the ledger's guard (a wallet never below zero) test a guess under those locks.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO campaign_daily_spends AS s (campaign_id, day, spent_fen, budget_fen, clicks) VALUES ({campaignId}, {day}, {spent.Fen}, {campaign.DailyBudgetFen}, {decided})
                ON CONFLICT (campaign_id, day) DO UPDATE SET spent_fen = s.spent_fen + excluded.spent_fen, clicks = s.clicks + excluded.clicks
                """, ct);
            // Only a paid click feeds the quality score: free repeats would let a clicker lower the campaign's next price.
            if (chargedCount > 0)
            {
                await db.Campaigns.Where(c => c.Id == campaignId)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.Clicks, c => c.Clicks + chargedCount), ct);
            }
            // One ledger entry for the batch's charges.
            if (batchKey is { } key)
            {
                var before = await ledger.PostManyAsync([Postings.CpcClicks(key, campaignId, campaign.SellerId, paidClicks)], [AccountKind.SellerWallet], ct);
                walletBefore = before[wallet];
            }
        }
        catch (Exception e) when (!exact && IsGuessRefused(e))
        {
            throw new ChargeGuessFailedException(charged, e);
        }
        // At most two small statements, and only when this batch crossed the wallet's low mark or stopped the campaign.
        var walletAfter = walletBefore - spent;
        await notifier.CpcBatchAsync(campaign.SellerId, campaignId, campaign.Name, day, walletBefore, walletAfter,
            notificationOptions.CurrentValue.WalletLowFen, refused, ct);
        var stoppedBy = results.Any(r => r.Status == CampaignChargeStatus.Decided && r.Outcome == CpcChargeOutcome.OverBudget) ? "budget"
            : results.Any(r => r.Status == CampaignChargeStatus.Decided && r.Outcome == CpcChargeOutcome.WalletEmpty) ? "wallet" : null;
        await hooks.CampaignBatchAsync(new(campaignId, campaign.ShopId, campaign.SellerId, day, walletBefore, walletAfter, stoppedBy), ct);
        await transaction.CommitAsync(ct);
        // Written with SQL, not SaveChanges, so AdStateInvalidation does not see it: this node's next ad must see the spend.
        if (charges.Count > 0) adCampaigns.DropState();
        return results;
    }

    /// <summary>The budget row's check, the wallet's guard or a deadlock (a seller's edit beside a batch): a guess to take again, exactly.</summary>
    private static bool IsGuessRefused(Exception e) =>
        e is LedgerGuardException
        || e is PostgresException { SqlState: PostgresErrorCodes.CheckViolation, ConstraintName: "ck_campaign_daily_spends_budget" }
        || e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected };

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
