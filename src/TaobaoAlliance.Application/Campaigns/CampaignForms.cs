using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Campaigns;

/// <summary>A shop of the seller, with its recent conversion rate when there is one to go by.</summary>
public sealed record CampaignShopOption(long Id, string Name, decimal? ConversionRatePercent, int Clicks, int Orders);

/// <summary>A listed item a campaign can advertise.</summary>
public sealed record CampaignItemOption(long Id, long ShopId, string Title, Money Price);

/// <summary>A site category a campaign can be shown on.</summary>
public sealed record CampaignCategoryOption(int Id, string Name);

/// <summary>What the campaign form offers: the seller's shops, the listed items of all of them, every site category.</summary>
public sealed record CampaignFormOptions(IReadOnlyList<CampaignShopOption> Shops, IReadOnlyList<CampaignItemOption> Items, IReadOnlyList<CampaignCategoryOption> Categories);

/// <summary>A saved campaign as the form edits it.</summary>
public sealed record CampaignDraft(long ShopId, string Name, Money Bid, Money DailyBudget, DateTimeOffset StartsAt, DateTimeOffset? EndsAt,
    IReadOnlyList<long> ItemIds, IReadOnlyList<int> CategoryIds);

/// <summary>The reads of the campaign form: its options (with each shop's conversion-rate history for the bid advisor) and a campaign to edit.</summary>
public sealed class CampaignForms(AllianceDbContext db, TimeProvider clock)
{
    /// <summary>Days of the shop's history the conversion rate is prefilled from.</summary>
    public const int HistoryDays = 30;

    /// <summary>The seller's campaign as saved; null when the seller has no such campaign.</summary>
    public async Task<CampaignDraft?> DraftAsync(long sellerId, long campaignId, CancellationToken ct)
    {
        var c = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId && c.Shop.SellerId == sellerId)
            .Select(c => new
            {
                c.ShopId, c.Name, c.BidFen, c.DailyBudgetFen, c.StartsAt, c.EndsAt,
                Items = c.Items.Select(i => i.ItemId).ToList(),
                Categories = c.Categories.Select(k => k.CategoryId).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        return c is null ? null : new(c.ShopId, c.Name, new Money(c.BidFen), new Money(c.DailyBudgetFen), c.StartsAt, c.EndsAt, c.Items, c.Categories);
    }

    /// <summary>The shop of the seller's campaign; null when the seller has no such campaign.</summary>
    public Task<long?> ShopOfAsync(long sellerId, long campaignId, CancellationToken ct) =>
        db.Campaigns.Where(c => c.Id == campaignId && c.Shop.SellerId == sellerId).Select(c => (long?)c.ShopId).SingleOrDefaultAsync(ct);

    /// <summary>The form's options, named in Chinese or English.</summary>
    public async Task<CampaignFormOptions> OptionsAsync(long sellerId, bool chinese, CancellationToken ct)
    {
        var zh = chinese;
        var shops = await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
            .Select(s => new { s.Id, Name = zh ? s.NameZh : s.NameEn }).ToListAsync(ct);
        var shopIds = shops.Select(s => s.Id).ToList();

        // The shop's own recent conversion rate is the best first guess for the advisor. Clicks are counted
        // through the clicks' (item, time) index, orders through the orders' shop index: cheap for a few shops.
        var since = clock.GetUtcNow().AddDays(-HistoryDays);
        // Whole China days come from the item rollup, the part-day at the window's start from the clicks themselves.
        var window = new RollupWindow(since);
        var clicks = (await db.Items.Where(i => shopIds.Contains(i.ShopId))
                .Join(db.ClickDayItems.Where(r => r.Day >= window.FirstWholeDay), i => i.Id, r => r.ItemId, (i, r) => new { i.ShopId, r.Valid })
                .GroupBy(x => x.ShopId).Select(g => new { ShopId = g.Key, Count = g.Sum(x => x.Valid) }).ToListAsync(ct))
            .Concat(await db.Items.Where(i => shopIds.Contains(i.ShopId))
                .Join(db.Clicks.Where(c => c.IsValid && c.OccurredAt >= since && c.OccurredAt < window.FirstWholeDayStart),
                    i => i.Id, c => c.ItemId, (i, c) => i.ShopId)
                .GroupBy(shopId => shopId).Select(g => new { ShopId = g.Key, Count = g.LongCount() }).ToListAsync(ct))
            .GroupBy(x => x.ShopId)
            .ToDictionary(g => g.Key, g => (int)g.Sum(x => x.Count));
        var orders = await db.Orders.Where(o => shopIds.Contains(o.ShopId) && o.AttributedClickId != null && o.PaidAt >= since)
            .GroupBy(o => o.ShopId).Select(g => new { ShopId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.ShopId, x => x.Count, ct);
        List<CampaignShopOption> options = [.. shops.Select(s =>
        {
            var c = clicks.GetValueOrDefault(s.Id);
            var o = orders.GetValueOrDefault(s.Id);
            decimal? rate = c > 0 && o > 0 ? Math.Min(100m, Math.Round(o * 100m / c, 2, MidpointRounding.AwayFromZero)) : null;
            return new CampaignShopOption(s.Id, s.Name, rate is > 0 ? rate : null, c, o);
        })];

        var items = await db.Items.AsNoTracking().Where(i => shopIds.Contains(i.ShopId) && i.IsOnSale).OrderBy(i => i.ShopId).ThenBy(i => i.Id)
            .Select(i => new CampaignItemOption(i.Id, i.ShopId, zh ? i.TitleZh : i.TitleEn, new Money(i.PriceFen))).ToListAsync(ct);
        // Every category, retired ones too: sites filed under one still show ads, and a campaign keeps what it targets.
        var categories = await db.Categories.AsNoTracking().InOrder()
            .Select(c => new CampaignCategoryOption(c.Id, zh ? c.NameZh : c.NameEn)).ToListAsync(ct);
        return new(options, items, categories);
    }
}
