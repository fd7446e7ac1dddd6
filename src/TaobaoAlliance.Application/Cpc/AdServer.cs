using System.Globalization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data;
using TaobaoAlliance.Application.Clicks;
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
/// Serves a smart zone from memory: the zone and its site from the <see cref="ClickTargets"/>, the campaigns and
/// their state from <see cref="AdCampaigns"/>. The campaigns that may compete are active, in schedule, targeting the
/// site's category, with a listed item, and with enough of today's budget and of the seller's wallet left to pay
/// their own bid. It runs the <see cref="Auction"/>, counts the impression (in memory: <see cref="ImpressionCounter"/>)
/// and signs the click ticket.
/// </summary>
public sealed class AdServer(AllianceDbContext db, ClickTargets targets, AdCampaigns campaigns, ClickTokens tokens, ImpressionCounter impressions,
    IOptionsMonitor<AllianceOptions> options, TimeProvider clock, ILogger<AdServer> logger)
{
    public async Task<bool> ZoneExistsAsync(long zoneId, CancellationToken ct) => await targets.ZoneAsync(db, zoneId, ct) is not null;

    public async Task<ZoneServing> ServeAsync(long zoneId, CultureInfo culture, CancellationToken ct)
    {
        if (await targets.ZoneAsync(db, zoneId, ct) is not { } zone) return ZoneServing.Missing;
        // Only an approved site's smart zone sells clicks: anything else would charge sellers for traffic no one vetted.
        if (!zone.IsSmart || await targets.SiteStateAsync(db, zone.SiteId, ct) != SiteState.Approved) return ZoneServing.Empty;
        var book = await campaigns.BookAsync();
        if (!book.ByCategory.TryGetValue(zone.SiteCategoryId, out var targeting)) return ZoneServing.Empty;
        var state = await campaigns.StateAsync();

        var now = clock.GetUtcNow();
        var o = options.CurrentValue;
        // A campaign competes only if it could pay its own bid, the most a click can cost it: then a click on
        // the ad it wins is almost always chargeable (a concurrent click may still take the last of the budget).
        // Its quality score counts this node's impressions not yet written too: exact on one node, and at most a
        // flush interval of other nodes' views behind on several.
        var bidders = new List<Bidder>(targeting.Length);
        foreach (var c in targeting)
        {
            if (c.StartsAt > now || c.EndsAt <= now || !state.TryGetValue(c.Id, out var s)) continue;
            if ((s.BudgetTodayFen ?? c.DailyBudgetFen) - s.SpentTodayFen < c.BidFen || s.WalletFen < c.BidFen) continue;
            bidders.Add(new Bidder(c.Id, new Money(c.BidFen), s.Impressions + impressions.Pending(c.Id), s.Clicks));
        }
        var result = Auction.Run(bidders, new Money(o.CpcReserveFen), new QualityPrior(o.CpcQualityPriorClicks, o.CpcQualityPriorImpressions), Random.Shared);
        if (result is null) return ZoneServing.Empty;

        var winner = Array.Find(targeting, c => c.Id == result.CampaignId)!;
        var item = winner.Items[Random.Shared.Next(winner.Items.Length)]; // rotate the campaign's items
        // The click on this ad is decided from the click targets: have them in memory now (two lookups when they are), so the
        // click reads nothing — and is still decided, and kept, while PostgreSQL is away.
        if (await targets.ItemAsync(db, item.Id, ct) is { } facts) await targets.PlanRatesAsync(db, facts.ShopId, zone.WebmasterId, ct);
        var chinese = culture.TwoLetterISOLanguageName == "zh";
        impressions.Count(result.CampaignId, zoneId, ChinaTime.DayOf(now)); // written in batches by ImpressionFlusher
        var ticket = new ClickTicket(result.CampaignId, zoneId, item.Id, Guid.CreateVersion7(now), result.Price, now.AddMinutes(o.CpcClickTokenMinutes));
        logger.LogDebug("Zone {ZoneId}: campaign {CampaignId} won among {Bidders} at {Price} (runner-up {RunnerUp}); impression {ImpressionId}",
            zoneId, result.CampaignId, bidders.Count, result.Price, result.RunnerUpCampaignId, ticket.ImpressionId);
        return new ZoneServing(true, new ServedAd(result.CampaignId, item.Id, chinese ? item.TitleZh : item.TitleEn,
            chinese ? item.ShopNameZh : item.ShopNameEn, new Money(item.PriceFen), item.ImageUrl, tokens.Issue(ticket)));
    }
}
