using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>The ad a smart zone shows: the winning campaign's item and the signed URL its click goes through.</summary>
public sealed record ServedAd(long CampaignId, long ItemId, string Title, string ShopName, Money ItemPrice, string ImageUrl, string ClickToken);

/// <summary>What serving a zone came to: no such zone (404), nothing to show, or an ad.</summary>
public sealed record ZoneServing(bool ZoneExists, ServedAd? Ad)
{
    public static readonly ZoneServing Missing = new(false, null);
    public static readonly ZoneServing Empty = new(true, null);
}

/// <summary>
/// Serves a smart zone: finds the campaigns that may compete (active, in schedule, targeting the site's
/// category, with a listed item, and with enough of today's budget and of the seller's wallet left to
/// pay their own bid), runs the <see cref="Auction"/>, counts the impression (in memory: <see cref="ImpressionCounter"/>) and signs the click ticket.
/// </summary>
public sealed class AdServer(AllianceDbContext db, ClickTokens tokens, ImpressionCounter impressions, IOptionsSnapshot<AllianceOptions> options, TimeProvider clock, ILogger<AdServer> logger)
{
    public Task<bool> ZoneExistsAsync(long zoneId, CancellationToken ct) => db.AdZones.AnyAsync(z => z.Id == zoneId, ct);

    public async Task<ZoneServing> ServeAsync(long zoneId, CultureInfo culture, CancellationToken ct)
    {
        var zone = await db.AdZones.AsNoTracking().Where(z => z.Id == zoneId)
            .Select(z => new { z.IsSmart, z.Site.State, z.Site.CategoryId })
            .SingleOrDefaultAsync(ct);
        if (zone is null) return ZoneServing.Missing;
        // Only an approved site's smart zone sells clicks: anything else would charge sellers for traffic no one vetted.
        if (!zone.IsSmart || zone.State != SiteState.Approved) return ZoneServing.Empty;

        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(clock);
        var o = options.Value;
        var candidates = await db.Campaigns.AsNoTracking()
            .Where(c => c.State == CampaignState.Active && c.StartsAt <= now && (c.EndsAt == null || c.EndsAt > now)
                && c.Categories.Any(cc => cc.CategoryId == zone.CategoryId)
                && c.Items.Any(ci => db.Items.Any(i => i.Id == ci.ItemId && i.IsListed)))
            .Select(c => new
            {
                c.Id, c.BidFen, c.Impressions, c.Clicks, c.DailyBudgetFen,
                Today = db.CampaignDailySpends.Where(s => s.CampaignId == c.Id && s.Day == today)
                    .Select(s => new { s.SpentFen, s.BudgetFen }).FirstOrDefault(),
                WalletFen = db.JournalLines
                    .Where(l => db.LedgerAccounts.Any(a => a.Id == l.AccountId && a.Kind == AccountKind.SellerWallet && a.SellerId == c.Shop.SellerId))
                    .Sum(l => (long?)l.AmountFen) ?? 0,
            })
            .ToListAsync(ct);

        // A campaign competes only if it could pay its own bid, the most a click can cost it: then a click on
        // the ad it wins is almost always chargeable (a concurrent click may still take the last of the budget).
        // Its quality score counts this node's impressions not yet written too: exact on one node, and at most a
        // flush interval of other nodes' views behind on several.
        var bidders = candidates
            .Where(c => (c.Today?.BudgetFen ?? c.DailyBudgetFen) - (c.Today?.SpentFen ?? 0) >= c.BidFen && c.WalletFen >= c.BidFen)
            .Select(c => new Bidder(c.Id, new Money(c.BidFen), c.Impressions + impressions.Pending(c.Id), c.Clicks))
            .ToList();
        var result = Auction.Run(bidders, new Money(o.CpcReserveFen), new QualityPrior(o.CpcQualityPriorClicks, o.CpcQualityPriorImpressions), Random.Shared);
        if (result is null) return ZoneServing.Empty;

        var chinese = culture.TwoLetterISOLanguageName == "zh";
        var items = await db.CampaignItems.AsNoTracking()
            .Where(ci => ci.CampaignId == result.CampaignId)
            .Join(db.Items.Where(i => i.IsListed), ci => ci.ItemId, i => i.Id, (ci, i) => new
            {
                i.Id, Title = chinese ? i.TitleZh : i.TitleEn, ShopName = chinese ? i.Shop.NameZh : i.Shop.NameEn, i.PriceFen, i.ImageUrl,
            })
            .ToListAsync(ct);
        if (items.Count == 0) return ZoneServing.Empty; // delisted between the two queries
        var item = items[Random.Shared.Next(items.Count)]; // rotate the campaign's items

        impressions.Count(result.CampaignId); // written in batches by ImpressionFlusher
        var ticket = new ClickTicket(result.CampaignId, zoneId, item.Id, Guid.CreateVersion7(now), result.Price, now.AddMinutes(o.CpcClickTokenMinutes));
        logger.LogDebug("Zone {ZoneId}: campaign {CampaignId} won among {Bidders} at {Price} (runner-up {RunnerUp}); impression {ImpressionId}",
            zoneId, result.CampaignId, bidders.Count, result.Price, result.RunnerUpCampaignId, ticket.ImpressionId);
        return new ZoneServing(true, new ServedAd(result.CampaignId, item.Id, item.Title, item.ShopName, new Money(item.PriceFen), item.ImageUrl, tokens.Issue(ticket)));
    }
}
