using Microsoft.EntityFrameworkCore;
using Npgsql;
using Orleans;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// The click on a served ad: checks its ticket, records the click and, for a valid click, has the campaign's
/// grain charge the ticket's price — the campaign's day budget, the seller's wallet, the webmaster's share
/// and the platform's margin as one ledger entry, committed with the click. Whatever happens, the shopper is sent on to the
/// item (or, for a token that is not ours, home): a broken ad must not strand a shopper.
/// </summary>
public sealed class CpcClicks(
    AllianceDbContext db,
    ClickRecorder recorder,
    ClickTokens tokens,
    IGrainFactory grains,
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
            return ticket is not null && await db.Items.AnyAsync(i => i.Id == ticket.ItemId && i.IsOnSale, ct)
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
            await SaveAsync(click);
            metrics.Clicked(check == TicketCheck.Expired ? "expired" : "invalid", 0);
        }
        recorder.Recorded(click);
        return new ClickOutcome(click.ItemId, click.Id, click.VisitorId, await recorder.ExternalLandingAsync(click.ItemId, click.Id, ct));
    }

    /// <summary>
    /// Charges one valid click through the campaign's grain, which decides the campaign's clicks one after another
    /// (budget, free repeats, replays, the wallet) and commits them with group commit: the click row, its charge and
    /// its ledger entry are in PostgreSQL when this returns (CampaignGrain, docs/money.md "Charging").
    /// </summary>
    private async Task ChargeAsync(Click click, ClickTicket ticket)
    {
        var result = await grains.GetGrain<ICampaignGrain>(ticket.CampaignId).ChargeAsync(new PaidClick(
            click.Id, click.OccurredAt, click.WebmasterId, click.SiteId, click.ZoneId, click.ItemId, click.ShopId, click.VisitorId,
            click.IpHash, click.UserAgent, click.Referrer, click.ItemRateBp, click.ShopRateBp,
            // The charge is the ticket's price: signed at serving time, so the click cannot name its own price.
            ticket.ImpressionId, ticket.Price.Fen, click.Sub1, click.Sub2, click.Sub3, click.Sub4, click.Sub5));
        switch (result.Status)
        {
            case CampaignChargeStatus.Unavailable:
                throw new CampaignChargeUnavailableException();
            case CampaignChargeStatus.Replayed:
                click.IsValid = false;
                click.InvalidReason = InvalidClickReasons.CpcTokenReplayed;
                logger.LogWarning("Ad token of impression {ImpressionId} used again: click {ClickId} recorded, not charged", ticket.ImpressionId, click.Id);
                metrics.Clicked("replayed", 0);
                return;
            default:
                metrics.Clicked(OutcomeTag(result.Outcome), result.PriceFen);
                // Debug: a line per paid click would be most of the log at traffic; the CPC metrics count them by outcome.
                logger.LogDebug("CPC click {ClickId} on campaign {CampaignId}: {Outcome}, {Price} ({Share} to webmaster {WebmasterId})",
                    click.Id, ticket.CampaignId, result.Outcome, new Money(result.PriceFen), new Money(result.ShareFen), click.WebmasterId);
                return;
        }
    }

    /// <summary>The campaign grain could not commit the click's charge (PostgreSQL away): handled like the database being away here.</summary>
    private sealed class CampaignChargeUnavailableException() : Exception("The campaign grain could not commit the charge");

    private static bool IsDatabaseAway(Exception e) => e is NpgsqlException or CampaignChargeUnavailableException || e.InnerException is NpgsqlException;

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
    private async Task SaveAsync(Click click)
    {
        db.Clicks.Add(click);
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
