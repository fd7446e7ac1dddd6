using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Application.Ledger;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// The click on a served ad: checks its ticket, records the click and, for a valid click, charges the
/// ticket's price in one transaction — the campaign's day budget, the seller's wallet, the webmaster's
/// share and the platform's margin as one ledger entry. Whatever happens, the shopper is sent on to the
/// item (or, for a token that is not ours, home): a broken ad must not strand a shopper.
/// </summary>
public sealed class CpcClicks(
    AllianceDbContext db,
    ClickRecorder recorder,
    ClickTokens tokens,
    LedgerWriter ledger,
    IOptionsMonitor<AllianceOptions> options,
    CpcMetrics metrics,
    TimeProvider clock,
    ILogger<CpcClicks> logger)
{
    /// <returns>Where to send the shopper: the item and the click id, or null for the home page.</returns>
    public async Task<ClickOutcome?> FollowAsync(ClickRequest request, string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var check = tokens.Check(token, clock.GetUtcNow(), out var ticket);
        if (check == TicketCheck.Forged)
        {
            logger.LogWarning("Forged or damaged ad token from zone {ZoneId}: redirected without a click", ticket?.ZoneId);
            metrics.Clicked("forged", 0);
            // The unverified item id only ever becomes /item/{id} of a listed item: harmless, and kinder than a dead end.
            return ticket is not null && await db.Items.AnyAsync(i => i.Id == ticket.ItemId && i.IsListed, ct)
                ? new ClickOutcome(ticket.ItemId, null) : null;
        }

        Click? click;
        try
        {
            click = await recorder.PrepareZoneClickAsync(request, ticket!.ZoneId, ticket.ItemId, ct);
        }
        catch (Exception e) when (IsDatabaseAway(e))
        {
            // The zone or item was not in memory and PostgreSQL cannot say: the signed ticket names the item, so the
            // shopper still gets there; without the click's facts there is no click to keep.
            logger.LogWarning(e, "Ad click on zone {ZoneId} not recorded: PostgreSQL is away and its facts are not in memory", ticket!.ZoneId);
            metrics.Clicked("unrecorded", 0);
            return new ClickOutcome(ticket.ItemId, null);
        }
        if (click is null) return null; // zone gone or item delisted since the ad was served
        click.CampaignId = ticket.CampaignId;
        if (check == TicketCheck.Expired && click.IsValid)
        {
            click.IsValid = false;
            click.InvalidReason = InvalidClickReasons.CpcTokenExpired;
        }

        if (click.IsValid)
        {
            try
            {
                await ChargeAsync(click, ticket);
            }
            catch (Exception e) when (IsDatabaseAway(e))
            {
                // No charge can be decided without PostgreSQL: the click is kept (spooled) as not charged, the shopper sent on.
                logger.LogWarning(e, "CPC click {ClickId} on campaign {CampaignId} kept without a charge: PostgreSQL is away", click.Id, ticket.CampaignId);
                db.ChangeTracker.Clear();
                click.IsValid = false;
                click.InvalidReason = InvalidClickReasons.CpcChargeUnavailable;
                await recorder.KeepAsync(click);
                metrics.Clicked("unavailable", 0);
            }
        }
        else
        {
            await SaveAsync(click, charge: null);
            metrics.Clicked(check == TicketCheck.Expired ? "expired" : "invalid", 0);
        }
        recorder.Recorded(click);
        return new ClickOutcome(click.ItemId, click.Id, click.VisitorId);
    }

    /// <summary>
    /// Charges one valid click. The day's spend row of the campaign is locked first, so the clicks of one
    /// campaign are charged one after another: the budget check, the free-repeat check and the replay
    /// check each see every earlier charge. The wallet is checked under its own lock by the ledger.
    /// </summary>
    private async Task ChargeAsync(Click click, ClickTicket ticket)
    {
        var o = options.CurrentValue;
        var now = click.OccurredAt;
        var day = ChinaTime.DayOf(now);
        // The charge is the ticket's price: signed at serving time, so the click cannot name its own price.
        var price = ticket.Price;
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);

        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == ticket.CampaignId)
            .Select(c => new { c.State, c.StartsAt, c.EndsAt, c.DailyBudgetFen, c.Shop.SellerId })
            .SingleAsync(CancellationToken.None);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO campaign_daily_spends (campaign_id, day, spent_fen, budget_fen, clicks) VALUES ({ticket.CampaignId}, {day}, 0, {campaign.DailyBudgetFen}, 0) ON CONFLICT DO NOTHING");
        var budgetLeftFen = await db.Database
            .SqlQuery<long>($"SELECT budget_fen - spent_fen AS \"Value\" FROM campaign_daily_spends WHERE campaign_id = {ticket.CampaignId} AND day = {day} FOR UPDATE")
            .SingleAsync(CancellationToken.None);

        if (await db.CpcCharges.AnyAsync(c => c.ImpressionId == ticket.ImpressionId, CancellationToken.None))
        {
            click.IsValid = false;
            click.InvalidReason = InvalidClickReasons.CpcTokenReplayed;
            await SaveAsync(click, charge: null);
            await transaction.CommitAsync(CancellationToken.None);
            logger.LogWarning("Ad token of impression {ImpressionId} used again: click {ClickId} recorded, not charged", ticket.ImpressionId, click.Id);
            metrics.Clicked("replayed", 0);
            return;
        }

        var running = CpcCharging.IsRunning(campaign.State == CampaignState.Active, campaign.StartsAt, campaign.EndsAt, now);
        var outcome = CpcCharging.Decide(running,
            repeatClicker: running && await IsRepeatAsync(click, ticket.CampaignId, now.AddHours(-o.CpcRepeatClickFreeHours)),
            price, new Money(budgetLeftFen));

        var share = Money.Zero;
        if (outcome == CpcChargeOutcome.Charged)
        {
            share = price.Times(new Rate(o.CpcWebmasterShareBp));
            var posted = await ledger.PostAsync(
                Postings.CpcClick(ticket.ImpressionId, ticket.CampaignId, campaign.SellerId, click.WebmasterId, price, share),
                guarded: [AccountKind.SellerWallet], ct: CancellationToken.None);
            if (posted == PostResult.InsufficientFunds) outcome = CpcChargeOutcome.WalletEmpty;
        }
        if (outcome != CpcChargeOutcome.Charged)
        {
            price = Money.Zero;
            share = Money.Zero;
        }

        await db.Database.ExecuteSqlAsync(
            $"UPDATE campaign_daily_spends SET spent_fen = spent_fen + {price.Fen}, clicks = clicks + 1 WHERE campaign_id = {ticket.CampaignId} AND day = {day}");
        if (outcome == CpcChargeOutcome.Charged)
        {
            // Only a paid click feeds the quality score: free repeats would let a clicker lower the campaign's next price.
            await db.Campaigns.Where(c => c.Id == ticket.CampaignId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Clicks, c => c.Clicks + 1), CancellationToken.None);
        }
        await SaveAsync(click, new CpcCharge
        {
            CampaignId = ticket.CampaignId,
            ClickId = click.Id,
            ImpressionId = ticket.ImpressionId,
            ZoneId = click.ZoneId,
            WebmasterId = click.WebmasterId,
            PriceFen = price.Fen,
            WebmasterShareFen = share.Fen,
            PlatformMarginFen = price.Fen - share.Fen,
            Outcome = outcome,
            Day = day,
            ChargedAt = now,
        });
        await transaction.CommitAsync(CancellationToken.None);
        metrics.Clicked(OutcomeTag(outcome), price.Fen);
        logger.LogInformation("CPC click {ClickId} on campaign {CampaignId}: {Outcome}, {Price} ({Share} to webmaster {WebmasterId})",
            click.Id, ticket.CampaignId, outcome, price, share, click.WebmasterId);
    }

    /// <summary>
    /// A click is a free repeat when the campaign already charged, within the window, a click by the same
    /// visitor — or by the same IP hash and user agent, so a client that drops its cookies is still one clicker.
    /// Read under the campaign's day lock, so it sees every earlier charge.
    /// </summary>
    private Task<bool> IsRepeatAsync(Click click, long campaignId, DateTimeOffset since)
    {
        var firstDay = ChinaTime.DayOf(since);
        var (visitorId, ipHash, userAgent) = (click.VisitorId, click.IpHash, click.UserAgent);
        return db.CpcCharges.AnyAsync(c => c.CampaignId == campaignId && c.Day >= firstDay && c.ChargedAt > since
            && c.Outcome == CpcChargeOutcome.Charged
            // A charge is written with its click, at the click's time: that time names the click's day partition.
            && db.Clicks.Any(k => k.Id == c.ClickId && k.OccurredAt == c.ChargedAt && k.OccurredAt > since
                && (k.VisitorId == visitorId || (k.IpHash == ipHash && k.UserAgent == userAgent))),
            CancellationToken.None);
    }

    private static bool IsDatabaseAway(Exception e) => e is NpgsqlException || e.InnerException is NpgsqlException;

    private static string OutcomeTag(CpcChargeOutcome outcome) => outcome switch
    {
        CpcChargeOutcome.Charged => "charged",
        CpcChargeOutcome.RepeatFree => "repeat_free",
        CpcChargeOutcome.OverBudget => "over_budget",
        CpcChargeOutcome.WalletEmpty => "wallet_empty",
        CpcChargeOutcome.CampaignStopped => "campaign_stopped",
        _ => outcome.ToString(),
    };

    /// <summary>Not cancellable: a click is written even if the shopper has gone; the redirect waits for the commit.</summary>
    private async Task SaveAsync(Click click, CpcCharge? charge)
    {
        db.Clicks.Add(click);
        if (charge is not null) db.CpcCharges.Add(charge);
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
