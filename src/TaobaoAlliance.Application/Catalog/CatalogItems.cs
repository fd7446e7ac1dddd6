using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>
/// An item of a shop as the seller typed it (checked by the form); ImageUrl blank means the category's picture.
/// ExternalUrl is the product page on the shop's store host, already normalised by ExternalStores.TryNormalizeUrl.
/// </summary>
public sealed record ItemRequest(long ShopId, long ActorUserId, string TitleZh, string TitleEn, int CategoryId, Money Price, Rate? Rate, string ImageUrl,
    bool IsListed, string? ExternalUrl = null);

/// <summary>The item saved, and whether it was new.</summary>
public sealed record ItemSaved(Item Item, bool Created, bool RateChanged);

/// <summary>
/// Items of a shop the caller has checked the seller owns: create, edit, delist and relist. A new or
/// changed item rate is written with a line of rate history in the same transaction.
/// </summary>
public sealed class CatalogItems(AllianceDbContext db, AuditTrail audit, TimeProvider clock, ILogger<CatalogItems> logger)
{
    /// <summary>The shop's item (tracked, for editing); null when the shop has no such item.</summary>
    public Task<Item?> FindAsync(long shopId, long itemId, CancellationToken ct) =>
        db.Items.SingleOrDefaultAsync(i => i.Id == itemId && i.ShopId == shopId, ct);

    /// <summary>Creates an item (<paramref name="itemId"/> null) or saves the shop's item; null when the shop has no such item.</summary>
    public async Task<ItemSaved?> SaveAsync(long? itemId, ItemRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Item? item = null;
        if (itemId is { } id && (item = await FindAsync(request.ShopId, id, ct)) is null) return null;

        var now = clock.GetUtcNow();
        var rateBp = request.Rate?.BasisPoints;
        var category = await db.Categories.AsNoTracking().SingleAsync(c => c.Id == request.CategoryId, ct);
        var creating = item is null;
        var oldRateBp = item?.CommissionRateBp;
        var rateChanged = creating ? rateBp is not null : oldRateBp != rateBp;
        item ??= db.Items.Add(new Item { ShopId = request.ShopId, CreatedAt = now }).Entity;
        item.TitleZh = request.TitleZh.Trim();
        item.TitleEn = request.TitleEn.Trim();
        item.CategoryId = category.Id;
        item.PriceFen = request.Price.Fen;
        item.CommissionRateBp = rateBp;
        item.ImageUrl = request.ImageUrl.Length > 0 ? request.ImageUrl : CatalogRules.PlaceholderImage(category.Slug);
        item.IsListed = request.IsListed;
        item.ExternalUrl = request.ExternalUrl;
        item.UpdatedAt = now;

        if (creating)
        {
            // The rate history needs the new item's id, so the insert and its history line share a transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            if (rateChanged) AddRateChange(item, oldRateBp, rateBp, now, request.ActorUserId);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        else
        {
            if (rateChanged) AddRateChange(item, oldRateBp, rateBp, now, request.ActorUserId);
            await db.SaveChangesAsync(ct);
        }

        logger.LogInformation("Item {ItemId} of shop {ShopId} {Action}; rate {RateBp} bp (changed: {RateChanged})",
            item.Id, request.ShopId, creating ? "created" : "updated", rateBp, rateChanged);
        return new(item, creating, rateChanged);
    }

    /// <summary>The rate history line and its audit entry (a null rate: the item earns the shop's rate again).</summary>
    private void AddRateChange(Item item, int? oldRateBp, int? newRateBp, DateTimeOffset now, long actorUserId)
    {
        db.CommissionRateChanges.Add(CatalogRules.RateChange(item.ShopId, item.Id, newRateBp, now, actorUserId));
        audit.Record(actorUserId, "item.rate", "item", item.Id, new { item.ShopId, oldRateBp, newRateBp });
    }

    /// <summary>
    /// Delists or relists the shop's item; null when the shop has no such item. An item the platform delisted
    /// (<see cref="Item.DelistedAt"/>) is not relisted: only an admin can (ItemDelisting); the caller sees it still set.
    /// </summary>
    public async Task<Item?> SetListedAsync(long shopId, long itemId, bool listed, CancellationToken ct)
    {
        if (await FindAsync(shopId, itemId, ct) is not { } item) return null;
        if (listed && item.DelistedAt is not null) return item;
        if (item.IsListed != listed)
        {
            item.IsListed = listed;
            item.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Item {ItemId} of shop {ShopId} {Action}", item.Id, shopId, listed ? "relisted" : "delisted");
        }
        return item;
    }
}
