using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;

namespace TaobaoAlliance.Application.Campaigns;

/// <summary>
/// A campaign as the seller wants it: the shop (ignored when editing: a campaign's clicks, spend and reports
/// belong to one shop, so its shop never changes), the items and site categories, bid, daily budget and schedule.
/// </summary>
public sealed record CampaignRequest(
    long SellerId,
    long ActorUserId,
    long? ShopId,
    string Name,
    IReadOnlyList<long> ItemIds,
    IReadOnlyList<int> CategoryIds,
    Money Bid,
    Money DailyBudget,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt);

/// <summary>Why a campaign was not saved; nothing was written.</summary>
public enum CampaignRefusal { NoSuchCampaign, NotYourShop, NoItems, ItemNotListedInShop, NoCategories }

/// <summary>The campaign saved (its id and name), or every reason it was not.</summary>
public sealed record CampaignOutcome(long? CampaignId, string Name, IReadOnlyList<CampaignRefusal> Refusals)
{
    public bool Succeeded => Refusals.Count == 0;

    public static CampaignOutcome Refused(params CampaignRefusal[] refusals) => new(null, "", refusals);
}

/// <summary>The campaign after pause or resume; null when the seller has no such campaign.</summary>
public sealed record CampaignStateOutcome(long CampaignId, string Name, CampaignState State);

/// <summary>
/// The seller's CPC campaigns: create and update (items, categories, schedule, bid, daily budget — a new
/// budget also rewrites today's cap, see <see cref="DailyBudget"/>), pause and resume. Each change commits
/// with its audit row; another seller's campaign or shop is not found.
/// </summary>
public sealed class CampaignEditor(AllianceDbContext db, AuditTrail audit, HookOutbox hooks, TimeProvider clock, ILogger<CampaignEditor> logger)
{
    /// <summary>The highest bid accepted: far above any real click price, low enough to stop a typo of an extra zero or three.</summary>
    public static readonly Money MaxBid = Money.FromYuan(100m);

    /// <summary>The highest daily budget accepted (a typo guard; the wallet is the real limit).</summary>
    public static readonly Money MaxDailyBudget = Money.FromYuan(1_000_000m);

    /// <summary>Creates a campaign (with <paramref name="campaignId"/> null) or updates the seller's campaign.</summary>
    public async Task<CampaignOutcome> SaveAsync(long? campaignId, CampaignRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Campaign? campaign = null;
        var shopId = request.ShopId;
        if (campaignId is { } id)
        {
            campaign = await db.Campaigns.Include(c => c.Items).Include(c => c.Categories)
                .SingleOrDefaultAsync(c => c.Id == id && c.Shop.SellerId == request.SellerId, ct);
            if (campaign is null) return CampaignOutcome.Refused(CampaignRefusal.NoSuchCampaign);
            shopId = campaign.ShopId;
        }

        var refusals = await CheckAsync(shopId, request, ct);
        if (refusals.Count > 0) return new(campaignId, request.Name, refusals);

        var now = clock.GetUtcNow();
        var name = request.Name.Trim();
        var itemIds = request.ItemIds.Distinct().Order().ToList();
        var categoryIds = request.CategoryIds.Distinct().Order().ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (campaign is null)
        {
            campaign = new Campaign
            {
                ShopId = shopId!.Value, Name = name, BidFen = request.Bid.Fen, DailyBudgetFen = request.DailyBudget.Fen, State = CampaignState.Active,
                StartsAt = request.StartsAt, EndsAt = request.EndsAt, CreatedAt = now,
            };
            campaign.Items.AddRange(itemIds.Select(i => new CampaignItem { ItemId = i }));
            campaign.Categories.AddRange(categoryIds.Select(c => new CampaignCategory { CategoryId = c }));
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(ct);
            audit.Record(request.ActorUserId, "campaign.create", "campaign", campaign.Id,
                new { campaign.ShopId, campaign.Name, campaign.BidFen, campaign.DailyBudgetFen, Items = itemIds, Categories = categoryIds, campaign.StartsAt, campaign.EndsAt });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Seller {SellerId} created campaign {CampaignId} for shop {ShopId}", request.SellerId, campaign.Id, campaign.ShopId);
            return new(campaign.Id, name, []);
        }

        var before = new { campaign.Name, campaign.BidFen, campaign.DailyBudgetFen, campaign.StartsAt, campaign.EndsAt };
        campaign.Name = name;
        campaign.BidFen = request.Bid.Fen;
        campaign.DailyBudgetFen = request.DailyBudget.Fen;
        campaign.StartsAt = request.StartsAt;
        campaign.EndsAt = request.EndsAt;
        // Items delisted since are not on the form, so their absence is not a choice: they stay in the campaign
        // (never served while delisted) and come back into its ads if the seller lists them again.
        var campaignItemIds = campaign.Items.Select(i => i.ItemId).ToList();
        var delisted = await db.Items.Where(i => campaignItemIds.Contains(i.Id) && !i.IsOnSale).Select(i => i.Id).ToListAsync(ct);
        // Replace the sets by difference: removing and re-adding the same key in one save would be two rows with one key.
        campaign.Items.RemoveAll(i => !itemIds.Contains(i.ItemId) && !delisted.Contains(i.ItemId));
        campaign.Items.AddRange(itemIds.Where(i => campaign.Items.All(x => x.ItemId != i)).Select(i => new CampaignItem { ItemId = i }));
        campaign.Categories.RemoveAll(c => !categoryIds.Contains(c.CategoryId));
        campaign.Categories.AddRange(categoryIds.Where(c => campaign.Categories.All(x => x.CategoryId != c)).Select(c => new CampaignCategory { CategoryId = c }));
        await db.SaveChangesAsync(ct);

        if (before.DailyBudgetFen != request.DailyBudget.Fen)
        {
            // Today's spend row is what the click path charges against (its budget_fen is the day's cap, copied
            // from the campaign when the day's first click came), so a new budget only takes effect today if the
            // row changes too — from the next click on. The row is locked before it is read, so a click charging
            // at this moment is either counted in the spent_fen read here or sees the new cap — never lost.
            var today = ChinaTime.Today(clock);
            var spend = await db.CampaignDailySpends
                .FromSql($"SELECT * FROM campaign_daily_spends WHERE campaign_id = {campaign.Id} AND day = {today} FOR UPDATE")
                .SingleOrDefaultAsync(ct);
            if (spend is not null)
            {
                spend.BudgetFen = DailyBudget.TodayAfterChange(new Money(spend.SpentFen), request.DailyBudget).Fen;
            }
        }
        audit.Record(request.ActorUserId, "campaign.update", "campaign", campaign.Id,
            new { Before = before, After = new { campaign.Name, campaign.BidFen, campaign.DailyBudgetFen, campaign.StartsAt, campaign.EndsAt }, Items = itemIds, Categories = categoryIds });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Seller {SellerId} updated campaign {CampaignId}: bid {BidFen} fen, daily budget {BudgetFen} fen",
            request.SellerId, campaign.Id, request.Bid.Fen, request.DailyBudget.Fen);
        return new(campaign.Id, name, []);
    }

    /// <summary>Pauses or resumes the seller's campaign; the state and its audit row are written together or not at all.</summary>
    public async Task<CampaignStateOutcome?> SetStateAsync(long sellerId, long actorUserId, long campaignId, CampaignState state, CancellationToken ct)
    {
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId && c.Shop.SellerId == sellerId, ct);
        if (campaign is null) return null;
        if (campaign.State != state)
        {
            var before = campaign.State;
            campaign.State = state;
            audit.Record(actorUserId, state == CampaignState.Paused ? "campaign.pause" : "campaign.resume",
                "campaign", campaign.Id, new { From = before.ToString(), To = state.ToString() });
            if (state == CampaignState.Paused) await hooks.CampaignPausedAsync(campaign.Id, campaign.ShopId, ct);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Seller {SellerId} set campaign {CampaignId} to {State}", sellerId, campaign.Id, state);
        }
        return new(campaign.Id, campaign.Name, campaign.State);
    }

    /// <summary>What only the database can tell: the shop is the seller's, the items are listed items of it, the categories exist.</summary>
    private async Task<List<CampaignRefusal>> CheckAsync(long? shopId, CampaignRequest request, CancellationToken ct)
    {
        var refusals = new List<CampaignRefusal>();
        var ownShop = shopId is { } s && await db.Shops.AnyAsync(x => x.Id == s && x.SellerId == request.SellerId, ct);
        if (!ownShop) refusals.Add(CampaignRefusal.NotYourShop);
        if (request.ItemIds.Count == 0)
        {
            refusals.Add(CampaignRefusal.NoItems);
        }
        else if (ownShop)
        {
            var itemIds = request.ItemIds.Distinct().ToList();
            var listed = await db.Items.CountAsync(i => itemIds.Contains(i.Id) && i.ShopId == shopId && i.IsOnSale, ct);
            if (listed != itemIds.Count) refusals.Add(CampaignRefusal.ItemNotListedInShop);
        }
        var categoryIds = request.CategoryIds.Distinct().ToList();
        if (categoryIds.Count == 0 || await db.Categories.CountAsync(c => categoryIds.Contains(c.Id), ct) != categoryIds.Count)
        {
            refusals.Add(CampaignRefusal.NoCategories);
        }
        return refusals;
    }
}
